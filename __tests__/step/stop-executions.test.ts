/**
 * Sending the stop policy's plan (src/step/stop-executions.ts) against the emulator: every planned
 * StopExecution with its reason, nothing else touched, how each stop went recorded, and a log
 * line for what the plan leaves running on purpose; and stopping one execution (stopOne).
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { useFollowing } from '../support/follow.js'
import { CANCEL_BUDGET_MS } from '../../src/step/cancellation.js'
import { track, type Tracked } from '../../src/step/execution-outcome.js'
import { FnfClient } from '../../src/fnf/client.js'
import { DEMO_CREDENTIAL } from '../../emulator/index.js'

jest.unstable_mockModule('@actions/core', () => core)
const { sendStops, stopOne } = await import('../../src/step/stop-executions.js')

const f = useFollowing({
  flows: [{ name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll', durationMs: 0 }] }]
})
let serial = 0
const unique = (prefix: string) => `${prefix}-${++serial}`
beforeEach(() => core.resetCore())

const stopsOf = (name: string) =>
  f.emulator.requests.filter((r) => r.action === 'StopExecution' && r.params.ExecutionName === name)

describe('sendStops', () => {
  it('stops what the plan names, with its reason, and leaves the rest as they were', async () => {
    const [late, other, never] = [unique('late'), unique('other'), unique('never')]
    for (const n of [late, other]) f.emulator.createExecution('deploy', n, {})
    const outcomes: Tracked[] = [
      { ...track(late, '{}'), state: 'wait-timed-out' },
      track(other, '{}'),
      { ...track(never, '{}'), state: 'wait-timed-out' }
    ]
    const plan = {
      stops: [
        { name: late, reason: { error: 'FnfWaitTimeout', cause: 'timed out' } },
        { name: never, reason: { error: 'FnfWaitTimeout', cause: 'timed out' } }
      ]
    }
    const after = await sendStops(f.client(), f.config(), outcomes, plan, CANCEL_BUDGET_MS)
    expect(after.map((t) => [t.state, t.execution?.Status, 'stop' in t && t.stop])).toEqual([
      ['wait-timed-out', 'Stopped', 'stopped'],
      ['following', undefined, false],
      ['wait-timed-out', undefined, 'failed']
    ])
    expect(after[1]).toBe(outcomes[1])
    expect(stopsOf(late).map((r) => [r.params.Error, r.params.Cause])).toEqual([
      ['FnfWaitTimeout', 'timed out']
    ])
    expect(stopsOf(other)).toEqual([])
    f.emulator.release('deploy', other)
  })

  it('says what a cancel leaves running, and why', async () => {
    const name = unique('kept')
    const plan = { stops: [], kept: { why: 'stop-on-cancel' as const, names: [name] } }
    await sendStops(f.client(), f.config({ 'stop-on-cancel': 'auto' }), [], plan, 1)
    expect(core.fake.log).toContain(
      `info: Leaving ${name} running (stop-on-cancel: auto, and this step did not start it).`
    )
  })

  it('warns that waits which timed out are left running when on-timeout is continue', async () => {
    const plan = { stops: [], kept: { why: 'on-timeout' as const, names: ['a', 'b'] } }
    const config = f.config({ 'on-timeout': 'continue', timeout: '90s' })
    await sendStops(f.client(), config, [], plan, 1)
    expect(core.fake.log).toContain(
      'warning: Gave up waiting after 1m30s (timeout input) on a, b; on-timeout is "continue", so the step passes.'
    )
  })
})

describe('stopOne', () => {
  it('stops a running execution with the reason given', async () => {
    const name = unique('one')
    f.emulator.createExecution('deploy', name, {})
    const t = await stopOne(
      f.client(),
      f.config(),
      track(name, '{}'),
      {
        error: 'FnfWaitTimeout',
        cause: 'x'.repeat(5000)
      },
      CANCEL_BUDGET_MS
    )
    expect(t.execution?.Status).toBe('Stopped')
    const stop = f.emulator.requests.find(
      (r) => r.action === 'StopExecution' && r.params.ExecutionName === name
    )!
    expect(stop.params.Error).toBe('FnfWaitTimeout')
    expect(stop.params.Cause).toHaveLength(4096)
  })

  it('tries a stop again after 409 ConcurrentUpdateError ("Update conflict, please retry.")', async () => {
    const name = unique('conflict')
    f.emulator.createExecution('deploy', name, {})
    f.emulator.injectFault({ kind: 'conflict', action: 'StopExecution' })
    // The step's client retries; the file's others send one attempt each.
    const client = new FnfClient({
      endpoint: f.emulator.url,
      credentials: () => DEMO_CREDENTIAL,
      maxAttempts: 3,
      baseDelayMs: 1
    })
    const t = await stopOne(
      client,
      f.config(),
      track(name, '{}'),
      { error: 'E', cause: 'c' },
      CANCEL_BUDGET_MS
    )
    expect([t.execution?.Status, t.stop]).toEqual(['Stopped', 'stopped'])
    expect(stopsOf(name).map((r) => [r.status, r.code])).toEqual([
      [409, 'ConcurrentUpdateError'],
      [200, undefined]
    ])
  })

  it('an execution that already ended is left as it was, with no warning', async () => {
    const name = unique('one')
    f.emulator.createExecution('deploy', name, {})
    f.emulator.release('deploy', name)
    const given = track(name, '{}')
    const t = await stopOne(
      f.client(),
      f.config(),
      given,
      { error: 'E', cause: 'c' },
      CANCEL_BUDGET_MS
    )
    expect(t).toBe(given)
    expect(core.fake.log).toContain(`info: Execution ${name} had already ended; nothing to stop.`)
  })

  it('a stop that fails is recorded and warned about, never thrown', async () => {
    const t = await stopOne(
      f.client(),
      f.config(),
      track('never-started', '{}'),
      {
        error: 'E',
        cause: 'c'
      },
      CANCEL_BUDGET_MS
    )
    expect(t.stop).toBe('failed')
    expect(core.fake.log).toContainEqual(
      expect.stringMatching(
        /^warning: Could not stop execution never-started: .*ExecutionNotExists/
      )
    )
  })
})
