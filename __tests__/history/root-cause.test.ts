/**
 * The root cause of a failure (src/history/root-cause.ts, through the history model): the failing
 * leaf under nested scopes, never a caught failure, every propagated leaf, whatever the paging.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { type FailureCause } from '../../src/history/index.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { fold, find, exec, nestedFailure } from '../support/history-model.js'

describe('history model: root cause of a failure', () => {
  it('finds the failing leaf under nested parallel and foreach with interleaved branches', () => {
    const r = fold(nestedFailure().events, exec('Failed'))
    expect(r.status).toBe('Failed')
    const root = r.rootCause as FailureCause
    expect(root.kind).toBe('failure')
    // Branch and iteration indexes are the service's own, 0-based.
    expect(root.pathText).toBe('fanout › branch 2 › each-region › iteration 17 › push-image')
    expect(root.path).toEqual(['fanout', 'branch 2', 'each-region', 'iteration 17', 'push-image'])
    expect(root.error).toBe('FC.Unhandled')
    expect(root.cause).toBe('registry said no: 401')
    expect(root.causeRaw).toContain('stackTrace')
    expect(root.causeType).toBe('UnhandledInvocationError')
    expect(root.attempts).toBe(3)
    expect(r.rootCauses).toHaveLength(1)

    const fanout = find(r.steps, 'fanout')!
    expect(fanout.kind).toBe('parallel')
    expect(fanout.children.map((c) => `${c.label}:${c.status}`)).toEqual([
      'branch 0:Succeeded',
      'branch 1:Succeeded',
      'branch 2:Failed'
    ])
    const each = find(r.steps, 'fanout › branch 2 › each-region')!
    expect(each.kind).toBe('foreach')
    expect(each.children).toHaveLength(20)
    expect(each.children.filter((c) => c.status === 'Failed').map((c) => c.index)).toEqual([17])
    // The retried lint task succeeded: not a failure anywhere.
    expect(find(r.steps, 'fanout › branch 1 › lint')).toMatchObject({
      status: 'Succeeded',
      attempts: 2
    })
  })

  it('gives the same report whatever the page size', () => {
    const events = nestedFailure().events
    const whole = fold(events, exec('Failed'), events.length)
    fc.assert(
      fc.property(fc.integer({ min: 1, max: events.length }), (size) => {
        expect(fold(events, exec('Failed'), size)).toEqual(whole)
      }),
      { numRuns: 25 }
    )
  })

  it('does not blame a caught failure', () => {
    const h = new HistoryBuilder().started()
    const call = h.top.open('call')
    call.attempt({ fail: { error: 'FC.Boom', cause: 'caught me' } })
    call.fail({ error: 'FC.Boom', cause: 'caught me' })
    h.top.pass('recover')
    h.succeeded()
    const r = fold(h.events, exec('Succeeded'))
    expect(r.rootCause).toBeUndefined()
    expect(r.steps[0]).toMatchObject({ status: 'Failed', handled: true, error: 'FC.Boom' })
  })

  it('blames the step that failed the execution after a caught failure', () => {
    const h = new HistoryBuilder().started()
    h.top.task('call', [{ fail: { error: 'FC.Boom', cause: 'first' } }])
    h.top.fail('give-up', { error: 'Deploy.Failed', cause: 'gave up after call failed' })
    h.failed({ error: 'Deploy.Failed', cause: 'gave up after call failed' })
    const r = fold(h.events, exec('Failed'))
    expect(r.rootCauses.map((c) => (c as FailureCause).pathText)).toEqual(['give-up'])
    expect(r.rootCause).toMatchObject({ error: 'Deploy.Failed', attempts: 0 })
    expect(find(r.steps, 'call')?.handled).toBe(true)
  })

  it('does not blame a branch failure that the parallel step caught', () => {
    const h = new HistoryBuilder().started()
    const par = h.top.open('fanout')
    const b0 = par.branch(0)
    const b1 = par.branch(1)
    b0.task('a', [{ fail: { error: 'A.Fail', cause: 'a' } }])
    b1.task('b')
    par.fail({ error: 'A.Fail', cause: 'a' })
    h.top.fail('final', { error: 'Final', cause: 'after fallback' })
    h.failed({ error: 'Final', cause: 'after fallback' })
    const r = fold(h.events, exec('Failed'))
    expect((r.rootCause as FailureCause).pathText).toBe('final')
    const a = find(r.steps, 'fanout › branch 0 › a')!
    expect(a).toMatchObject({ status: 'Failed', handled: true })
  })

  it('lists every propagated leaf failure, earliest first', () => {
    const h = new HistoryBuilder().started()
    const each = h.top.open('each')
    const its = [0, 1, 2, 3].map((i) => each.iteration(i))
    const s3 = its[3]!.open('work')
    const s1 = its[1]!.open('work')
    its[0]!.task('work')
    its[0]!.exit()
    s1.attempt({ fail: { error: 'E1', cause: 'one' } })
    s3.attempt({ fail: { error: 'E3', cause: 'three' } })
    s3.fail({ error: 'E3', cause: 'three' }) // iteration 3 fails first
    s1.fail({ error: 'E1', cause: 'one' })
    its[2]!.open('work') // still running when the foreach gives up
    each.fail({ error: 'E3', cause: 'three' })
    h.failed({ error: 'E3', cause: 'three' })
    const r = fold(h.events, exec('Failed'))
    expect(r.rootCauses.map((c) => (c as FailureCause).pathText)).toEqual([
      'each › iteration 3 › work',
      'each › iteration 1 › work'
    ])
    expect(r.running.map((s) => s.pathText)).toEqual(['each › iteration 2 › work'])
    expect(find(r.steps, 'each › iteration 2 › work')?.status).toBe('Interrupted')
    expect(find(r.steps, 'each › iteration 2')?.status).toBe('Interrupted')
  })

  it('reports an execution-level failure when no step failed', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('a')
    h.failed({ error: 'FnF.OutputMapping', cause: 'bad $.x' })
    const r = fold(h.events, exec('Failed'))
    expect(r.rootCause).toEqual({
      kind: 'failure',
      path: [],
      pathText: '',
      attempts: 0,
      error: 'FnF.OutputMapping',
      cause: 'bad $.x',
      at: r.stoppedAt
    })
  })

  it('falls back to the last attempt when StepFailed has no detail', () => {
    const h = new HistoryBuilder().started()
    const s = h.top.open('call')
    s.attempt({ fail: { error: 'FC.X', cause: 'from the attempt' } })
    h.top.emit('StepFailed', 'call', '')
    h.failed({ error: 'FC.X', cause: 'from the attempt' })
    const r = fold(h.events, exec('Failed'))
    expect(r.rootCause).toMatchObject({
      pathText: 'call',
      error: 'FC.X',
      cause: 'from the attempt'
    })
  })

  it('keeps a broken (non-JSON) detail as the cause and counts it', () => {
    const h = new HistoryBuilder().started()
    const s = h.top.open('call')
    s.attempt({ open: true })
    h.top.emit('TaskFailed', 'call', 'Internal error <html> not json')
    h.top.emit('StepFailed', 'call', '{"error": "truncated')
    h.top.emit('ExecutionFailed', '', '{"error":"X","cause":"y"}')
    const r = fold(h.events, exec('Failed'))
    expect(r.rootCause).toMatchObject({ pathText: 'call', cause: '{"error": "truncated' })
    expect(r.steps[0]!.attemptList[0]).toMatchObject({
      status: 'Failed',
      cause: 'Internal error <html> not json'
    })
    expect(r.stats.brokenDetails).toBe(2)
  })
})
