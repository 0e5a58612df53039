import { describe, expect, it } from '@jest/globals'
import type { Execution, HistoryEvent } from '../../src/fnf/types.js'
import {
  buildAnnotations,
  buildCaughtAnnotations,
  buildMultiAnnotations
} from '../../src/report/annotations.js'
import {
  executionView,
  type DefinitionLocations,
  type DefinitionPlace,
  type ExecutionFacts,
  type ExecutionView
} from '../../src/report/view.js'
import { createHistoryModel, type ExecutionReport } from '../../src/history/index.js'
import { HistoryBuilder, fcCause } from '../support/history-builder.js'
import { foldEveryLinking } from '../support/relink.js'

/** Folds under every linking (the root cause must not depend on it); returns the report as given. */
function fold(events: HistoryEvent[], status: Execution['Status']): ExecutionReport {
  return foldEveryLinking((evs) => {
    const model = createHistoryModel()
    model.add(evs)
    return model.result({ Name: 'run-1', FlowName: 'deploy', Status: status })
  }, events)
}

const ctx = { flowName: 'deploy', executionName: 'run-1' }

/** The annotations of the execution's view, with its report (`max` is the renderer's option). */
function annotate(report: ExecutionReport | undefined, facts: ExecutionFacts & { max?: number }) {
  const { max, ...rest } = facts
  return buildAnnotations(
    executionView({ ...rest, ...(report ? { report } : {}) }),
    max !== undefined ? { max } : {}
  )
}

/** A foreach where `n` iterations fail (all propagate: nothing catches them). */
function failingIterations(n: number): ExecutionReport {
  const h = new HistoryBuilder().started()
  const each = h.top.open('each')
  const its = Array.from({ length: n }, (_, i) => each.iteration(i))
  for (const [i, it] of its.entries()) {
    it.task('work', [{ fail: { error: `E${i}`, cause: `cause ${i}` } }])
  }
  each.fail({ error: 'E0', cause: 'cause 0' })
  h.failed({ error: 'E0', cause: 'cause 0' })
  return fold(h.events, 'Failed')
}

describe('buildAnnotations', () => {
  it('one error per root-cause failure: title names flow and path, message error: cause', () => {
    const h = new HistoryBuilder().started()
    h.top.task('call', [
      { fail: { error: 'FC.X', cause: fcCause('first') } },
      { fail: { error: 'FC.X', cause: fcCause('no route to host') } }
    ])
    h.failed({ error: 'FC.X', cause: 'x' })
    expect(annotate(fold(h.events, 'Failed'), ctx)).toEqual([
      { title: 'FnF deploy: call', message: 'FC.X: no route to host (after 2 attempts)' }
    ])
  })

  it('one per failed iteration, up to 10', () => {
    const out = annotate(failingIterations(10), ctx)
    expect(out).toHaveLength(10)
    expect(out[0]).toEqual({
      title: 'FnF deploy: each › iteration 0 › work',
      message: 'E0: cause 0'
    })
    expect(out[9]!.title).toBe('FnF deploy: each › iteration 9 › work')
  })

  it('more than 10: nine, then one that says how many more', () => {
    const out = annotate(failingIterations(40), ctx)
    expect(out).toHaveLength(10)
    expect(out[8]!.title).toBe('FnF deploy: each › iteration 8 › work')
    expect(out[9]!.title).toBe('FnF deploy: 31 more failed steps')
    expect(out[9]!.message).toMatch(/^each › iteration 9 › work, each › iteration 10 › work, /)
    expect(out[9]!.message).toContain('… (11 more). See the job summary')
  })

  it('honours a smaller max', () => {
    const out = annotate(failingIterations(5), { ...ctx, max: 3 })
    expect(out.map((a) => a.title)).toEqual([
      'FnF deploy: each › iteration 0 › work',
      'FnF deploy: each › iteration 1 › work',
      'FnF deploy: 3 more failed steps'
    ])
  })

  it('an execution-level failure, or none in the history', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('a')
    h.failed({ error: 'FnF.Mapping', cause: 'bad output' })
    expect(annotate(fold(h.events, 'Failed'), ctx)).toEqual([
      { title: 'FnF deploy: execution run-1 failed', message: 'FnF.Mapping: bad output' }
    ])
    const execution: Execution = { Name: 'run-1', FlowName: 'deploy', Status: 'Failed' }
    expect(annotate(undefined, { ...ctx, execution })).toEqual([
      { title: 'FnF deploy: execution run-1 failed', message: 'failed' }
    ])
  })

  it('TimedOut and Stopped get one each, naming the running steps', () => {
    const h = new HistoryBuilder().started()
    h.top.open('slow')
    const timedOut = new HistoryBuilder().started()
    timedOut.top.open('slow')
    timedOut.timedOut()
    expect(annotate(fold(timedOut.events, 'TimedOut'), ctx)).toEqual([
      {
        title: 'FnF deploy: execution run-1 timed out',
        message: 'FnF.Timeout: execution timed out. Running then: slow'
      }
    ])
    h.stopped({ error: 'Stop', cause: 'by hand' })
    expect(annotate(fold(h.events, 'Stopped'), ctx)).toEqual([
      {
        title: 'FnF deploy: execution run-1 was stopped',
        message: 'Stop: by hand. Running then: slow'
      }
    ])
  })

  it('on-timeout: stop: the stop cause ends its sentence once, before the running steps', () => {
    const h = new HistoryBuilder().started()
    h.top.open('slow')
    const cause =
      'fnf-wait stopped the execution after waiting 1s (on-timeout: stop): ' +
      'https://github.com/octo/app/actions/runs/4242.'
    h.stopped({ error: 'FnfWaitTimeout', cause })
    expect(annotate(fold(h.events, 'Stopped'), ctx)).toEqual([
      {
        title: 'FnF deploy: execution run-1 was stopped',
        message: `FnfWaitTimeout: ${cause} Running then: slow`
      }
    ])
  })

  it('our own wait timeout gets one; success and a plain running status get none', () => {
    const h = new HistoryBuilder().started()
    h.top.open('slow')
    const running = fold(h.events, 'Running')
    expect(annotate(running, { ...ctx, waitTimedOut: true, waitedMs: 90_000 })).toEqual([
      {
        title: 'FnF deploy: execution run-1 still running',
        message: 'Stopped waiting after 1m 30s; the execution is still Running. Running: slow'
      }
    ])
    expect(annotate(running, ctx)).toEqual([])
    const ok = new HistoryBuilder().started()
    ok.top.pass('a')
    ok.succeeded()
    expect(annotate(fold(ok.events, 'Succeeded'), ctx)).toEqual([])
  })

  it('keeps titles to one line and messages bounded', () => {
    const h = new HistoryBuilder().started()
    h.top.fail('multi\nline', { error: 'E', cause: 'c'.repeat(10_000) })
    h.failed({ error: 'E', cause: 'c' })
    const [a] = annotate(fold(h.events, 'Failed'), ctx)
    expect(a!.title).toBe('FnF deploy: multi line')
    expect(a!.message.length).toBeLessThan(2100)
  })
})

