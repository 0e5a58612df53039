/**
 * The one in-process harness of the action: run() from src/main.ts and runPost() from src/post.ts
 * with @actions/core replaced by the typed fake (core.ts) and the real emulator on 127.0.0.1.
 * Import it before anything that imports @actions/core. `useHarness()` starts an emulator for the
 * file (beforeAll), closes it (afterAll) and empties the fake core before each test.
 *
 * Executions are held until the test releases them, and cancellation is a signal the test emits:
 * every outcome follows from events, never from a race with the clock.
 */
import { afterAll, beforeAll, beforeEach, jest } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as core from './core.js'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type EmulatorCredential,
  type EmulatorOptions,
  type RecordedRequest
} from '../../emulator/index.js'

jest.unstable_mockModule('@actions/core', () => core)
export const { run } = await import('../../src/main.js')
export const { runPost } = await import('../../src/post.js')
export { core }
export const { fake } = core

/** The runner's variables run() reads (a link to the run goes into stop causes). */
export const ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_RUN_ID: '4242',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'deploy'
}

export interface HarnessOptions extends EmulatorOptions {
  /** The key pair (and STS token) the inputs sign with; the emulator accepts only it. */
  credential?: EmulatorCredential
}

export interface Harness {
  /** The file's emulator (started in beforeAll). */
  readonly emulator: Emulator
  /** A name no other test of the file uses. */
  unique(prefix: string): string
  /** The action's inputs for `names` of `flow` (default: the first flow) with the harness's keys. */
  inputs(names: string[], extra?: Record<string, string>, flow?: string): Record<string, string>
  /** Creates `names` (unless `start: 'true'`) and sets the fake core's inputs to wait for them. */
  given(names: string[], flow?: string, extra?: Record<string, string>): void
  /** An execution of `flow` that already ended (Succeeded). */
  ended(name: string, flow?: string): void
  requestsFor(name: string, action?: string): RecordedRequest[]
  /** Matches the long poll of `name` the emulator is holding. */
  held(name: string): (r: RecordedRequest) => boolean
  /** Resolves once a long poll of `name` is held; fails at once if the step ends first. */
  whenHeld(name: string, running: Promise<void>): Promise<void>
  /** Resolves when `check` holds, looking after each turn of the event loop; fails if the step ends first. */
  until(check: () => boolean, running: Promise<void>): Promise<void>
  /** The warning lines logged so far. */
  warnings(): string[]
}

export function useHarness(options: HarnessOptions = {}): Harness {
  const { credential = DEMO_CREDENTIAL, ...emulatorOptions } = options
  const firstFlow = emulatorOptions.flows?.[0]?.name ?? 'deploy'
  let emulator: Emulator | undefined
  let serial = 0

  beforeAll(async () => {
    emulator = await startEmulator({
      rateLimit: null,
      ...emulatorOptions,
      credentials: [credential, ...(emulatorOptions.credentials ?? [])]
    })
  })
  afterAll(async () => {
    await emulator?.close()
  })
  beforeEach(() => core.resetCore())

  const started = (): Emulator => {
    if (!emulator) throw new Error('the harness emulator starts in beforeAll: use it inside a test')
    return emulator
  }
  const ended = (running: Promise<void>, what: string) =>
    running.then(() => {
      throw new Error(`run() ended before ${what}:\n${fake.log.join('\n')}`)
    })

  const harness: Harness = {
    get emulator() {
      return started()
    },
    unique: (prefix) => `${prefix}-${++serial}`,
    inputs: (names, extra = {}, flow = firstFlow) => ({
      'flow-name': flow,
      'execution-name': names.join('\n'),
      endpoint: started().url,
      'access-key-id': credential.accessKeyId,
      'access-key-secret': credential.accessKeySecret,
      ...(credential.securityToken ? { 'security-token': credential.securityToken } : {}),
      ...extra
    }),
    given(names, flow = firstFlow, extra = {}) {
      if (extra.start !== 'true')
        for (const name of names) started().createExecution(flow, name, {})
      core.resetCore(harness.inputs(names, extra, flow))
    },
    ended(name, flow = firstFlow) {
      started().createExecution(flow, name, {})
      started().release(flow, name)
    },
    requestsFor: (name, action) =>
      started().requests.filter(
        (r) => r.params.ExecutionName === name && (action === undefined || r.action === action)
      ),
    held: (name) => (r) => r.params.ExecutionName === name && r.holding === true,
    async whenHeld(name, running) {
      await Promise.race([
        started().waitForRequest(harness.held(name)),
        ended(running, `a long poll of ${name}`)
      ])
    },
    async until(check, running) {
      let done = false
      void running.finally(() => (done = true)).catch(() => {})
      while (!check()) {
        if (done) await ended(running, 'the awaited state')
        await new Promise((r) => setImmediate(r))
      }
    },
    warnings: () => fake.log.filter((l) => l.startsWith('warning: '))
  }
  return harness
}

/** A port nothing listens on: connections to it are refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
