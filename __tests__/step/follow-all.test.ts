/**
 * One step following several executions (src/step/follow-all.ts) against the emulator, with a
 * Cancellation on a process stand-in: fail-fast, a missing execution among several, an error that
 * every execution would meet, wait: false, a cancel while starting, and a cancel that stops what
 * the step started. The stops go as main.ts sends them: the stop policy's plan, then sendStops.
 * Held executions end when the test releases them; signals are emitted when the test says.
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import { EventEmitter } from 'node:events'
import * as core from '../support/core.js'
import { useFollowing } from '../support/follow.js'
import { DEMO_CREDENTIAL } from '../../emulator/index.js'
import { CANCEL_BUDGET_MS, Cancellation } from '../../src/step/cancellation.js'
import { Deadline } from '../../src/step/deadline.js'
import { planStops } from '../../src/step/stop-policy.js'
import { followError } from '../../src/step/execution-outcome.js'
import type { FnfClient } from '../../src/fnf/client.js'

jest.unstable_mockModule('@actions/core', () => core)
const { followAll } = await import('../../src/step/follow-all.js')
const { sendStops } = await import('../../src/step/stop-executions.js')

const f = useFollowing({
  flows: [{ name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll', durationMs: 0 }] }]
})
let serial = 0
const unique = (prefix: string) => `${prefix}-${++serial}`
beforeEach(() => core.resetCore())

function cancellation() {
  const emitter = new EventEmitter()
  const proc = {
    on: (s: string, h: () => void) => emitter.on(s, h),
    off: (s: string, h: () => void) => emitter.off(s, h)
  } as unknown as Pick<NodeJS.Process, 'on' | 'off'>
  return { emitter, cancellation: new Cancellation(proc) }
}

/** Follows the names, then sends the stops the policy plans for how waiting ended. */
function follow(
  names: string[],
  inputs: Record<string, string> = {},
  client = f.client(),
  deadline?: Deadline
) {
  const { emitter, cancellation: c } = cancellation()
  const config = f.config({ 'execution-name': names.join('\n'), progress: 'false', ...inputs })
  const result = followAndStop(config, client, c, deadline).finally(() => c.dispose())
  return { emitter, result }
}

async function followAndStop(
  config: ReturnType<typeof f.config>,
  client: FnfClient,
  c: Cancellation,
  deadline = Deadline.after(config.timeoutMs)
) {
  const startedAt = Date.now()
  const followed = await followAll({ config, client, cancellation: c, deadline, startedAt })
  const runUrl = 'https://github.com/octo/app/actions/runs/1'
  const plan = planStops(followed.outcomes, followed.end, { ...config, runUrl })
  const budget = c.remaining(CANCEL_BUDGET_MS)
  return { ...followed, outcomes: await sendStops(client, config, followed.outcomes, plan, budget) }
}

const held = (name: string) =>
  f.emulator.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true)

