/**
 * How a MapRun ends early: its parent stopped (StopExecution, release, the flow's timeout), one of
 * its children stopped, or a held child released as failed past the tolerance.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import type { Emulator } from '../index.js'
import {
  DEEP_CHILD,
  deepChild,
  call,
  describeMapRun,
  fanFlow,
  history,
  mapRunName,
  untilEnded,
  fastEmulator,
  detail,
  itemCounts
} from './map-run-helpers.js'

const HELD_CHILD = { ...DEEP_CHILD, hold: true }

describe('a MapRun that ends early', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await fastEmulator([
      fanFlow('held', { items: 150, child: HELD_CHILD }, { prepare: false }),
      {
        ...fanFlow('held-parent', { items: 150, child: HELD_CHILD }, { prepare: false }),
        hold: true
      },
      { ...fanFlow('deadline', { items: 150, child: HELD_CHILD }), timeoutMs: 2000 },
      // Item 0 runs for 10 hours; item 1 fails 100 ms after it starts.
      fanFlow(
        'later',
        {
          items: 2,
          holdItems: true,
          child: (i) => deepChild(i === 0 ? 36_000_000 : 100),
          failAt: { items: [1], step: 'load' }
        },
        { prepare: false }
      )
    ])
  })
  afterAll(() => emu.close())

  async function children(flow: string, name: string, status: string): Promise<string[]> {
    const r = await call(emu, 'ListExecutions', {
      FlowName: flow,
      MapRunName: name,
      Status: status,
      Limit: '99'
    })
    expect(r.status).toBe(200)
    return (r.json?.Executions as Execution[]).map((e) => e.Name)
  }

  it('StopExecution of the parent aborts the MapRun: running children are stopped, pending items never start', async () => {
    emu.createExecution('held', 'stop-1')
    const name = mapRunName(emu, 'held', 'stop-1')
    emu.releaseItems('held', 'stop-1', { count: 10 })
    const stop = await call(emu, 'StopExecution', {
      FlowName: 'held',
      ExecutionName: 'stop-1',
      Error: 'Cancelled',
      Cause: 'by the test'
    })
    expect(stop.json?.Status).toBe('Stopped')
    const run = await describeMapRun(emu, 'held', 'stop-1', name)
    expect(run).toMatchObject({
      Status: 'Aborted',
      ItemCounts: itemCounts(150, { Succeed: 10, Aborted: 140 })
    })
    expect(typeof run.StoppedTime).toBe('string')
    expect(await children('held', name, 'Running')).toEqual([])
    const stopped = await children('held', name, 'Stopped')
    expect(stopped).toHaveLength(99)
    expect(stopped[0]).toBe(`${name}-10`)
    const child = await history(emu, 'held', `${name}-10`)
    expect(child.at(-1)?.Type).toBe('ExecutionStopped')
    expect(detail(child.at(-1))).toEqual({
      error: 'FnF.MapRunAborted',
      cause: `MapRun ${name} was aborted`
    })
    // No item starts after the abort, and nothing more can be released.
    expect(emu.mapRun('held', 'stop-1')?.children).toHaveLength(110)
    expect(() => emu.releaseItems('held', 'stop-1', { count: 1 })).toThrow(/0 held running/)
  })

  it('releasing a held parent aborts its MapRun the same way', async () => {
    emu.createExecution('held-parent', 'release-1')
    expect(emu.mapRun('held-parent', 'release-1')?.status).toBe('Running')
    emu.release('held-parent', 'release-1', { status: 'Failed', error: 'E', cause: 'c' })
    expect((await untilEnded(emu, 'held-parent', 'release-1')).Status).toBe('Failed')
    expect(emu.mapRun('held-parent', 'release-1')).toMatchObject({
      status: 'Aborted',
      itemCounts: { Running: 0, Aborted: 150 }
    })
  })

  it("the parent's timeout aborts its MapRun at the deadline", async () => {
    emu.createExecution('deadline', 'late-1')
    const parent = await untilEnded(emu, 'deadline', 'late-1')
    expect(parent.Status).toBe('TimedOut')
    const events = await history(emu, 'deadline', 'late-1')
    expect(events.at(-1)?.Type).toBe('ExecutionTimedOut')
    const name = mapRunName(emu, 'deadline', 'late-1')
    const run = await describeMapRun(emu, 'deadline', 'late-1', name)
    expect(run).toMatchObject({ Status: 'Aborted', ItemCounts: { Running: 0, Aborted: 150 } })
    // Stopped at the parent's deadline (whole seconds in the +08:00 form).
    const deadline = Date.parse(String(parent.StoppedTime))
    expect(Date.parse(String(run.StoppedTime))).toBe(Math.floor(deadline / 1000) * 1000)
  })

  it('StopExecution of a child counts it Aborted and against the tolerance', async () => {
    emu.createExecution('held', 'stop-child')
    const name = mapRunName(emu, 'held', 'stop-child')
    const stop = await call(emu, 'StopExecution', {
      FlowName: 'held',
      ExecutionName: `${name}-3`
    })
    expect(stop.json?.Status).toBe('Stopped')
    // Nothing is tolerated: the MapRun fails, the parent's Map step with it.
    expect((await untilEnded(emu, 'held', 'stop-child')).Status).toBe('Failed')
    const run = await describeMapRun(emu, 'held', 'stop-child', name)
    expect(run).toMatchObject({
      Status: 'Failed',
      ItemCounts: { Succeed: 0, Failed: 0, Running: 0, Aborted: 150 }
    })
  })

  it('a held child released as Failed past the tolerance fails the MapRun and stops the others', async () => {
    emu.createExecution('held', 'fail-1')
    const name = mapRunName(emu, 'held', 'fail-1')
    emu.releaseItems('held', 'fail-1', {
      items: [42],
      end: { status: 'Failed', error: 'FC.Boom', cause: 'item 42' }
    })
    const parent = await untilEnded(emu, 'held', 'fail-1')
    expect(parent.Status).toBe('Failed')
    const run = await describeMapRun(emu, 'held', 'fail-1', name)
    expect(run.ItemCounts).toEqual(itemCounts(150, { Failed: 1, Aborted: 149 }))
    expect(await children('held', name, 'Failed')).toEqual([`${name}-42`])
    const failed = await history(emu, 'held', `${name}-42`)
    expect(detail(failed.at(-1))).toEqual({ error: 'FC.Boom', cause: 'item 42' })
  })

  it('a child running when its MapRun fails later is stopped then: its long poll answers at that moment', async () => {
    emu.createExecution('later', 'run-1')
    const name = mapRunName(emu, 'later', 'run-1')
    emu.admitItems('later', 'run-1', 1)
    const poll = call(emu, 'DescribeExecution', {
      FlowName: 'later',
      ExecutionName: `${name}-0`,
      WaitTimeSeconds: '60'
    })
    await emu.waitForRequest((r) => r.params.ExecutionName === `${name}-0` && r.holding === true)
    // Item 1 starts now and will fail in 100 ms: the MapRun fails then, with item 0 running.
    emu.admitItems('later', 'run-1', 1)
    const answered = await poll
    expect(answered.json?.Status).toBe('Stopped')
    expect((await history(emu, 'later', `${name}-0`)).at(-1)?.Type).toBe('ExecutionStopped')
  })
})
