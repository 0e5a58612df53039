/**
 * The execution report (src/history/report.ts, through the history model) of an execution that was
 * stopped, timed out, or is still running: its cause and the steps running then.
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution, HistoryEvent } from '../../src/fnf/types.js'
import {
  createHistoryModel,
  type ExecutionReport,
  type InterruptionCause,
  type StepNode
} from '../../src/history/index.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { foldEveryLinking } from '../support/relink.js'

/** Folds under every linking (the root cause must not depend on it); returns the report as given. */
function fold(events: HistoryEvent[], execution?: Execution, pageSize = 1000): ExecutionReport {
  return foldEveryLinking((evs) => {
    const model = createHistoryModel()
    for (let i = 0; i < evs.length; i += pageSize) model.add(evs.slice(i, i + pageSize))
    return model.result(execution)
  }, events)
}

function find(steps: StepNode[], pathText: string): StepNode | undefined {
  for (const s of steps) {
    if (s.pathText === pathText) return s
    const hit = find(s.children, pathText)
    if (hit) return hit
  }
  return undefined
}

function exec(status: Execution['Status'], extra: Partial<Execution> = {}): Execution {
  return { Name: 'run-1', FlowName: 'deploy', Status: status, ...extra }
}

describe('history model: stop, timeout, still running', () => {
  function runningParallel(): HistoryBuilder {
    const h = new HistoryBuilder().started()
    h.top.pass('prepare')
    const par = h.top.open('fanout')
    const b0 = par.branch(0)
    const b1 = par.branch(1)
    b0.task('done')
    b0.exit()
    b1.open('slow').attempt({ open: true })
    return h
  }

  it('Stopped: the stop error/cause and the steps that were running', () => {
    const h = runningParallel().stopped({ error: 'User.Cancel', cause: 'stopped from the console' })
    const r = fold(h.events, exec('Stopped'))
    const root = r.rootCause as InterruptionCause
    expect(root).toMatchObject({
      kind: 'stopped',
      error: 'User.Cancel',
      cause: 'stopped from the console'
    })
    expect(root.running.map((s) => s.pathText)).toEqual(['fanout › branch 1 › slow'])
    expect(root.running[0]!.attemptList[0]!.status).toBe('Interrupted')
    expect(find(r.steps, 'fanout')?.status).toBe('Interrupted')
  })

  it('Stopped: steps the service settles after the stop event still count as running then', () => {
    const h = runningParallel().stopped({ error: 'User.Cancel', cause: 'x' })
    h.emit(
      'StepFailed',
      'slow',
      { error: 'FnF.Stopped', cause: 'stopped' },
      h.events.at(-2)!.EventId
    )
    const r = fold(h.events, exec('Stopped'))
    expect((r.rootCause as InterruptionCause).running.map((s) => s.pathText)).toEqual([
      'fanout › branch 1 › slow'
    ])
  })

  it('TimedOut: the steps running when time ran out', () => {
    const h = runningParallel().timedOut()
    const r = fold(h.events, exec('TimedOut'))
    expect(r.rootCause).toMatchObject({ kind: 'timedOut', error: 'FnF.Timeout' })
    expect((r.rootCause as InterruptionCause).running.map((s) => s.pathText)).toEqual([
      'fanout › branch 1 › slow'
    ])
  })

  it('still running (our own wait timed out): no root cause, running steps listed', () => {
    const r = fold(runningParallel().events, exec('Running'))
    expect(r.status).toBe('Running')
    expect(r.rootCause).toBeUndefined()
    expect(r.running.map((s) => `${s.pathText}:${s.status}`)).toEqual([
      'fanout › branch 1 › slow:Running'
    ])
    expect(r.stoppedAt).toBeUndefined()
  })
})
