/**
 * End-to-end: the bundled dist/index.js runs as a child process with a runner's environment,
 * against the emulator on 127.0.0.1. Assertions are on outputs, exit codes, annotations and the
 * requests the emulator recorded — never on wall-clock times.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type FlowScript
} from '../../emulator/index.js'
import { FnfClient } from '../../src/fnf/client.js'
import { runAction, type ActionRun } from '../../scripts/run-action.js'

const FLOWS: FlowScript[] = [
  {
    name: 'ok-flow',
    steps: [{ type: 'task', name: 'work', durationMs: 0 }],
    output: { ok: true, url: 'https://example.com/r/1' }
  },
  {
    // Ends when the test releases it: "still running at the first read" is an event, not a race.
    name: 'held-flow',
    hold: true,
    steps: [{ type: 'task', name: 'work', durationMs: 0 }],
    output: { ok: true, url: 'https://example.com/r/1' }
  },
  {
    name: 'fail-flow',
    steps: [
      { type: 'task', name: 'prepare', durationMs: 100 },
      { type: 'fail', name: 'boom', error: 'Deploy.Rejected', cause: 'quota exceeded' }
    ]
  },
  {
    name: 'timeout-flow',
    timeoutMs: 300,
    steps: [{ type: 'wait', name: 'forever', durationMs: 60_000 }]
  },
  { name: 'slow-flow', steps: [{ type: 'wait', name: 'long', durationMs: 3_600_000 }] },
  {
    name: 'big-output',
    steps: [{ type: 'pass', name: 'p' }],
    // ~3 MB of JSON: three times GitHub's per-job output limit.
    output: () => ({
      rows: Array.from({ length: 30_000 }, (_, i) => ({ i, text: 'x'.repeat(90) }))
    })
  }
]

let emulator: Emulator
let serial = 0
const keys = {
  'access-key-id': DEMO_CREDENTIAL.accessKeyId,
  'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
}

beforeAll(async () => {
  emulator = await startEmulator({ flows: FLOWS })
})
afterAll(async () => {
  await emulator.close()
})

function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++serial}`
}

/** Creates an execution as if started elsewhere and returns the inputs to wait for it. */
type Inputs = Record<string, string> & { 'flow-name': string; 'execution-name': string }

function existing(flow: string, extra: Record<string, string> = {}): Inputs {
  const name = uniqueName('e')
  emulator.createExecution(flow, name, {})
  return { 'flow-name': flow, 'execution-name': name, endpoint: emulator.url, ...keys, ...extra }
}

function requestsFor(name: string, action?: string) {
  return emulator.requests.filter(
    (r) => r.params.ExecutionName === name && (action === undefined || r.action === action)
  )
}

/** Resolves once a long poll of `name` is held; fails at once if the action ends first. */
async function whenHeld(name: string, running: Promise<ActionRun>): Promise<void> {
  await Promise.race([
    emulator.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true),
    running.then((run) => {
      throw new Error(
        `the action ended (code ${run.code}) before a long poll of ${name}:\n${run.stdout}`
      )
    })
  ])
}

function client(): FnfClient {
  return new FnfClient({ endpoint: emulator.url, credentials: () => DEMO_CREDENTIAL })
}

function expectFailed(run: ActionRun, message: RegExp): void {
  expect(run.code).toBe(1)
  expect(run.annotations.some((a) => a.level === 'error' && message.test(a.message))).toBe(true)
}

