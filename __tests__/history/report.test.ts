/**
 * The execution report (src/history/report.ts, through the history model) of an execution that was
 * stopped, timed out, or is still running: its cause and the steps running then.
 */
import { describe, expect, it } from '@jest/globals'
import { type InterruptionCause } from '../../src/history/index.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { fold, find, exec } from '../support/history-model.js'

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
