/**
 * A test decides how a MapRun progresses: held children end when it releases them (in groups or one
 * by one), held items start when it admits them, and the counts in between are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import type { Emulator } from '../index.js'
import {
  DEEP_CHILD,
  call,
  describeMapRun,
  fanFlow,
  mapRunName,
  untilEnded,
  fastEmulator,
  itemCounts
} from './map-run-helpers.js'

function counts(pending: number, running: number, succeed: number, failed = 0, aborted = 0) {
  return itemCounts(250, {
    Pending: pending,
    Running: running,
    Succeed: succeed,
    Failed: failed,
    Aborted: aborted
  })
}

describe('MapRun progress under test control', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await fastEmulator([
      fanFlow(
        'held',
        { items: 250, child: { ...DEEP_CHILD, hold: true }, toleratedFailureCount: 1 },
        { prepare: false }
      ),
      fanFlow('gated', { items: 250, holdItems: true, concurrency: 50 }, { prepare: false })
    ])
  })
  afterAll(() => emu.close())

  it('held children: counts stay put until the test releases a group, then the next items start', async () => {
    emu.createExecution('held', 'run-1')
    // The Map is the first step: its MapRun starts with the execution.
    const name = mapRunName(emu, 'held', 'run-1')
    expect(await describeMapRun(emu, 'held', 'run-1', name)).toMatchObject({
      Status: 'Running',
      Concurrency: 100,
      ItemCounts: counts(150, 100, 0)
    })
    const running = await call(emu, 'ListExecutions', {
      FlowName: 'held',
      MapRunName: name,
      Status: 'Running',
      MetadataOnly: 'true',
      Limit: '99'
    })
    expect(running.json?.Executions).toHaveLength(99)
    expect(running.json?.NextToken).toBe(`${name}-99`)

    const released = emu.releaseItems('held', 'run-1', { count: 100 })
    expect(released).toEqual(Array.from({ length: 100 }, (_, i) => `${name}-${i}`))
    expect((await describeMapRun(emu, 'held', 'run-1', name)).ItemCounts).toEqual(
      counts(50, 100, 100)
    )

    // One by one works too: releasing one frees one slot.
    emu.release('held', `${name}-100`, { status: 'Failed', error: 'E', cause: 'c' })
    expect((await describeMapRun(emu, 'held', 'run-1', name)).ItemCounts).toEqual(
      counts(49, 100, 100, 1)
    )
    expect(emu.mapRun('held', 'run-1')?.children).toHaveLength(201)

    // The parent's long poll is held until the last group is released.
    const parent = untilEnded(emu, 'held', 'run-1')
    await emu.waitForRequest(
      (r) =>
        r.params.ExecutionName === 'run-1' && r.holding === true && r.action === 'DescribeExecution'
    )
    emu.releaseItems('held', 'run-1', { count: 99 })
    emu.releaseItems('held', 'run-1', { count: 50 })
    expect((await parent).Status).toBe('Succeeded')
    const run = await describeMapRun(emu, 'held', 'run-1', name)
    expect(run).toMatchObject({ Status: 'Succeeded', ItemCounts: counts(0, 0, 249, 1) })
    expect(typeof run.StoppedTime).toBe('string')
  })

  it('releaseItems refuses children that are not held and running, before releasing any', async () => {
    emu.createExecution('held', 'run-2')
    mapRunName(emu, 'held', 'run-2')
    expect(() => emu.releaseItems('held', 'run-2', { items: [0, 150] })).toThrow(
      /item 150 .* has not started/
    )
    expect(() => emu.releaseItems('held', 'run-2', { count: 101 })).toThrow(/100 held running/)
    expect(emu.mapRun('held', 'run-2')?.itemCounts.Running).toBe(100)
    emu.releaseItems('held', 'run-2', { items: [3] })
    expect(() => emu.releaseItems('held', 'run-2', { items: [3] })).toThrow(/not held running/)
  })

  it('held items: the MapRun is Pending until the test admits items, which then run on their own', async () => {
    emu.createExecution('gated', 'run-1')
    const name = mapRunName(emu, 'gated', 'run-1')
    expect(await describeMapRun(emu, 'gated', 'run-1', name)).toMatchObject({
      Status: 'Pending',
      Concurrency: 50,
      ItemCounts: counts(250, 0, 0)
    })
    emu.admitItems('gated', 'run-1', 100)
    // The admitted children run on their own: 0-49 now, 50-99 as soon as those have ended (item 99
    // starts when item 49 ends, so it exists by then).
    await untilEnded(emu, 'gated', `${name}-49`)
    await untilEnded(emu, 'gated', `${name}-99`)
    expect(await describeMapRun(emu, 'gated', 'run-1', name)).toMatchObject({
      Status: 'Running',
      ItemCounts: counts(150, 0, 100)
    })
    const listed = await call(emu, 'ListExecutions', {
      FlowName: 'gated',
      MapRunName: name,
      Limit: '99'
    })
    expect((listed.json?.Executions as Execution[]).map((e) => e.Status)).toEqual(
      Array(99).fill('Succeeded')
    )
    expect(listed.json?.NextToken).toBe(`${name}-99`)
    emu.admitItems('gated', 'run-1', 150)
    expect((await untilEnded(emu, 'gated', 'run-1')).Status).toBe('Succeeded')
    expect((await describeMapRun(emu, 'gated', 'run-1', name)).ItemCounts).toEqual(
      counts(0, 0, 250)
    )
    expect(() => emu.admitItems('held', 'run-1', 1)).toThrow(/does not hold its items/)
  })
})