describe('waiting', () => {
  it('passes on Succeeded and sets every output', async () => {
    const inputs = existing('held-flow')
    const running = runAction({ inputs })
    await whenHeld(inputs['execution-name'], running)
    emulator.release('held-flow', inputs['execution-name'])
    const run = await running
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({
      status: 'Succeeded',
      'execution-name': inputs['execution-name'],
      'flow-name': 'held-flow',
      'wait-timed-out': 'false',
      'output-truncated': 'false',
      'output-file': '',
      input: '{}'
    })
    expect(JSON.parse(run.outputs.output!)).toEqual({ ok: true, url: 'https://example.com/r/1' })
    expect(run.outputs['started-time']).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(run.outputs['stopped-time']).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(run.outputs['duration-seconds']).toMatch(/^\d+$/)
    // A first instant read, then the server held the request until the end: one long poll.
    const polls = requestsFor(inputs['execution-name'], 'DescribeExecution')
    expect(polls.map((r) => r.params.WaitTimeSeconds)).toEqual(['0', '60'])
    expect(run.stdout).toMatch(/Waiting for execution .* of flow held-flow until/)
    expect(run.stdout).toMatch(/ended Succeeded/)
  })

  it.each([
    ['Failed', 'fail-flow'],
    ['TimedOut', 'timeout-flow']
  ])('fails on %s, with outputs set first', async (status, flow) => {
    const run = await runAction({ inputs: existing(flow) })
    expectFailed(run, new RegExp(`ended ${status}`))
    expect(run.outputs.status).toBe(status)
    expect(run.outputs['stopped-time']).not.toBe('')
  })

  it('fails on Stopped', async () => {
    const inputs = existing('slow-flow')
    await client().stopExecution({
      flowName: 'slow-flow',
      executionName: inputs['execution-name'],
      error: 'Manual',
      cause: 'stopped by an operator'
    })
    const run = await runAction({ inputs })
    expectFailed(run, /ended Stopped/)
    expect(run.outputs.status).toBe('Stopped')
  })

  it('follows fail-on: a Failed execution passes when only TimedOut fails', async () => {
    const run = await runAction({ inputs: existing('fail-flow', { 'fail-on': 'TimedOut' }) })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('Failed')
  })

  it('with wait: false reads the status once and returns', async () => {
    const inputs = existing('slow-flow', { wait: 'false' })
    const run = await runAction({ inputs })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('Running')
    const polls = requestsFor(inputs['execution-name'], 'DescribeExecution')
    expect(polls.map((r) => r.params.WaitTimeSeconds)).toEqual(['0'])
  })
})

// Our own timeout (on-timeout: fail, stop, continue) is shown in process by main.test.ts: the same
// outputs, stop request and message; the exit code and annotations of a failure are shown above.

describe('start', () => {
  it('starts with a name made from the run, and a retried step finds its own', async () => {
    const env = { GITHUB_RUN_ID: String(100_000 + ++serial), GITHUB_RUN_ATTEMPT: '1' }
    const inputs = {
      'flow-name': 'ok-flow',
      start: 'true',
      input: '{"v":1}',
      endpoint: emulator.url,
      ...keys
    }
    const first = await runAction({ inputs, env })
    expect(first.code).toBe(0)
    const name = first.outputs['execution-name']!
    expect(name).toMatch(new RegExp(`^github-${env.GITHUB_RUN_ID}-1-deploy-[0-9a-f]{8}$`))
    expect(first.outputs.input).toBe('{"v":1}')
    // The same step again (a retry): StartExecution answers ExecutionAlreadyExists; we adopt it.
    const retried = await runAction({ inputs, env })
    expect(retried.code).toBe(0)
    expect(retried.outputs['execution-name']).toBe(name)
    expect(retried.outputs.status).toBe('Succeeded')
    expect(requestsFor(name, 'StartExecution').map((r) => r.code ?? 'ok')).toEqual([
      'ok',
      'ExecutionAlreadyExists'
    ])
    // A re-run of the workflow is a new attempt and a new execution.
    const rerun = await runAction({ inputs, env: { ...env, GITHUB_RUN_ATTEMPT: '2' } })
    expect(rerun.outputs['execution-name']).not.toBe(name)
  })

  it('a retried step finds its execution still running', async () => {
    const name = uniqueName('given')
    const inputs = {
      'flow-name': 'slow-flow',
      'execution-name': name,
      start: 'true',
      timeout: '1s',
      'on-timeout': 'continue',
      endpoint: emulator.url,
      ...keys
    }
    await runAction({ inputs })
    const again = await runAction({ inputs })
    expect(again.code).toBe(0)
    expect(again.outputs.status).toBe('Running')
    expect(requestsFor(name, 'StartExecution').every((r) => r.status === 200)).toBe(true)
  })

  it('refuses to reuse a given name whose execution already ended', async () => {
    const inputs = existing('ok-flow')
    await runAction({ inputs })
    const run = await runAction({ inputs: { ...inputs, start: 'true' } })
    expectFailed(run, /already ended.*Use a new "execution-name"/)
  })
})

