import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import type { Execution, HistoryEvent } from '../../src/fnf/types.js'
import {
  createHistoryModel,
  type ExecutionReport,
  type FailureCause,
  type InterruptionCause,
  type StepNode
} from '../../src/history/index.js'
import { HistoryBuilder, fcCause } from '../support/history-builder.js'
import { foldEveryLinking } from '../support/relink.js'
import { LARGE_FOREACH, PROBE_TASK, largeHistoryPages } from '../support/history-large.js'

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

/**
 * fanout (parallel, 3 branches, interleaved) › branch 2 › each-region (foreach, 20 iterations)
 * › iteration 17 › push-image fails after 3 attempts; the others succeed.
 */
function nestedFailure(): HistoryBuilder {
  const h = new HistoryBuilder().started({ regions: 20 })
  h.top.pass('prepare')
  const fanout = h.top.open('fanout')
  const b0 = fanout.branch(0)
  const b1 = fanout.branch(1)
  const b2 = fanout.branch(2)
  b0.task('build')
  b1.task('lint', [{ fail: { error: 'FC.Flaky', cause: 'once' } }, 'ok'])
  const each = b2.open('each-region')
  b0.exit()
  const its = Array.from({ length: 20 }, (_, i) => each.iteration(i))
  for (const [i, it] of its.entries()) {
    if (i === 17) {
      it.task('push-image', [
        { fail: { error: 'FC.Unhandled', cause: fcCause('first') } },
        { timeout: { error: 'FC.Timeout', cause: 'took too long' } },
        { fail: { error: 'FC.Unhandled', cause: fcCause('registry said no: 401') } }
      ])
    } else {
      it.task('push-image')
      it.exit()
    }
  }
  b1.exit()
  each.fail({ error: 'FC.Unhandled', cause: fcCause('registry said no: 401') })
  fanout.fail({ error: 'FC.Unhandled', cause: fcCause('registry said no: 401') })
  h.failed({ error: 'FC.Unhandled', cause: fcCause('registry said no: 401') })
  return h
}

describe('history model: success', () => {
  it('folds the documented sample (one pass step)', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('pass1')
    h.succeeded()
    const r = fold(h.events, exec('Succeeded'))
    expect(r.status).toBe('Succeeded')
    expect(r.rootCause).toBeUndefined()
    expect(r.rootCauses).toEqual([])
    expect(r.running).toEqual([])
    expect(r.steps).toHaveLength(1)
    expect(r.steps[0]).toMatchObject({
      kind: 'step',
      name: 'pass1',
      status: 'Succeeded',
      durationMs: 2000,
      attempts: 0,
      pathText: 'pass1'
    })
    expect(r.durationMs).toBe(5000)
    expect(r.stats).toMatchObject({ events: 6, steps: 1, unresolvedLinks: 0, unknownEvents: 0 })
  })

  it('counts task attempts, including a retried one that succeeded', () => {
    const h = new HistoryBuilder().started()
    h.top.task('call', [
      { fail: { error: 'E', cause: 'c1' } },
      { timeout: { error: 'T', cause: 'c2' } },
      'ok'
    ])
    h.succeeded()
    const step = fold(h.events).steps[0]!
    expect(step).toMatchObject({ kind: 'task', status: 'Succeeded', attempts: 3 })
    expect(step.attemptList.map((a) => a.status)).toEqual(['Failed', 'TimedOut', 'Succeeded'])
    expect(step.attemptList[1]).toMatchObject({ number: 2, endType: 'TaskTimedOut', error: 'T' })
    expect(step.error).toBeUndefined()
  })

  it('takes the status from the history when DescribeExecution is older', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('a')
    h.succeeded()
    expect(fold(h.events, exec('Running')).status).toBe('Succeeded')
    expect(fold(h.events).status).toBe('Succeeded')
    expect(fold([], exec('Failed')).status).toBe('Failed')
    expect(fold([]).status).toBe('Unknown')
  })
})

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

