/**
 * GitHub's local action runner, @github/local-action, runs `src/main.ts` unbundled with its own
 * stand-ins for @actions/core and @actions/github. CONTRIBUTING.md's "Debug it locally" promises that
 * this works with `.env.example`; these tests run exactly that (the CLI as a child process, the
 * env file made from `.env.example`) against the emulator.
 *
 * The flows end at their start (one step of no duration), so each run ends when the script says,
 * not after a duration raced against the runner's start-up. Nothing leaves 127.0.0.1: the GitHub
 * URLs point at loopback and npm runs offline.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { load } from 'js-yaml'
import { startEmulator, type Emulator, type FlowScript } from '../../emulator/index.js'

const ROOT = resolve(import.meta.dirname, '../..')
const CLI = join(ROOT, 'node_modules/@github/local-action/bin/local-action.js')
const EXAMPLE = readFileSync(join(ROOT, '.env.example'), 'utf8')

const FLOWS: FlowScript[] = [
  {
    name: 'local-ok',
    steps: [{ type: 'pass', name: 'build' }],
    output: { image: 'sha256:0123abcd' }
  },
  {
    name: 'local-fail',
    steps: [
      {
        type: 'pass',
        name: 'deploy',
        fail: { error: 'Deploy.Rejected', cause: 'quota exceeded' }
      }
    ]
  }
]

interface LocalRun {
  code: number | null
  stdout: string
  /** What the action set, from the `::set-output` lines local-action prints. */
  outputs: Record<string, string>
  /** The messages of `::error` commands. */
  errors: string[]
  summary: string
}

let emulator: Emulator
let dir: string

beforeAll(async () => {
  emulator = await startEmulator({ flows: FLOWS })
  dir = mkdtempSync(join(tmpdir(), 'fnf-wait-local-action-'))
})
afterAll(async () => {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

/** `.env.example` with some values replaced; throws if the example lacks one of them. */
function envFromExample(example: string, values: Record<string, string>): string {
  const missing = new Set(Object.keys(values))
  const lines = example.split('\n').map((line) => {
    const key = /^([A-Za-z_][A-Za-z0-9_-]*)=/.exec(line)?.[1]
    if (key === undefined || !(key in values)) return line
    missing.delete(key)
    return `${key}=${values[key]}`
  })
  if (missing.size > 0) throw new Error(`.env.example has no ${[...missing].join(', ')}`)
  return lines.join('\n')
}

function runLocalAction(flowName: string): Promise<LocalRun> {
  const envFile = join(dir, `${flowName}.env`)
  const summaryFile = join(dir, `${flowName}-summary.md`)
  writeFileSync(
    envFile,
    envFromExample(EXAMPLE, {
      'INPUT_FLOW-NAME': flowName,
      INPUT_ENDPOINT: emulator.url,
      GITHUB_STEP_SUMMARY: summaryFile
    })
  )
  // Only what a shell needs: the runner's own GITHUB_* and INPUT_* variables (when the tests run
  // in a workflow) must not leak into the action; the env file is the whole configuration.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    TMPDIR: tmpdir(),
    FORCE_COLOR: '0',
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false'
  }
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, 'run', '.', 'src/main.ts', envFile],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        const outputs: Record<string, string> = {}
        const errors: string[] = []
        for (const line of stdout.split('\n')) {
          const output = /^::set-output name=([^:]+)::(.*)$/.exec(line)
          if (output) outputs[output[1]!] = output[2]!
          const failure = /^::error(?: [^:]*)?::(.*)$/.exec(line)
          if (failure) errors.push(failure[1]!)
        }
        let summary = ''
        try {
          summary = readFileSync(summaryFile, 'utf8')
        } catch {
          // No summary written: the assertions on it say so.
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        done({ code, stdout, outputs, errors, summary })
      }
    )
  })
}

function startedExecution(flowName: string): string {
  const starts = emulator.requests.filter(
    (r) => r.action === 'StartExecution' && r.params.FlowName === flowName
  )
  expect(starts).toHaveLength(1)
  return starts[0]!.params.ExecutionName!
}

describe('.env.example', () => {
  const action = load(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, unknown>
  }

  it('sets only inputs that action.yml has', () => {
    const names = [...EXAMPLE.matchAll(/^INPUT_([A-Z0-9_-]+)=/gm)].map((m) => m[1]!.toLowerCase())
    expect(names.length).toBeGreaterThan(0)
    expect(names.filter((name) => !(name in action.inputs))).toEqual([])
  })

  it('keeps GitHub on loopback', () => {
    expect(EXAMPLE).toMatch(/^GITHUB_API_URL=http:\/\/127\.0\.0\.1/m)
    expect(EXAMPLE).toMatch(/^GITHUB_SERVER_URL=http:\/\/127\.0\.0\.1/m)
  })
})

describe('@github/local-action runs src/main.ts', () => {
  it('starts a flow that succeeds, and sets its outputs', async () => {
    const run = await runLocalAction('local-ok')
    expect(run.code).toBe(0)
    expect(run.errors).toEqual([])
    const name = startedExecution('local-ok')
    expect(emulator.execution('local-ok', name)?.status).toBe('Succeeded')
    expect(run.outputs).toMatchObject({
      status: 'Succeeded',
      'flow-name': 'local-ok',
      'execution-name': name,
      'wait-timed-out': 'false'
    })
    expect(JSON.parse(run.outputs.output!)).toEqual({ image: 'sha256:0123abcd' })
    // The input is .env.example's, passed through to StartExecution.
    expect(JSON.parse(run.outputs.input!)).toEqual({ version: '1.2.3' })
    expect(
      emulator.requests.some(
        (r) => r.action === 'DescribeExecution' && r.params.ExecutionName === name
      )
    ).toBe(true)
    expect(run.stdout).toContain(`ended Succeeded`)
    expect(run.summary).toContain('FnF execution succeeded')
  }, 120_000)

  it('reports a flow that fails, with the root cause', async () => {
    const run = await runLocalAction('local-fail')
    // local-action itself exits 0 after a setFailed; the failure is the `::error::` it prints.
    expect(run.code).toBe(0)
    const name = startedExecution('local-fail')
    expect(emulator.execution('local-fail', name)?.status).toBe('Failed')
    expect(run.outputs).toMatchObject({
      status: 'Failed',
      'execution-name': name,
      'failed-step': 'deploy',
      error: 'Deploy.Rejected',
      cause: 'quota exceeded'
    })
    expect(run.errors.some((m) => /ended Failed/.test(m) && /Deploy\.Rejected/.test(m))).toBe(true)
    expect(run.summary).not.toBe('')
  }, 120_000)
})
