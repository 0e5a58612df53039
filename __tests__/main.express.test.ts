/**
 * run() on Express flows (in process, support/harness.ts): how the step learns the mode without
 * costing a standard flow a request, several express executions held at once, what a cancel or
 * the step's timeout means for an execution no API can stop, and why waiting by name cannot work.
 * Every express execution ends when the test releases it.
 */
import { describe, expect, it } from '@jest/globals'
import { ENV, core, fake, run, useHarness } from './support/harness.js'
import { heldExpressFlow, NO_DESCRIBE_FLOW } from './support/express.js'

const h = useHarness({
  flows: [
    heldExpressFlow('smoke'),
    { name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll', durationMs: 0 }] }
  ],
  credentials: [NO_DESCRIBE_FLOW]
})
const { unique, inputs, requestsFor, until, whenHeld } = h

const heldStarts = (): number =>
  h.emulator.requests.filter((r) => r.action === 'StartSyncExecution' && r.holding === true).length

describe('an express flow with start: true', () => {
  it('runs several executions at once, each to its own answer', async () => {
    const names = [unique('a'), unique('b'), unique('c')]
    core.resetCore(inputs(names, { start: 'true' }, 'smoke'))
    const describesBefore = h.emulator.count('DescribeFlow')
    const running = run(ENV)
    // All three requests are held together before any execution ends.
    await until(() => heldStarts() === 3, running)
    h.emulator.release('smoke', names[0]!, { output: { n: 0 } })
    h.emulator.release('smoke', names[1]!, { status: 'Failed', error: 'Probe.Down', cause: 'x' })
    h.emulator.release('smoke', names[2]!, { output: { n: 2 } })
    await running

    expect(fake.failed).toMatch(
      new RegExp(`^1 of 3 executions of flow smoke did not succeed: ${names[1]} \\(Failed\\)\\.`)
    )
    const results = JSON.parse(fake.outputs.get('results')!)
    expect(results[names[0]!]).toMatchObject({ status: 'Succeeded', output: { n: 0 } })
    expect(results[names[1]!]).toMatchObject({ status: 'Failed', error: 'Probe.Down', cause: 'x' })
    // The mode is asked once for the step; nothing is long-polled, read or saved for a stop.
    expect(h.emulator.count('DescribeFlow') - describesBefore).toBe(1)
    for (const name of names) {
      expect(requestsFor(name).map((r) => r.action)).toEqual([
        'StartExecution',
        'StartSyncExecution'
      ])
    }
    expect(fake.state.get('execution-name') ?? '').toBe('')
  })

  it('without fnf:DescribeFlow, tries StartSyncExecution after the refusal', async () => {
    const name = unique('nodescribe')
    core.resetCore(
      inputs(
        [name],
        {
          start: 'true',
          'access-key-id': NO_DESCRIBE_FLOW.accessKeyId,
          'access-key-secret': NO_DESCRIBE_FLOW.accessKeySecret
        },
        'smoke'
      )
    )
    const running = run(ENV)
    await whenHeld(name, running)
    h.emulator.release('smoke', name)
    await running
    expect(fake.failed).toBeUndefined()
    expect(fake.outputs.get('status')).toBe('Succeeded')
    expect(fake.log).toContainEqual(
      expect.stringMatching(/^debug: DescribeFlow of smoke could not be read.*Forbidden\.RAM/)
    )
  })

  it('a standard flow costs no request to learn its mode', async () => {
    const name = unique('std')
    core.resetCore(inputs([name], { start: 'true' }, 'deploy'))
    const describesBefore = h.emulator.count('DescribeFlow')
    const running = run(ENV)
    await whenHeld(name, running)
    h.emulator.release('deploy', name)
    await running
    expect(fake.failed).toBeUndefined()
    expect(h.emulator.count('DescribeFlow')).toBe(describesBefore)
    expect(requestsFor(name, 'StartSyncExecution')).toEqual([])
  })

  it('a cancel aborts the held request and says the execution runs on', async () => {
    const name = unique('cancel')
    core.resetCore(inputs([name], { start: 'true' }, 'smoke'))
    const running = run(ENV)
    await whenHeld(name, running)
    process.emit('SIGINT')
    await running
    expect(fake.failed).toBe('The job was cancelled (SIGINT).')
    expect(fake.log).toContainEqual(
      `info: The StartSyncExecution request of ${name} was aborted: the express execution, if ` +
        'it started, runs on until it ends, at most 5 minutes after it started (no API stops ' +
        'or reads an express execution).'
    )
    expect(requestsFor(name, 'StopExecution')).toEqual([])
    expect(h.emulator.execution('smoke', name)?.status).toBe('Running')
    h.emulator.release('smoke', name)
  })

  it('the step timeout cuts the held request: a wait timeout, and no stop is pretended', async () => {
    const name = unique('slow')
    core.resetCore(inputs([name], { start: 'true', timeout: '2s', 'on-timeout': 'stop' }, 'smoke'))
    // The emulator holds the execution until released: only the step's own deadline ends the wait.
    await run(ENV)
    expect(fake.outputs.get('wait-timed-out')).toBe('true')
    expect(fake.failed).toContain(
      `No API stops an express execution: ${name} may run on until it ends, at most 5 minutes ` +
        'after it started (on-timeout: stop).'
    )
    expect(requestsFor(name, 'StartSyncExecution')).toHaveLength(1)
    expect(requestsFor(name, 'StopExecution')).toEqual([])
    expect(h.emulator.execution('smoke', name)?.status).toBe('Running')
    h.emulator.release('smoke', name)
  })

  it('a reset connection is not sent again: it may have started an execution', async () => {
    const name = unique('reset')
    h.emulator.injectFault({ kind: 'reset', action: 'StartSyncExecution' })
    core.resetCore(inputs([name], { start: 'true' }, 'smoke'))
    await run(ENV)
    expect(requestsFor(name, 'StartSyncExecution')).toHaveLength(1)
    expect(fake.failed).toMatch(
      /^fnf-wait: StartSyncExecution failed: UND_ERR_SOCKET: network error: .*\. The request was not sent again, since each StartSyncExecution starts an execution: the express execution, if it started, runs on/
    )
  })

  it('wait: false still waits for the answer, and says so', async () => {
    const name = unique('nowait')
    core.resetCore(inputs([name], { start: 'true', wait: 'false' }, 'smoke'))
    const running = run(ENV)
    await whenHeld(name, running)
    h.emulator.release('smoke', name)
    await running
    expect(fake.outputs.get('status')).toBe('Succeeded')
    expect(fake.log).toContainEqual(expect.stringContaining('"wait: false" waits for that answer'))
  })

  it('an unknown qualifier fails with the hint, nothing started', async () => {
    const name = unique('q')
    core.resetCore(inputs([name], { start: 'true', qualifier: 'nightly' }, 'smoke'))
    await run(ENV)
    expect(fake.failed).toMatch(/^fnf-wait: StartSyncExecution failed: HTTP 404 FlowAliasNotExists/)
    expect(fake.failed).toContain(
      '"nightly" is not a published version or an alias of flow "smoke"'
    )
    expect(h.emulator.executions('smoke').some((e) => e.name.startsWith(`${name}:`))).toBe(false)
  })
})

describe('waiting by name on an express flow', () => {
  it('says why there is nothing to wait on', async () => {
    const name = unique('byname')
    core.resetCore(inputs([name], {}, 'smoke'))
    await run(ENV)
    expect(fake.failed).toBe(
      'fnf-wait: Flow smoke is an Express flow: express executions keep no history and no API ' +
        `finds one by name (DescribeExecution answers ExecutionNotExists for ${name}), so there ` +
        'is nothing to wait on. Start the execution from this step instead: with "start: true" ' +
        'the action runs it with StartSyncExecution and reports how it ended.'
    )
  })

  it('says it for each of several names', async () => {
    const names = [unique('byname'), unique('byname')]
    core.resetCore(inputs(names, {}, 'smoke'))
    await run(ENV)
    expect(fake.failed).toMatch(/^2 of 2 executions of flow smoke did not succeed/)
    const results = JSON.parse(fake.outputs.get('results')!)
    for (const name of names) {
      expect(results[name].cause).toMatch(/^Flow smoke is an Express flow: .*nothing to wait on/)
    }
  })

  it('a standard flow keeps the plain not-found error', async () => {
    const name = unique('missing')
    core.resetCore(inputs([name], {}, 'deploy'))
    await run(ENV)
    expect(fake.failed).toMatch(/ExecutionNotExists/)
    expect(fake.failed).not.toContain('Express')
  })
})