describe('buildMultiAnnotations', () => {
  const failedOne = (name: string): ExecutionView => {
    const h = new HistoryBuilder().started()
    h.top.fail('push', { error: 'E.Push', cause: `${name} said no` })
    h.failed({ error: 'E.Push', cause: `${name} said no` })
    return executionView({
      flowName: 'deploy',
      executionName: name,
      report: fold(h.events, 'Failed')
    })
  }
  const several = (failed: ExecutionView[]) =>
    ({ kind: 'multi', flowName: 'deploy', executions: failed, failed }) as const

  it('one per failed execution, its blame, titled by its name', () => {
    const lost = executionView({ flowName: 'deploy', executionName: 'lost', problem: 'gone' })
    expect(buildMultiAnnotations(several([failedOne('eu'), lost]))).toEqual([
      { title: 'eu: FnF deploy: push', message: 'E.Push: eu said no' },
      { title: 'lost: deploy', message: 'Execution lost did not succeed.' }
    ])
  })

  it('past the cap, the last one counts the rest', () => {
    const out = buildMultiAnnotations(several(['a', 'b', 'c', 'd'].map(failedOne)), { max: 3 })
    expect(out.map((a) => a.title)).toEqual([
      'a: FnF deploy: push',
      'b: FnF deploy: push',
      '2 more executions did not succeed'
    ])
    expect(out[2]!.message).toBe('c, d. See the job summary for all of them.')
  })
})

