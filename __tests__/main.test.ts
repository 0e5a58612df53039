/**
 * The orchestration in process: run() from src/main.ts and runPost() from src/post.ts with
 * @actions/core replaced by a typed fake (support/harness.ts) and the real emulator on 127.0.0.1.
 * Executions are held until the test releases them, and cancellation is a signal emitted when the
 * test says so: every outcome here follows from events, never from a race with the clock. The only
 * durations are the action's own `timeout` input in the on-timeout tests (the behaviour under test).
 */
import { describe, expect, it } from '@jest/globals'
import { type RecordedRequest } from '../emulator/index.js'
import { ENV, closedPort, core, fake, run, useHarness } from './support/harness.js'

const h = useHarness({
  flows: [
    // Held: ends only when a test releases it.
    { name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll-out', durationMs: 0 }] },
    {
      name: 'broken',
      steps: [
        { type: 'task', name: 'prepare', durationMs: 0 },
        { type: 'fail', name: 'migrate', error: 'Schema.Rejected', cause: 'column exists' }
      ]
    }
  ]
})
const { given, requestsFor, whenHeld, warnings } = h
const uniqueName = h.unique

describe('one execution', () => {
  it('still running at the first read, ended while the long poll was held: passes with every output', async () => {
    const name = uniqueName('ok')
    given([name])
    const running = run(ENV)
    await whenHeld(name, running)
    h.emulator.release('deploy', name, { status: 'Succeeded', output: { url: 'https://x/1' } })
    await running

    expect(fake.failed).toBeUndefined()
    expect(Object.fromEntries(fake.outputs)).toMatchObject({
      status: 'Succeeded',
      'execution-name': name,
      'flow-name': 'deploy',
      'wait-timed-out': 'false',
      output: '{"url":"https://x/1"}'
    })
    expect(requestsFor(name, 'DescribeExecution').map((r) => r.params.WaitTimeSeconds)).toEqual([
      '0',
      '60'
    ])
    // Succeeded: no history is read by default, and the post step is told there is nothing to do.
    expect(requestsFor(name, 'GetExecutionHistory')).toHaveLength(0)
    expect(fake.state.get('phase')).toBe('done')
    expect(fake.summary).toContain(name)
  })

  it('a Failed execution fails the step with the root cause from its history', async () => {
    const name = uniqueName('broken')
    given([name], 'broken')
    await run(ENV)
    expect(fake.failed).toMatch(
      new RegExp(
        `^Execution ${name} of flow broken ended Failed \\(fail-on: [^)]*\\)\\. ` +
          'Root cause: step migrate failed with Schema.Rejected: column exists\\.$'
      )
    )
    expect(fake.outputs.get('status')).toBe('Failed')
    expect(requestsFor(name, 'GetExecutionHistory').length).toBeGreaterThan(0)
    expect(fake.log).toContainEqual(expect.stringMatching(/^error: .*Schema\.Rejected/))
  })

  it('fail-on without Failed: the same execution passes, its status still an output', async () => {
    const name = uniqueName('broken')
    given([name], 'broken', { 'fail-on': 'TimedOut' })
    await run(ENV)
    expect(fake.failed).toBeUndefined()
    expect(fake.outputs.get('status')).toBe('Failed')
  })

  it('a bad input fails at once, names the input, and sends nothing', async () => {
    const before = h.emulator.count()
    core.resetCore({ 'flow-name': 'deploy', 'execution-name': 'x', timeout: 'soon' })
    await run(ENV)
    expect(fake.failed).toMatch(/^fnf-wait: Input "timeout" is "soon", which is not a duration/)
    expect(h.emulator.count()).toBe(before)
    expect(fake.outputs.size).toBe(0)
  })

  it('a missing execution fails with ExecutionNotExists after one request', async () => {
    given([], 'deploy', { 'execution-name': 'never-started' })
    await run(ENV)
    expect(fake.failed).toMatch(/ExecutionNotExists/)
    expect(requestsFor('never-started')).toHaveLength(1)
  })
})

// The action's own deadline is real time: that duration is the behaviour under test. The
// execution is held, so it cannot end first whatever the machine's load.
describe('our own timeout (the 1 s timeout input is the behaviour under test)', () => {
  it('on-timeout: fail leaves it running and fails with both ways out', async () => {
    const name = uniqueName('to-fail')
    given([name], 'deploy', { timeout: '1' })
    await run(ENV)
    expect(fake.failed).toBe(
      `Gave up waiting after 1s (timeout input): execution ${name} is still Running. ` +
        'Raise "timeout", or set "on-timeout: stop" to stop it or "continue" to pass.'
    )
    expect(fake.outputs.get('wait-timed-out')).toBe('true')
    expect(fake.outputs.get('status')).toBe('Running')
    expect(requestsFor(name, 'StopExecution')).toHaveLength(0)
    for (const r of requestsFor(name, 'DescribeExecution'))
      expect(Number(r.params.WaitTimeSeconds)).toBeLessThanOrEqual(1)
    h.emulator.release('deploy', name)
  })

  it('on-timeout: stop stops it with FnfWaitTimeout and a link to the run, then fails', async () => {
    const name = uniqueName('to-stop')
    given([name], 'deploy', { timeout: '1', 'on-timeout': 'stop' })
    await run(ENV)
    // How it stood when the wait gave up, not the Stopped our own stop made it.
    expect(fake.failed).toBe(
      `Gave up waiting after 1s (timeout input): execution ${name} was still running. ` +
        'It was stopped (on-timeout: stop).'
    )
    for (const { message } of fake.annotations) expect(message).not.toMatch(/\.\./)
    const stops = requestsFor(name, 'StopExecution')
    expect(stops).toHaveLength(1)
    expect(stops[0]!.params.Error).toBe('FnfWaitTimeout')
    expect(stops[0]!.params.Cause).toContain('https://github.com/octo/app/actions/runs/4242')
    expect(h.emulator.execution('deploy', name)?.status).toBe('Stopped')
    expect(fake.outputs.get('status')).toBe('Stopped')
  })

  it('on-timeout: continue passes with a warning', async () => {
    const name = uniqueName('to-continue')
    given([name], 'deploy', { timeout: '1', 'on-timeout': 'continue' })
    await run(ENV)
    expect(fake.failed).toBeUndefined()
    expect(fake.outputs.get('wait-timed-out')).toBe('true')
    expect(warnings()).toContainEqual(expect.stringMatching(/on-timeout is "continue"/))
    h.emulator.release('deploy', name)
  })
})

describe('a GitHub-hosted runner', () => {
  it('warns at the start when timeout is longer than a hosted job may run', async () => {
    const name = uniqueName('hosted')
    h.ended(name)
    given([], 'deploy', { 'execution-name': name, timeout: '8h' })
    await run({ ...ENV, RUNNER_ENVIRONMENT: 'github-hosted' })
    expect(fake.failed).toBeUndefined()
    const warning = fake.log.findIndex((l) =>
      l.startsWith('warning: Input "timeout" is 8h, but a job on a GitHub-hosted runner is stopped')
    )
    expect(warning).toBeGreaterThanOrEqual(0)
    expect(fake.log[warning]).toMatch(/#waits-longer-than-a-job$/)
    // Before anything else is logged.
    expect(warning).toBe(0)
  })
})

describe('a wrong endpoint', () => {
  it('a port nothing listens on: the verdict after 3 tries, naming the endpoint input', async () => {
    const name = uniqueName('refused')
    given([name], 'deploy', { endpoint: `http://127.0.0.1:${await closedPort()}` })
    await run(ENV)
    expect(fake.failed).toMatch(/DescribeExecution failed: ECONNREFUSED/)
    expect(fake.failed).toContain('Check the `endpoint` input (its host and port)')
    expect(fake.log.filter((l) => /retry \d of 9/.test(l))).toHaveLength(2)
    h.emulator.release('deploy', name)
  })
})

describe('several executions', () => {
  it('fail-fast: the first failure ends the wait; the one still running is stopped', async () => {
    const [a, b] = [uniqueName('ff'), uniqueName('ff')] as [string, string]
    given([a, b], 'deploy', { 'fail-fast': 'true', 'stop-on-cancel': 'true' })
    const running = run(ENV)
    await whenHeld(a, running)
    await whenHeld(b, running)
    h.emulator.release('deploy', a, { status: 'Failed', error: 'Region.Down', cause: 'eu is down' })
    await running

    // b counts too: it was stopped, and a stopped execution did not succeed either.
    expect(fake.failed).toMatch(
      new RegExp(
        `^2 of 2 executions of flow deploy did not succeed: ${a} \\(Failed\\), ${b} \\(Stopped\\)\\.`
      )
    )
    expect(fake.failed).toMatch(new RegExp(`Root cause \\(${a}\\): .*Region\\.Down: eu is down`))
    const stops = requestsFor(b, 'StopExecution')
    expect(stops.map((r) => r.params.Error)).toEqual(['FnfWaitFailFast'])
    expect(h.emulator.execution('deploy', b)?.status).toBe('Stopped')
    expect(requestsFor(a, 'StopExecution')).toHaveLength(0)
    const results = JSON.parse(fake.outputs.get('results')!)
    expect(results[a].status).toBe('Failed')
    expect(fake.outputs.get('status')).toBe('Failed')
  })

  it('without fail-fast, waits for every execution and reports each', async () => {
    const [a, b] = [uniqueName('all'), uniqueName('all')] as [string, string]
    given([a, b])
    const running = run(ENV)
    await whenHeld(a, running)
    await whenHeld(b, running)
    h.emulator.release('deploy', a, { status: 'Failed', error: 'E', cause: 'c' })
    // a's held poll is answered with its end while b is still held.
    await h.emulator.waitForRequest(
      (r) => r.params.ExecutionName === a && r.action === 'DescribeExecution' && r.status === 200
    )
    h.emulator.release('deploy', b, { output: { ok: 1 } })
    await running
    expect(fake.failed).toMatch(/^1 of 2 executions of flow deploy did not succeed/)
    const results = JSON.parse(fake.outputs.get('results')!)
    expect(results[a].status).toBe('Failed')
    expect(results[b]).toMatchObject({ status: 'Succeeded', output: { ok: 1 } })
    expect(requestsFor(b, 'StopExecution')).toHaveLength(0)
  })
})

describe('cancellation', () => {
  it('SIGINT while held: stops the execution this step started, then fails', async () => {
    given([uniqueName('cancel')], 'deploy', { start: 'true' })
    const name = fake.inputs.get('execution-name')!
    const running = run(ENV)
    await whenHeld(name, running)
    process.emit('SIGINT')
    await running
    expect(fake.failed).toBe('The job was cancelled (SIGINT).')
    const stops = requestsFor(name, 'StopExecution')
    expect(stops.map((r) => r.params.Error)).toEqual(['GitHubRunCancelled'])
    expect(stops[0]!.params.Cause).toContain('https://github.com/octo/app/actions/runs/4242')
    expect(h.emulator.execution('deploy', name)?.status).toBe('Stopped')
    expect(fake.state.get('phase')).toBe('done')
    expect(process.listenerCount('SIGINT')).toBe(0)
  })

  it('SIGTERM while held: leaves an execution it did not start running', async () => {
    const name = uniqueName('leave')
    given([name])
    const running = run(ENV)
    await whenHeld(name, running)
    process.emit('SIGTERM')
    await running
    expect(fake.failed).toBe('The job was cancelled (SIGTERM).')
    expect(requestsFor(name, 'StopExecution')).toHaveLength(0)
    expect(fake.log).toContainEqual(
      expect.stringMatching(new RegExp(`Leaving ${name} running \\(stop-on-cancel: auto`))
    )
    expect(h.emulator.execution('deploy', name)?.status).toBe('Running')
    h.emulator.release('deploy', name)
  })
})

describe('live progress (interval shortened to 250 ms by the tests-only env knob)', () => {
  const FAST = { ...ENV, FNF_WAIT_PROGRESS_INTERVAL_MS: '250' }

  it('reads the history while waiting, never beside the long poll, and the report reads only what is new', async () => {
    const name = uniqueName('live')
    given([name], 'deploy', { history: 'always' })
    const running = run(FAST)
    await whenHeld(name, running)
    // Two progress reads answered while the one long poll is held.
    const read = (r: RecordedRequest) =>
      r.action === 'GetExecutionHistory' && r.params.ExecutionName === name && r.status === 200
    await h.emulator.waitForRequest(read, 2)
    const during = requestsFor(name, 'GetExecutionHistory')
    h.emulator.release('deploy', name, { status: 'Succeeded' })
    await running

    expect(fake.failed).toBeUndefined()
    const polls = requestsFor(name, 'DescribeExecution')
    expect(polls.map((r) => r.params.WaitTimeSeconds)).toEqual(['0', '60'])
    const history = requestsFor(name, 'GetExecutionHistory')
    expect(during.length).toBeGreaterThanOrEqual(2)
    for (let i = 1; i < during.length; i++) {
      expect(during[i]!.receivedAt - during[i - 1]!.receivedAt).toBeGreaterThanOrEqual(240)
    }
    // After the end: one page, from where progress was.
    expect(history.length - during.length).toBe(1)
    expect(fake.log).toContainEqual(expect.stringMatching(/^info: Read \d+ history events of/))
  })

  it('denied history: one warning, progress off, the wait goes on', async () => {
    const noHistory = {
      accessKeyId: 'LTAI5tNoHistoryKey',
      accessKeySecret: 'no-history-secret',
      deniedActions: ['GetExecutionHistory']
    }
    h.emulator.addCredential(noHistory)
    const name = uniqueName('denied')
    given([name], 'deploy', {
      'access-key-id': noHistory.accessKeyId,
      'access-key-secret': noHistory.accessKeySecret
    })
    const running = run(FAST)
    await whenHeld(name, running)
    await h.emulator.waitForRequest(
      (r) =>
        r.action === 'GetExecutionHistory' && r.params.ExecutionName === name && r.status === 403
    )
    // The wait goes on: the long poll is still held (that no read follows is shown on a fake
    // clock in step/live-progress.test.ts).
    h.emulator.release('deploy', name, { status: 'Succeeded' })
    await running
    expect(fake.failed).toBeUndefined()
    expect(requestsFor(name, 'GetExecutionHistory')).toHaveLength(1)
    expect(warnings()).toEqual([
      expect.stringMatching(
        /^warning: Live progress is off: .*fnf:GetExecutionHistory \(Forbidden\.RAM\)/
      )
    ])
  })

  it('progress: false reads no history while waiting', async () => {
    const name = uniqueName('quiet')
    given([name], 'deploy', { progress: 'false', history: 'never' })
    const running = run(FAST)
    await whenHeld(name, running)
    // An absence cannot be awaited: wait several intervals (a slow machine checks fewer of them, never fails a right answer).
    await new Promise((r) => setTimeout(r, 700))
    h.emulator.release('deploy', name, { status: 'Succeeded' })
    await running
    expect(requestsFor(name, 'GetExecutionHistory')).toHaveLength(0)
  })
})