describe('cancellation', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops the execution this step started, then exits non-zero',
    async (signal) => {
      const run = await runAction({
        inputs: { 'flow-name': 'slow-flow', start: 'true', endpoint: emulator.url, ...keys },
        env: { GITHUB_RUN_ID: String(200_000 + ++serial) },
        onLine: (line, child) => {
          if (line.startsWith('Waiting for execution')) child.kill(signal)
        }
      })
      const name = run.outputs['execution-name']!
      expect(run.code).not.toBe(0)
      const stops = requestsFor(name, 'StopExecution')
      expect(stops).toHaveLength(1)
      expect(stops[0]!.params.Error).toBe('GitHubRunCancelled')
      expect(stops[0]!.params.Cause).toMatch(
        /cancelled: https:\/\/github\.com\/octo\/app\/actions\/runs\/\d+/
      )
      expect(emulator.execution('slow-flow', name)?.status).toBe('Stopped')
      expect(run.outputs.status).toBe('Stopped')
      expect(run.state.phase).toBe('done')
    }
  )

  it('leaves an execution it did not start running (stop-on-cancel: auto)', async () => {
    const inputs = existing('slow-flow')
    const run = await runAction({
      inputs,
      onLine: (line, child) => {
        if (line.startsWith('Waiting for execution')) child.kill('SIGINT')
      }
    })
    expect(run.code).not.toBe(0)
    expect(requestsFor(inputs['execution-name'], 'StopExecution')).toHaveLength(0)
    expect(emulator.execution('slow-flow', inputs['execution-name'])?.status).toBe('Running')
  })

  it('the post step stops the execution when the main step was killed outright', async () => {
    const inputs = existing('slow-flow', { 'stop-on-cancel': 'true' })
    const main = await runAction({
      inputs,
      onLine: (line, child) => {
        if (line.startsWith('Waiting for execution')) child.kill('SIGKILL')
      }
    })
    expect(main.signal).toBe('SIGKILL')
    expect(main.state).toMatchObject({ phase: 'waiting', 'stop-on-cancel': 'true' })
    const post = await runAction({ inputs, state: main.state })
    expect(post.code).toBe(0)
    expect(requestsFor(inputs['execution-name'], 'StopExecution')).toHaveLength(1)
    expect(emulator.execution('slow-flow', inputs['execution-name'])?.status).toBe('Stopped')
  })

  it('the post step does nothing after a main step that finished', async () => {
    const inputs = existing('ok-flow', { 'stop-on-cancel': 'true' })
    const main = await runAction({ inputs })
    const before = emulator.count()
    const post = await runAction({ inputs, state: main.state })
    expect(post.code).toBe(0)
    expect(emulator.count()).toBe(before)
  })
})

describe('transient failures', () => {
  it.each([
    ['throttle', 3],
    ['server-error', 3],
    ['reset', 2],
    ['html', 2]
  ] as const)('survives %s x%d', async (kind, count) => {
    const inputs = existing('ok-flow')
    emulator.injectFault({ kind, action: 'DescribeExecution', count })
    const before = emulator.count()
    const run = await runAction({ inputs })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('Succeeded')
    expect(run.stdout.match(/DescribeExecution: .*retry \d+ of \d+ in/g)).toHaveLength(count)
    // Each faulted request was retried once, and nothing else was sent.
    const sent = requestsFor(inputs['execution-name'], 'DescribeExecution')
    expect(sent.filter((r) => r.status !== 200)).toHaveLength(count)
    expect(sent.at(-1)?.status).toBe(200)
    expect(emulator.count() - before).toBe(sent.length)
  })
})

describe('errors a user must fix fail at once, with the hint', () => {
  it('a wrong secret: one request, SignatureNotMatch and what to check', async () => {
    const inputs = existing('ok-flow', { 'access-key-secret': 'wrong-secret' })
    const before = emulator.count()
    const run = await runAction({ inputs })
    expectFailed(run, /SignatureNotMatch/)
    expect(run.stdout).toMatch(/access-key-secret/)
    expect(emulator.count() - before).toBe(1)
    expect(run.stdout.replace('::add-mask::wrong-secret', '')).not.toContain('wrong-secret')
  })

  it('a missing execution: one read, ExecutionNotExists and the hint', async () => {
    const before = emulator.requests.length
    const run = await runAction({
      inputs: { 'flow-name': 'ok-flow', 'execution-name': 'nope', endpoint: emulator.url, ...keys }
    })
    expectFailed(run, /ExecutionNotExists/)
    expect(run.stdout).toMatch(/execution-name/)
    // Then one DescribeFlow, only because nothing was found: on an Express flow that is why.
    expect(emulator.requests.slice(before).map((r) => r.action)).toEqual([
      'DescribeExecution',
      'DescribeFlow'
    ])
    expect(run.outputs['flow-name']).toBe('ok-flow')
  })

  it.each([
    ['flow-name', ''],
    ['flow-name', 'bad name'],
    // Waiting takes any name the service may give; a dot is never one.
    ['execution-name', 'dot.ted'],
    // Starting keeps the documented rule: a letter or "_" first.
    ['execution-name', '-x'],
    ['timeout', 'soon'],
    ['fail-on', 'Broken'],
    ['on-timeout', 'maybe'],
    ['stop-on-cancel', 'sometimes'],
    ['wait', 'no'],
    ['start', 'yes'],
    ['input', '{not json'],
    ['endpoint', 'http://fnf.example.com'],
    ['region', 'Not A Region']
  ])('invalid %s %j: no request at all', async (name, value) => {
    const inputs = existing('ok-flow', { [name]: value })
    if (name === 'input' || value === '-x') inputs.start = 'true'
    if (name === 'region') inputs.endpoint = ''
    const before = emulator.count()
    const run = await runAction({ inputs })
    expect(run.code).toBe(1)
    expect(emulator.count()).toBe(before)
    const error = run.annotations.find((a) => a.level === 'error')
    expect(error?.message).toContain(`"${name}"`)
  })
})