describe('at the lines of the flow definition', () => {
  const PUSH = 'fanout › branch 1 › each › iteration 1 › push'
  const place: DefinitionPlace = {
    file: 'flows/etl.yaml',
    startLine: 19,
    endLine: 21,
    sameDefinition: true
  }
  const caughtPlace: DefinitionPlace = { ...place, startLine: 4, endLine: 8 }

  /** validate fails, caught; fanout › branch 1 › each › iteration 1 › push fails, and iteration 2's. */
  function nested(): ExecutionReport {
    const h = new HistoryBuilder().started()
    h.top.task('validate', [{ fail: { error: 'Schema.Drift', cause: 'new column' } }])
    const fanout = h.top.open('fanout')
    fanout.branch(0).task('build').exit()
    const each = fanout.branch(1).open('each')
    each.iteration(1).task('push', [{ fail: { error: 'E.Push', cause: 'no' } }])
    each.iteration(2).task('push', [{ fail: { error: 'E.Push', cause: 'no' } }])
    each.fail({ error: 'E.Push', cause: 'no' })
    fanout.fail({ error: 'E.Push', cause: 'no' })
    h.failed({ error: 'E.Push', cause: 'no' })
    return fold(h.events, 'Failed')
  }

  function located(locations: DefinitionLocations, name = 'run-1'): ExecutionView {
    return executionView({ flowName: 'deploy', executionName: name, report: nested(), locations })
  }

  it("a placed step's annotation carries its file and lines; a step not placed, none", () => {
    const view = located({ steps: new Map([[PUSH, place]]), caught: [] })
    expect(buildAnnotations(view)).toEqual([
      {
        title: `FnF deploy: ${PUSH}`,
        message: 'E.Push: no',
        file: 'flows/etl.yaml',
        startLine: 19,
        endLine: 21
      },
      { title: 'FnF deploy: fanout › branch 1 › each › iteration 2 › push', message: 'E.Push: no' }
    ])
  })

  it('a file that is not the definition that ran: the annotation says so', () => {
    const other = { ...place, sameDefinition: false }
    const [first] = buildAnnotations(located({ steps: new Map([[PUSH, other]]), caught: [] }))
    expect(first).toMatchObject({ file: 'flows/etl.yaml', startLine: 19, endLine: 21 })
    expect(first!.message).toBe(
      'E.Push: no\nThe execution ran a different definition; this is where a step of that name is now.'
    )
  })

  it("several executions: each one's annotation keeps its place", () => {
    const view = located({ steps: new Map([[PUSH, place]]), caught: [] }, 'eu')
    const multi = { kind: 'multi', flowName: 'deploy', executions: [view], failed: [view] } as const
    expect(buildMultiAnnotations(multi)).toEqual([
      {
        title: `eu: FnF deploy: ${PUSH}`,
        message: 'E.Push: no',
        file: 'flows/etl.yaml',
        startLine: 19,
        endLine: 21
      }
    ])
  })

  it('a caught failure is annotated at its step, counted when caught at the same lines again', () => {
    const caught = [
      {
        pathText: 'validate',
        error: 'Schema.Drift',
        cause: 'new column',
        count: 1,
        place: caughtPlace
      },
      {
        pathText: 'retry › probe',
        error: 'E.Flaky',
        count: 3,
        place: { ...caughtPlace, sameDefinition: false }
      }
    ]
    const view = located({ steps: new Map(), caught })
    expect(buildCaughtAnnotations([view])).toEqual([
      {
        title: 'FnF deploy: validate (caught)',
        message: 'Schema.Drift: new column. The flow caught this failure and went on.',
        file: 'flows/etl.yaml',
        startLine: 4,
        endLine: 8
      },
      {
        title: 'FnF deploy: retry › probe (caught)',
        message:
          'E.Flaky (caught 3 times at this step). The flow caught this failure and went on.\n' +
          'The execution ran a different definition; this is where a step of that name is now.',
        file: 'flows/etl.yaml',
        startLine: 4,
        endLine: 8
      }
    ])
    expect(buildCaughtAnnotations([view], { max: 1 })).toHaveLength(1)
    expect(buildCaughtAnnotations([view], { max: 0 })).toEqual([])
  })

  it('several executions: caught ones are titled by execution; none without places', () => {
    const one = { pathText: 'validate', count: 1, place: caughtPlace }
    const views = [
      located({ steps: new Map(), caught: [one] }, 'eu'),
      executionView({ flowName: 'deploy', executionName: 'us', report: nested() })
    ]
    expect(buildCaughtAnnotations(views).map((a) => a.title)).toEqual([
      'eu: FnF deploy: validate (caught)'
    ])
    expect(buildCaughtAnnotations([views[1]!])).toEqual([])
  })
})

describe('a qualifier and an express execution', () => {
  it('titles name the version or alias the step started', () => {
    const [first] = annotate(failingIterations(1), { ...ctx, qualifier: 'canary' })
    expect(first?.title).toBe('FnF deploy @ canary: each › iteration 0 › work')
  })

  it("an express failure: one annotation with StartSyncExecution's error code and message", () => {
    const execution = {
      Name: 'run-1:0d5b',
      FlowName: 'deploy',
      Status: 'Failed',
      ErrorCode: 'Smoke.Down',
      ErrorMessage: 'GET /health: 503'
    } as Execution
    expect(annotate(undefined, { ...ctx, execution, express: true })).toEqual([
      { title: 'FnF deploy: execution run-1 failed', message: 'Smoke.Down: GET /health: 503' }
    ])
  })
})
