/**
 * A failed distributed Map's children grafted into the parent's report (src/history/map-graft.ts):
 * the blame goes through the Map step to the step that failed inside the child, the other failed
 * children follow it, and a Map whose failures were tolerated, caught, or not read stays as it is.
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import {
  blameFields,
  blameOf,
  withMapRuns,
  type ExecutionReport,
  type MapRunChild,
  type MapRunDrill
} from '../../src/history/index.js'
import { HistoryBuilder, fcCause } from '../support/history-builder.js'
import { exec, find, fold } from '../support/history-model.js'

const MAP_FAILED = { error: 'FnF.MapRunFailed', cause: 'MapRun r failed: 2 of 5 items failed' }

/** prepare → process (failed, or caught and followed by `notify` failing) → the end. */
function parent(how: 'failed' | 'caught' = 'failed'): ExecutionReport {
  const h = new HistoryBuilder().started()
  h.top.pass('prepare')
  const map = h.top.open('process')
  h.top.emit('MapRunStarted', 'process', { output: { MapRunName: 'r' } })
  map.fail(MAP_FAILED)
  if (how === 'caught') {
    h.top.fail('notify', { error: 'Notify.Failed', cause: 'smtp down' })
    h.failed({ error: 'Notify.Failed', cause: 'smtp down' })
  } else h.failed(MAP_FAILED)
  return fold(h.events, exec('Failed'))
}

/** A child whose `load` fails in branch 0 of `fan-out` after two attempts. */
function child(name: string, message: string): MapRunChild {
  const h = new HistoryBuilder().started()
  h.top.pass('read-item')
  const par = h.top.open('fan-out')
  const b0 = par.branch(0)
  const b1 = par.branch(1)
  b1.pass('audit').exit()
  const failure = { error: 'FC.ConnectionTimeout', cause: fcCause(message, 'ConnectionTimeout') }
  b0.task('load', [{ fail: failure }, { fail: failure }])
  par.fail(failure)
  h.failed(failure)
  const execution: Execution = { ...exec('Failed'), Name: name }
  return { execution, report: fold(h.events, execution) }
}

function timedOutChild(name: string): MapRunChild {
  const h = new HistoryBuilder().started()
  h.top.open('read-item')
  h.timedOut({ error: 'FnF.Timeout', cause: 'express executions last 5 minutes at most' })
  const execution: Execution = { ...exec('TimedOut'), Name: name }
  return { execution, report: fold(h.events, execution) }
}

function drill(failed: MapRunChild[], extra: Partial<MapRunDrill> = {}): MapRunDrill {
  return {
    step: { path: ['process'], pathText: 'process', status: 'Failed' },
    mapRunName: 'r',
    run: { Status: 'Failed', ItemCounts: { Total: 5, Succeed: 3, Failed: 2, Aborted: 0 } },
    failed,
    moreFailed: false,
    notes: [],
    ...extra
  }
}

describe('withMapRuns', () => {
  it('blames the first failed child, through the Map step, with its own error and cause', () => {
    const report = withMapRuns(parent(), [drill([child('r-1', 'first'), child('r-3', 'second')])])
    const blame = blameOf({ status: 'Failed', report, waitTimedOut: false })
    expect(blameFields(blame)).toEqual({
      step: 'process › r-1 › fan-out › branch 0 › load',
      error: 'FC.ConnectionTimeout',
      cause: 'first'
    })
    if (blame.kind !== 'failed') throw new Error(blame.kind)
    expect(blame.step?.causeType).toBe('ConnectionTimeout')
    expect(blame.step?.attempts).toBe(2)
    expect(blame.step?.attemptList.map((a) => a.error)).toEqual([
      'FC.ConnectionTimeout',
      'FC.ConnectionTimeout'
    ])
    expect(blame.others.map((o) => o.pathText)).toEqual([
      'process › r-3 › fan-out › branch 0 › load'
    ])
    expect(report.rootCause).toBe(report.rootCauses[0])
  })

  it("grafts each child's steps under the Map step, paths and all", () => {
    const report = withMapRuns(parent(), [drill([child('r-1', 'first')])])
    const scope = find(report.steps, 'process › r-1')
    expect(scope).toMatchObject({ kind: 'iteration', label: 'r-1', status: 'Failed' })
    expect(scope?.error).toBe('FC.ConnectionTimeout')
    expect(find(report.steps, 'process › r-1 › fan-out › branch 1 › audit')?.status).toBe(
      'Succeeded'
    )
    const load = find(report.steps, 'process › r-1 › fan-out › branch 0 › load')
    expect(load?.path).toEqual(['process', 'r-1', 'fan-out', 'branch 0', 'load'])
    // The blamed step is the grafted node, not the child's own.
    expect(report.rootCauses[0]?.kind === 'failure' && report.rootCauses[0].step).toBe(load)
    // The parent's other steps are as they were.
    expect(find(report.steps, 'prepare')?.status).toBe('Succeeded')
  })

  it('blames a child that timed out as a whole, with its timeout', () => {
    const report = withMapRuns(parent(), [drill([timedOutChild('r-4')])])
    expect(blameFields(blameOf({ status: 'Failed', report, waitTimedOut: false }))).toEqual({
      step: 'process › r-4',
      error: 'FnF.Timeout',
      cause: 'express executions last 5 minutes at most'
    })
  })

  it('leaves a MapRun that succeeded with tolerated failures unblamed and ungrafted', () => {
    const base = parent()
    const tolerated = drill([child('r-1', 'first')], {
      run: { Status: 'Succeeded' },
      step: { path: ['process'], pathText: 'process', status: 'Succeeded' }
    })
    expect(withMapRuns(base, [tolerated])).toBe(base)
  })

  it('leaves the report as it is when no child has a history to graft', () => {
    const base = parent()
    const express: MapRunChild = {
      execution: { ...exec('Failed'), Name: 'r-2' },
      note: 'no history: a child in express mode keeps none'
    }
    expect(withMapRuns(base, [drill([express])])).toBe(base)
    expect(withMapRuns(base, [drill([])])).toBe(base)
  })

  it('leaves it when the Map step is not in the tree', () => {
    const base = parent()
    const elsewhere = drill([child('r-1', 'first')], {
      step: { path: ['other'], pathText: 'other', status: 'Failed' }
    })
    expect(withMapRuns(base, [elsewhere])).toBe(base)
  })

  it('grafts a caught Map but blames what the execution failed with', () => {
    const report = withMapRuns(parent('caught'), [drill([child('r-1', 'first')])])
    expect(find(report.steps, 'process › r-1 › fan-out › branch 0 › load')).toBeDefined()
    expect(blameFields(blameOf({ status: 'Failed', report, waitTimedOut: false })).step).toBe(
      'notify'
    )
  })

  it('keeps the parent report unchanged (it is shared with the outputs)', () => {
    const base = parent()
    const before = JSON.stringify(base)
    withMapRuns(base, [drill([child('r-1', 'first')])])
    expect(JSON.stringify(base)).toBe(before)
  })
})