describe('credentials', () => {
  it('uses env credentials with an STS token when the inputs are empty', async () => {
    emulator.addCredential({
      accessKeyId: 'STS.emulator-temp',
      accessKeySecret: 'sts-secret',
      securityToken: 'sts-token-value',
      expiresAt: Date.now() + 3_600_000
    })
    const inputs = existing('ok-flow', { 'access-key-id': '', 'access-key-secret': '' })
    const run = await runAction({
      inputs,
      env: {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.emulator-temp',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sts-secret',
        ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token-value'
      }
    })
    expect(run.code).toBe(0)
    const poll = requestsFor(inputs['execution-name'], 'DescribeExecution')[0]!
    expect(poll.params.AccessKeyId).toBe('STS.emulator-temp')
    expect(poll.params.SecurityToken).toBe('sts-token-value')
    for (const secret of ['sts-secret', 'sts-token-value']) {
      expect(run.stdout).toContain(`::add-mask::${secret}`)
      expect(run.stdout.replaceAll(`::add-mask::${secret}`, '')).not.toContain(secret)
    }
  })
})

describe('an STS token that expires', () => {
  it('names the cause and both fixes', async () => {
    emulator.addCredential({
      accessKeyId: 'STS.expired-temp',
      accessKeySecret: 'expired-secret',
      securityToken: 'expired-token',
      expiresAt: Date.now() - 1000
    })
    const inputs = existing('ok-flow', {
      'access-key-id': 'STS.expired-temp',
      'access-key-secret': 'expired-secret',
      'security-token': 'expired-token'
    })
    const run = await runAction({ inputs })
    expect(run.code).toBe(1)
    const message = run.annotations.find((a) => a.level === 'error')?.message ?? ''
    expect(message).toMatch(/InvalidSecurityToken\.Expired/)
    expect(message).toMatch(/role-session-expiration/)
    expect(message).toMatch(/role-to-assume/)
  })
})

describe('output', () => {
  it('a multi-megabyte output is cut to fit, and the whole is in a file', async () => {
    const inputs = existing('big-output')
    const run = await runAction({ inputs })
    expect(run.code).toBe(0)
    expect(run.outputs['output-truncated']).toBe('true')
    const file = run.outputs['output-file']!
    expect(file.startsWith(run.dir)).toBe(true)
    const whole = readFileSync(file, 'utf8')
    expect(JSON.parse(whole).rows).toHaveLength(30_000)
    expect(whole.startsWith(run.outputs.output!)).toBe(true)
    const utf16 = Object.entries(run.outputs).reduce(
      (n, [k, v]) => n + (k.length + v.length) * 2,
      0
    )
    expect(utf16).toBeLessThanOrEqual(1_000_000)
  })

  it('writes output-file when asked', async () => {
    const inputs = existing('ok-flow', { 'output-file': 'result/out.json' })
    const run = await runAction({ inputs })
    expect(run.outputs['output-file']).toBe('result/out.json')
    expect(existsSync(`${run.dir}/result/out.json`)).toBe(true)
    expect(JSON.parse(readFileSync(`${run.dir}/result/out.json`, 'utf8'))).toEqual({
      ok: true,
      url: 'https://example.com/r/1'
    })
  })

  it('a GITHUB_OUTPUT that is a directory fails the step with the file and what to check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fnf-wait-out-dir-'))
    const run = await runAction({ inputs: existing('ok-flow'), env: { GITHUB_OUTPUT: dir } })
    expect(run.code).toBe(1)
    const failure = run.annotations.filter((a) => a.level === 'error').map((a) => a.message)
    expect(failure).toEqual([
      expect.stringMatching(
        new RegExp(
          `^fnf-wait: Could not write the step's outputs to GITHUB_OUTPUT \\(${dir}\\): .*EISDIR.*It is a directory`
        )
      )
    ])
  })
})
