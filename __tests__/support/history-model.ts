/**
 * The history model as the history/ tests fold it: under every linking, page by page, with the
 * nested failure several of them read.
 */
import type { Execution, HistoryEvent } from '../../src/fnf/types.js'
import { createHistoryModel, type ExecutionReport, type StepNode } from '../../src/history/index.js'
import { HistoryBuilder, fcCause } from './history-builder.js'
import { foldEveryLinking } from './relink.js'

/** Folds under every linking (the root cause must not depend on it); returns the report as given. */
export function fold(
  events: HistoryEvent[],
  execution?: Execution,
  pageSize = 1000
): ExecutionReport {
  return foldEveryLinking((evs) => {
    const model = createHistoryModel()
    for (let i = 0; i < evs.length; i += pageSize) model.add(evs.slice(i, i + pageSize))
    return model.result(execution)
  }, events)
}

export function find(steps: StepNode[], pathText: string): StepNode | undefined {
  for (const s of steps) {
    if (s.pathText === pathText) return s
    const hit = find(s.children, pathText)
    if (hit) return hit
  }
  return undefined
}

export function exec(status: Execution['Status'], extra: Partial<Execution> = {}): Execution {
  return { Name: 'run-1', FlowName: 'deploy', Status: status, ...extra }
}

/**
 * fanout (parallel, 3 branches, interleaved) › branch 2 › each-region (foreach, 20 iterations)
 * › iteration 17 › push-image fails after 3 attempts; the others succeed.
 */
export function nestedFailure(): HistoryBuilder {
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