describe('history model: unfamiliar histories', () => {
  it('keeps unknown events on the step or scope they belong to', () => {
    const h = new HistoryBuilder().started()
    h.top.emit('ExecutionPaused', '', {})
    const each = h.top.open('map')
    h.top.emit('MapRunStarted', 'map', { mapRunName: 'r' })
    const it0 = each.iteration(0)
    it0.emit('IterationHeartbeat', 'map', {})
    it0.task('work')
    it0.exit()
    each.succeed()
    h.succeeded()
    const r = fold(h.events, exec('Succeeded'))
    expect(r.unknownEventCount).toBe(1)
    expect(r.unknownEvents[0]).toMatchObject({ type: 'ExecutionPaused' })
    expect(find(r.steps, 'map')?.unknownEvents.map((u) => u.type)).toEqual(['MapRunStarted'])
    // StepName names the owner, but the event sits in the iteration's thread.
    expect(find(r.steps, 'map › iteration 0')?.unknownEvents.map((u) => u.type)).toEqual([
      'IterationHeartbeat'
    ])
    expect(r.stats.unknownEvents).toBe(3)
    expect(r.stats.unknownEventTypes).toEqual({
      ExecutionPaused: 1,
      MapRunStarted: 1,
      IterationHeartbeat: 1
    })
    expect(find(r.steps, 'map › iteration 0 › work')?.status).toBe('Succeeded')
    expect(r.status).toBe('Succeeded')
  })

  it('attaches events whose ScheduleEventId does not resolve to the nearest open scope', () => {
    const h = new HistoryBuilder().started()
    const par = h.top.open('fanout')
    const b0 = par.branch(0)
    const s = b0.open('deep')
    // Lost link: points at an event that is not in the history.
    h.emit('TaskScheduled', 'deep', {}, 9999)
    h.emit('TaskFailed', 'deep', { error: 'E', cause: 'c' }, 9998)
    s.fail({ error: 'E', cause: 'c' })
    h.emit('Mystery', 'nowhere', {}, 0)
    par.fail({ error: 'E', cause: 'c' })
    h.failed({ error: 'E', cause: 'c' })
    const r = fold(h.events, exec('Failed'))
    expect(r.stats.unresolvedLinks).toBe(3)
    expect(find(r.steps, 'fanout › branch 0 › deep')).toMatchObject({
      attempts: 1,
      status: 'Failed'
    })
    expect(find(r.steps, 'fanout › branch 0')?.unknownEvents.map((u) => u.type)).toEqual([
      'Mystery'
    ])
    expect((r.rootCause as FailureCause).pathText).toBe('fanout › branch 0 › deep')
  })

  it('builds the same tree when a parallel step ends with a link into its last branch', () => {
    const h = new HistoryBuilder().started()
    const par = h.top.open('fanout')
    const b0 = par.branch(0)
    b0.task('x')
    b0.exit()
    // Some services link the owner's end to the event that completed it.
    h.emit('StepSucceeded', 'fanout', {}, h.events.at(-1)!.EventId)
    h.emit('StepExited', 'fanout', {}, h.events.at(-1)!.EventId)
    h.top.last = h.events.at(-1)!.EventId
    h.top.pass('after')
    h.succeeded()
    const r = fold(h.events, exec('Succeeded'))
    expect(r.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'fanout:Succeeded',
      'after:Succeeded'
    ])
    expect(r.stats.steps).toBe(3)
  })

  it('creates implicit nodes for events whose opening event is missing', () => {
    const h = new HistoryBuilder().started()
    h.top.emit('StepStarted', 'mid', {})
    h.top.emit('StepFailed', 'mid', { error: 'E', cause: 'c' })
    h.failed({ error: 'E', cause: 'c' })
    const r = fold(h.events, exec('Failed'))
    expect(r.steps[0]).toMatchObject({ name: 'mid', implicit: true, status: 'Failed' })
    expect((r.rootCause as FailureCause).pathText).toBe('mid')
  })

  it('matches steps with names too long to keep whole', () => {
    const long = 'n'.repeat(1000)
    const h = new HistoryBuilder().started()
    h.top.task(long, [{ fail: { error: 'E', cause: 'c' } }])
    h.failed({ error: 'E', cause: 'c' })
    const r = fold(h.events, exec('Failed'))
    expect(r.steps).toHaveLength(1)
    expect(r.steps[0]).toMatchObject({
      kind: 'task',
      attempts: 1,
      status: 'Failed',
      implicit: false
    })
    expect(r.steps[0]!.name.length).toBeLessThan(300)
    expect((r.rootCause as FailureCause).step).toBe(r.steps[0])
  })

  it('ignores events served twice (overlapping pages)', () => {
    const h = nestedFailure()
    const model = createHistoryModel()
    model.add(h.events.slice(0, 50))
    model.add(h.events.slice(40))
    const r = model.result(exec('Failed'))
    expect(r).toEqual({ ...fold(h.events, exec('Failed')), stats: r.stats })
    expect(r.stats.duplicateEvents).toBe(10)
  })

  it('survives arbitrary event streams', () => {
    const types = [
      'StepEntered',
      'StepStarted',
      'StepFailed',
      'StepExited',
      'TaskScheduled',
      'TaskFailed',
      'BranchEntered',
      'BranchExited',
      'IterationEntered',
      'IterationExited',
      'ExecutionFailed',
      'Weird'
    ]
    const event = fc.record({
      Type: fc.constantFrom(...types),
      ScheduleEventId: fc.integer({ min: 0, max: 40 }),
      StepName: fc.constantFrom('', 'a', 'b'),
      EventDetail: fc.oneof(
        fc.string(),
        fc.constant('{"error":"E","cause":"{\\"errorMessage\\":1}"}'),
        fc.constant('{"index":1}')
      )
    })
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 40 }),
        fc.constantFrom<Execution['Status']>('Failed', 'Stopped', 'Running'),
        (raw, status) => {
          const events: HistoryEvent[] = raw.map((e, i) => ({
            ...e,
            EventId: i + 1,
            Time: `2024-01-01T00:00:${String(i).padStart(2, '0')}Z`
          }))
          // Random links: no linking to compare with, only the report as given.
          const model = createHistoryModel()
          for (let i = 0; i < events.length; i += 7) model.add(events.slice(i, i + 7))
          const r = model.result(exec(status))
          if (status !== 'Running') expect(r.status).toBe(status)
          if (status === 'Failed') expect(r.rootCauses.length).toBeGreaterThan(0)
        }
      ),
      { numRuns: 200 }
    )
  })
})

