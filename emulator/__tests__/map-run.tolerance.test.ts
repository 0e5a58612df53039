/**
 * The scenario: a distributed Map of 500 items, 3 of which fail two levels deep in their
 * child; the tolerance decides whether the parent fails or goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import type { Emulator } from '../index.js'
import {
  DEEP_ERROR,
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

const FAILING = { items: [7, 250, 499], step: 'load', error: DEEP_ERROR }

describe('a distributed Map of 500 items with 3 failing children', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await fastEmulator([
      fanFlow('strict', { failAt: FAILING }),
      // Item i's load takes 100 + i ms: children are still running when item 7 fails.
      fanFlow('staggered', { failAt: FAILING, child: (i) => deepChild(100 + i) }),
      fanFlow('tolerant', { failAt: FAILING, toleratedFailureCount: 5 }),
      fanFlow('by-percentage', { failAt: FAILING, toleratedFailurePercentage: 0.5 }),
      fanFlow('lenient-percentage', { failAt: FAILING, toleratedFailurePercentage: 1 }),
      fanFlow('run-all', { failAt: FAILING, failFast: false }),
      fanFlow('shaped', {
        failAt: FAILING,
        failure: { error: 'Custom.MapRunFailed', cause: 'too many', mapRunFailedEvent: true }
      })
    ])
  })
  afterAll(() => emu.close())

  it('tolerance 0: the Map step fails with FnF.MapRunFailed, the MapRun is Failed, the failed child is listed with its deep failure', async () => {
    emu.createExecution('strict', 'run-1')
    const parent = await untilEnded(emu, 'strict', 'run-1')
    expect(parent.Status).toBe('Failed')
    const events = await history(emu, 'strict', 'run-1')
    const name = mapRunName(emu, 'strict', 'run-1')
    const stepFailed = events.find((e) => e.Type === 'StepFailed' && e.StepName === 'process')
    expect(detail(stepFailed)).toEqual({
      error: 'FnF.MapRunFailed',
      cause: `MapRun ${name} failed: 1 of 500 items failed; tolerated: 0 items, 0%`
    })
    expect(detail(events.at(-1))).toEqual(detail(stepFailed))
    expect(events.at(-1)?.Type).toBe('ExecutionFailed')
    // The steps after the Map never ran.
    expect(events.some((e) => e.StepName === 'publish')).toBe(false)

    const run = await describeMapRun(emu, 'strict', 'run-1', name)
    expect(run.Status).toBe('Failed')
    // Item 7 failed at the end of the first wave of 100 (all end together); the rest never started.
    expect(run.ItemCounts).toEqual(itemCounts(500, { Succeed: 99, Failed: 1, Aborted: 400 }))

    const failed = await call(emu, 'ListExecutions', {
      FlowName: 'strict',
      MapRunName: name,
      Status: 'Failed'
    })
    const children = failed.json?.Executions as Execution[]
    expect(children.map((c) => c.Name)).toEqual([`${name}-7`])
    const child = await history(emu, 'strict', `${name}-7`)
    const taskFailed = child.find((e) => e.Type === 'TaskFailed')
    expect(taskFailed?.StepName).toBe('load')
    expect(detail(taskFailed)).toEqual({
      error: DEEP_ERROR.error,
      cause: JSON.stringify(DEEP_ERROR.cause)
    })
    // Two levels deep: load runs in a branch of the parallel step fan-out.
    const fanOut = child.find((e) => e.Type === 'StepFailed' && e.StepName === 'fan-out')
    expect(detail(fanOut).error).toBe(DEEP_ERROR.error)
    expect(child.some((e) => e.Type === 'BranchEntered' && e.StepName === 'fan-out')).toBe(true)
  })

  it('tolerance 0 with children still running: they are stopped when the MapRun fails', async () => {
    emu.createExecution('staggered', 'run-1')
    expect((await untilEnded(emu, 'staggered', 'run-1')).Status).toBe('Failed')
    const name = mapRunName(emu, 'staggered', 'run-1')
    const run = await describeMapRun(emu, 'staggered', 'run-1', name)
    // 0-6 ended before 7 failed, freeing slots for 100-106; 8-106 were running; the rest never
    // started.
    expect(run.ItemCounts).toEqual(itemCounts(500, { Succeed: 7, Failed: 1, Aborted: 99 + 393 }))
    const stopped = await call(emu, 'ListExecutions', {
      FlowName: 'staggered',
      MapRunName: name,
      Status: 'Stopped',
      Limit: '99'
    })
    const names = (stopped.json?.Executions as Execution[]).map((c) => c.Name)
    expect(names).toEqual(Array.from({ length: 99 }, (_, k) => `${name}-${k + 8}`))
    const aborted = await history(emu, 'staggered', `${name}-8`)
    expect(aborted.at(-1)?.Type).toBe('ExecutionStopped')
    expect(detail(aborted.at(-1))).toEqual({
      error: 'FnF.MapRunAborted',
      cause: `MapRun ${name} failed`
    })
    // Stopped when item 7 failed, not at its own end.
    const failedAt = (await history(emu, 'staggered', `${name}-7`)).at(-1)?.Time
    expect(aborted.at(-1)?.Time).toBe(failedAt)
  })

  it('tolerance 5: the MapRun succeeds with 3 failures and the parent goes on', async () => {
    emu.createExecution('tolerant', 'run-1')
    const parent = await untilEnded(emu, 'tolerant', 'run-1')
    expect(parent.Status).toBe('Succeeded')
    const events = await history(emu, 'tolerant', 'run-1')
    expect(events.filter((e) => e.StepName === 'process').map((e) => e.Type)).toEqual([
      'StepEntered',
      'StepStarted',
      'MapRunStarted',
      'StepSucceeded',
      'StepExited'
    ])
    expect(events.some((e) => e.Type === 'StepSucceeded' && e.StepName === 'publish')).toBe(true)

    const name = mapRunName(emu, 'tolerant', 'run-1')
    const run = await describeMapRun(emu, 'tolerant', 'run-1', name)
    expect(run).toMatchObject({
      Status: 'Succeeded',
      ToleratedFailedCount: 5,
      ToleratedFailedPercentage: 0,
      ItemCounts: itemCounts(500, { Succeed: 497, Failed: 3 })
    })
    const failed = await call(emu, 'ListExecutions', {
      FlowName: 'tolerant',
      MapRunName: name,
      Status: 'Failed'
    })
    expect((failed.json?.Executions as Execution[]).map((c) => c.Name)).toEqual(
      [7, 250, 499].map((i) => `${name}-${i}`)
    )
  })

  it('a percentage tolerance: 3 of 500 exceed 0.5% but not 1%', async () => {
    emu.createExecution('by-percentage', 'run-1')
    emu.createExecution('lenient-percentage', 'run-1')
    expect((await untilEnded(emu, 'by-percentage', 'run-1')).Status).toBe('Failed')
    expect((await untilEnded(emu, 'lenient-percentage', 'run-1')).Status).toBe('Succeeded')
    const name = mapRunName(emu, 'by-percentage', 'run-1')
    const run = await describeMapRun(emu, 'by-percentage', 'run-1', name)
    expect(run).toMatchObject({ ToleratedFailedCount: 0, ToleratedFailedPercentage: 0.5 })
    // The third failure (item 499, in the last wave) exceeded 0.5%, when the last wave ended.
    expect(run).toMatchObject({ Status: 'Failed' })
    expect(run.ItemCounts).toMatchObject({ Failed: 3, Succeed: 497, Aborted: 0 })
  })

  it('failFast false: every item runs, then the tolerance fails the MapRun with all 3 failures', async () => {
    emu.createExecution('run-all', 'run-1')
    expect((await untilEnded(emu, 'run-all', 'run-1')).Status).toBe('Failed')
    const name = mapRunName(emu, 'run-all', 'run-1')
    const run = await describeMapRun(emu, 'run-all', 'run-1', name)
    expect(run.ItemCounts).toEqual(itemCounts(500, { Succeed: 497, Failed: 3 }))
    const events = await history(emu, 'run-all', 'run-1')
    const failed = events.find((e) => e.Type === 'StepFailed' && e.StepName === 'process')
    expect(detail(failed).cause).toBe(
      `MapRun ${name} failed: 3 of 500 items failed; tolerated: 0 items, 0%`
    )
  })

  it('the failure shape is configurable: error, cause, and a MapRunFailed event before StepFailed', async () => {
    emu.createExecution('shaped', 'run-1')
    await untilEnded(emu, 'shaped', 'run-1')
    const events = await history(emu, 'shaped', 'run-1')
    const types = events.filter((e) => e.StepName === 'process').map((e) => e.Type)
    expect(types).toEqual([
      'StepEntered',
      'StepStarted',
      'MapRunStarted',
      'MapRunFailed',
      'StepFailed',
      'StepExited'
    ])
    const failure = { error: 'Custom.MapRunFailed', cause: 'too many' }
    expect(detail(events.find((e) => e.Type === 'MapRunFailed'))).toEqual(failure)
    expect(detail(events.at(-1))).toEqual(failure)
  })
})