describe('followAll', () => {
  it('fail-fast: the first failure ends the wait, and the others are stopped when asked', async () => {
    const [a, b] = [unique('ff'), unique('ff')]
    for (const n of [a, b]) f.emulator.createExecution('deploy', n, {})
    const { result } = follow([a, b], { 'fail-fast': 'true', 'stop-on-cancel': 'true' })
    await Promise.all([held(a), held(b)])
    f.emulator.release('deploy', a, { status: 'Failed', error: 'E', cause: 'c' })
    const { outcomes, end } = await result
    expect(end).toEqual({ why: 'fail-fast' })
    expect(outcomes.map((t) => [t.name, t.execution?.Status, t.state === 'abandoned'])).toEqual([
      [a, 'Failed', false],
      [b, 'Stopped', true]
    ])
    const stop = f.emulator.requests.find(
      (r) => r.action === 'StopExecution' && r.params.ExecutionName === b
    )!
    expect(stop.params.Error).toBe('FnfWaitFailFast')
    expect(stop.params.Cause).toContain('https://github.com/octo/app/actions/runs/1')
  })

  it('among several, a missing execution is its own result and the others are followed', async () => {
    const [a, missing] = [unique('ok'), unique('missing')]
    f.emulator.createExecution('deploy', a, {})
    const { result } = follow([a, missing])
    await held(a)
    f.emulator.release('deploy', a)
    const { outcomes, end } = await result
    expect(end).toEqual({ why: 'all-ended' })
    expect(outcomes[0]!.execution?.Status).toBe('Succeeded')
    expect(String(followError(outcomes[1]!))).toMatch(/ExecutionNotExists/)
    expect(core.fake.log).toContainEqual(
      expect.stringMatching(new RegExp(`^warning: Execution ${missing}: `))
    )
  })

  it('an error every execution would meet (a wrong secret) ends following once', async () => {
    const [a, b] = [unique('k'), unique('k')]
    for (const n of [a, b]) f.emulator.createExecution('deploy', n, {})
    const wrong = { accessKeyId: DEMO_CREDENTIAL.accessKeyId, accessKeySecret: 'wrong' }
    const before = f.emulator.count()
    const { end } = await follow([a, b], {}, f.client(wrong)).result
    expect(end.why === 'fatal' && String(end.error)).toMatch(/SignatureNotMatch/)
    // One answer was enough: the other wait was called off, not retried.
    expect(f.emulator.count() - before).toBeLessThanOrEqual(2)
    for (const n of [a, b]) f.emulator.release('deploy', n)
  })

  it('wait: false reads each status once', async () => {
    const [a, b] = [unique('r'), unique('r')]
    for (const n of [a, b]) f.emulator.createExecution('deploy', n, {})
    const { outcomes } = await follow([a, b], { wait: 'false' }).result
    expect(outcomes.map((t) => t.execution?.Status)).toEqual(['Running', 'Running'])
    for (const n of [a, b]) {
      expect(
        f.emulator.requests
          .filter((r) => r.params.ExecutionName === n)
          .map((r) => [r.action, r.params.WaitTimeSeconds])
      ).toEqual([['DescribeExecution', '0']])
      f.emulator.release('deploy', n)
    }
  })

  it('a cancel stops what the step started, with the run in the cause', async () => {
    const a = unique('c')
    const { emitter, result } = follow([a], { start: 'true' })
    await held(a)
    emitter.emit('SIGINT')
    const { outcomes, end } = await result
    expect(end).toEqual({ why: 'cancelled', signal: 'SIGINT' })
    expect(outcomes[0]!.execution?.Status).toBe('Stopped')
    const stop = f.emulator.requests.find(
      (r) => r.action === 'StopExecution' && r.params.ExecutionName === a
    )!
    expect(stop.params.Error).toBe('GitHubRunCancelled')
  })

  it('a cancel while starting: nothing is waited for, and following ends cancelled', async () => {
    const a = unique('s')
    f.emulator.injectFault({ kind: 'hang', action: 'StartExecution' })
    const { emitter, result } = follow([a], { start: 'true' })
    await f.emulator.waitForRequest(
      (r) => r.action === 'StartExecution' && r.params.ExecutionName === a
    )
    emitter.emit('SIGINT')
    const { end } = await result
    expect(end).toEqual({ why: 'cancelled', signal: 'SIGINT' })
    expect(
      f.emulator.requests.filter(
        (r) => r.action === 'DescribeExecution' && r.params.ExecutionName === a
      )
    ).toEqual([])
  })

  it('a deadline that has passed: waiting ends timed out, and on-timeout: stop stops it', async () => {
    const a = unique('t')
    f.emulator.createExecution('deploy', a, {})
    const passed = new Deadline(Date.now() - 1)
    const { outcomes, end } = await follow([a], { 'on-timeout': 'stop' }, f.client(), passed).result
    expect(end).toEqual({ why: 'timed-out' })
    expect(outcomes.map((t) => [t.state, t.execution?.Status])).toEqual([
      ['wait-timed-out', 'Stopped']
    ])
    const stop = f.emulator.requests.find(
      (r) => r.action === 'StopExecution' && r.params.ExecutionName === a
    )!
    expect(stop.params.Error).toBe('FnfWaitTimeout')
  })
})
