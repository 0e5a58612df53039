/**
 * What to blame (src/history/blame.ts, pure): one value per execution, from the status it is shown
 * with and its history's report, for every kind of ending; and the three strings the outputs, the
 * failure message and the several-execution table take from it.
 */
import { describe, expect, it } from '@jest/globals'
import { registerSecret } from '../../src/base/secrets.js'
import { blameFields, blameOf, type Blame } from '../../src/history/index.js'
import { HistoryBuilder, type Failure } from '../support/history-builder.js'
import { exec, fold, nestedFailure } from '../support/history-model.js'

describe('blameOf: a failure', () => {
  it('blames the failing leaf: its path, error, cause, cause type and attempts', () => {
    const report = fold(nestedFailure().events, exec('Failed'))
    const blame = blameOf({ status: 'Failed', report, waitTimedOut: false })
    if (blame.kind !== 'failed' || blame.step === undefined) throw new Error('expected a step')
    expect(blame.step).toMatchObject({
      path: ['fanout', 'branch 2', 'each-region', 'iteration 17', 'push-image'],
      pathText: 'fanout › branch 2 › each-region › iteration 17 › push-image',
      error: 'FC.Unhandled',
      cause: 'registry said no: 401',
      causeType: 'UnhandledInvocationError',
      attempts: 3
    })
    expect(blame.step.causeRaw).toContain('stackTrace')
    expect(blame.step.attemptList.map((a) => a.status)).toEqual(['Failed', 'TimedOut', 'Failed'])
    expect(blame.others).toEqual([])
  })

  it('lists the other failures that also ended it after the primary one', () => {
    const h = new HistoryBuilder().started()
    const each = h.top.open('each')
    const its = [0, 1, 2].map((i) => each.iteration(i))
    for (const [i, it] of its.entries()) it.fail('work', { error: `E${i}`, cause: `cause ${i}` })
    each.fail({ error: 'E0', cause: 'cause 0' })
    h.failed({ error: 'E0', cause: 'cause 0' })
    const blame = blameOf({ status: 'Failed', report: fold(h.events), waitTimedOut: false })
    if (blame.kind !== 'failed') throw new Error('expected a failure')
    expect(blame.step?.pathText).toBe('each › iteration 0 › work')
    expect(blame.others.map((s) => [s.pathText, s.error, s.cause])).toEqual([
      ['each › iteration 1 › work', 'E1', 'cause 1'],
      ['each › iteration 2 › work', 'E2', 'cause 2']
    ])
  })

  it('a cause the step’s own events leave out is the one the execution failed with', () => {
    const h = new HistoryBuilder().started()
    h.top.fail('call', { error: 'E.Step' } as Failure)
    h.failed({ error: 'E.Step', cause: 'said by the execution' })
    const blame = blameOf({ status: 'Failed', report: fold(h.events), waitTimedOut: false })
    expect(blameFields(blame)).toEqual({
      step: 'call',
      error: 'E.Step',
      cause: 'said by the execution'
    })
  })

  it('failed outside any step: the execution itself, with its error', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('a')
    h.failed({ error: 'FnF.Mapping', cause: 'bad output' })
    const blame = blameOf({ status: 'Failed', report: fold(h.events), waitTimedOut: false })
    if (blame.kind !== 'failed') throw new Error('expected a failure')
    expect(blame.step).toMatchObject({ path: [], pathText: '', error: 'FnF.Mapping' })
    expect(blameFields(blame)).toEqual({ step: '', error: 'FnF.Mapping', cause: 'bad output' })
  })

  it('failed with no history read: no step to blame, nothing to say', () => {
    const blame = blameOf({ status: 'Failed', waitTimedOut: false })
    expect(blame).toEqual({ kind: 'failed', others: [] })
    expect(blameFields(blame)).toEqual({ step: '' })
  })
})