describe('history model: the largest history', () => {
  it('folds 5000 events of 32 KiB page by page and keeps causes short', () => {
    const model = createHistoryModel()
    let events = 0
    for (const page of largeHistoryPages(999)) {
      events += page.length
      model.add(page)
    }
    const r = model.result(exec('Failed'))
    expect(events).toBe(5000)
    expect(r.stats.events).toBe(5000)
    const root = r.rootCause as FailureCause
    expect(root.pathText).toBe(`${LARGE_FOREACH} › iteration 355 › push-image`)
    expect(root.attempts).toBe(2)
    expect(root.cause!.length).toBeLessThan(4200)
    expect(root.causeRaw!.length).toBeLessThan(4200)
    const each = r.steps.find((s) => s.name === LARGE_FOREACH)!
    expect(each.children).toHaveLength(356)
    const attempt = each.children[0]!.children[0]!.attemptList[0]!
    expect(attempt.cause!.length).toBeLessThan(1100)
  })

  it('stays small in memory once the pages are dropped', () => {
    // A child process with --expose-gc: jest's own heap is too noisy to measure.
    const probe = fileURLToPath(new URL('../support/history-memory-probe.ts', import.meta.url))
    const out = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe], {
      encoding: 'utf8',
      timeout: 60_000
    })
    expect(out.stderr).toBe('')
    const { retainedBytes, events, rootCause } = JSON.parse(out.stdout) as {
      retainedBytes: number
      events: number
      rootCause: string
    }
    expect(events).toBe(5000)
    expect(rootCause).toBe(`${LARGE_FOREACH} › iteration 355 › ${PROBE_TASK}`)
    // 5000 × 32 KiB went through; what stays is the tree and short strings (about 2 MB).
    // Keeping slices of the details instead of copies (see text.ts detach) retains about 13 MB.
    expect(retainedBytes).toBeLessThan(6 * 1024 * 1024)
  })
})