describe('blameOf: no step to blame', () => {
  it('stopped and timed out: the stop’s or timeout’s error and cause, and what was running', () => {
    const stopped = new HistoryBuilder().started()
    stopped.top.open('slow')
    stopped.stopped({ error: 'Stop', cause: 'by hand' })
    const blame = blameOf({ status: 'Stopped', report: fold(stopped.events), waitTimedOut: false })
    expect(blame).toMatchObject({ kind: 'stopped', error: 'Stop', cause: 'by hand' })
    expect(blameFields(blame)).toEqual({ step: '', error: 'Stop', cause: 'by hand' })
    const timedOut = new HistoryBuilder().started()
    timedOut.top.open('slow')
    timedOut.timedOut()
    const late = blameOf({ status: 'TimedOut', report: fold(timedOut.events), waitTimedOut: false })
    if (late.kind !== 'timedOut') throw new Error('expected a timeout')
    expect(late.running.map((s) => s.pathText)).toEqual(['slow'])
    expect(late.error).toBe('FnF.Timeout')
    expect(blameOf({ status: 'Stopped', waitTimedOut: false })).toEqual({
      kind: 'stopped',
      running: []
    })
  })

  it('still running: the running steps when our wait ended, else nothing', () => {
    const h = new HistoryBuilder().started()
    h.top.open('long-task')
    const report = fold(h.events, exec('Running'))
    const blame = blameOf({ status: 'Running', report, waitTimedOut: true })
    if (blame.kind !== 'waitEnded') throw new Error('expected the wait to have ended')
    expect(blame.running.map((s) => s.pathText)).toEqual(['long-task'])
    expect(blameFields(blame)).toEqual({ step: '' })
    expect(blameOf({ status: 'Starting', waitTimedOut: true })).toEqual({
      kind: 'waitEnded',
      running: []
    })
    expect(blameOf({ status: 'Running', report, waitTimedOut: false })).toEqual({ kind: 'none' })
  })

  it('succeeded or unknown: none', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('a')
    h.succeeded()
    const none: Blame = { kind: 'none' }
    expect(blameOf({ status: 'Succeeded', report: fold(h.events), waitTimedOut: true })).toEqual(
      none
    )
    expect(blameOf({ status: 'Unknown', waitTimedOut: false })).toEqual(none)
    expect(blameFields(none)).toEqual({ step: '' })
  })
})

describe('blameOf: an express execution (no history)', () => {
  it("failed: StartSyncExecution's error code and message are the root cause, no step named", () => {
    const blame = blameOf({
      status: 'Failed',
      waitTimedOut: false,
      express: {
        error: 'Smoke.Failed',
        cause: '{"errorMessage":"HTTP 503 from /health","errorType":"ProbeError"}'
      }
    })
    expect(blame).toEqual({
      kind: 'failed',
      express: true,
      others: [],
      step: {
        path: [],
        pathText: '',
        error: 'Smoke.Failed',
        cause: 'HTTP 503 from /health',
        causeRaw: '{"errorMessage":"HTTP 503 from /health","errorType":"ProbeError"}',
        causeType: 'ProbeError',
        attempts: 0,
        attemptList: []
      }
    })
    // Every reader takes these three: outputs, the failure message, the several-execution table.
    expect(blameFields(blame)).toEqual({
      step: '',
      error: 'Smoke.Failed',
      cause: 'HTTP 503 from /health'
    })
  })

  it('timed out or stopped: the error and cause, and no running steps to list', () => {
    expect(
      blameOf({
        status: 'TimedOut',
        waitTimedOut: false,
        express: { error: 'FnF.Timeout', cause: 'over 5 minutes' }
      })
    ).toEqual({
      kind: 'timedOut',
      express: true,
      error: 'FnF.Timeout',
      cause: 'over 5 minutes',
      running: []
    })
    expect(blameOf({ status: 'Stopped', waitTimedOut: false, express: {} })).toEqual({
      kind: 'stopped',
      express: true,
      running: []
    })
  })

  it('bounds and redacts what the service wrote, as a history is', () => {
    const blame = blameOf({
      status: 'Failed',
      waitTimedOut: false,
      express: { error: 'E'.repeat(600), cause: 'c'.repeat(5000) }
    })
    const { error, cause } = blameFields(blame)
    expect(error!.length).toBeLessThan(600)
    expect(cause!.length).toBeLessThan(4200)
    registerSecret('express-s3cret-value')
    const leaked = blameOf({
      status: 'Failed',
      waitTimedOut: false,
      express: { error: 'E', cause: 'token=express-s3cret-value' }
    })
    expect(blameFields(leaked).cause).toBe('token=***')
  })

  it('succeeded: nothing to blame', () => {
    expect(blameOf({ status: 'Succeeded', waitTimedOut: false, express: {} })).toEqual({
      kind: 'none'
    })
  })
})
