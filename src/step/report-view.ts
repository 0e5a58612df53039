import type { Config } from '../config/inputs.js'
import { errorMessage } from '../http/errors.js'
import type { ReportContext } from '../report/index.js'
import type { ReportView } from '../report/publish.js'
import { bySeverity, followError, isUnsuccessful, type Tracked } from './tracked.js'

/** Pure: what the summary, annotations and PR comment describe, from the step's outcomes. */
export function reportView(
  config: Config,
  outcomes: readonly Tracked[],
  waitedMs: number
): ReportView {
  const contextOf = (t: Tracked): ReportContext & { problem?: string } => ({
    flowName: config.flowName,
    executionName: t.name,
    ...(t.execution ? { execution: t.execution } : {}),
    ...(t.report ? { report: t.report } : {}),
    waitTimedOut: t.state === 'wait-timed-out',
    waitedMs,
    ...(followError(t) !== undefined ? { problem: errorMessage(followError(t)) } : {}),
    ...(t.state === 'abandoned'
      ? { historyNote: 'Not waited for to the end: another execution failed first (fail-fast).' }
      : {})
  })
  if (outcomes.length === 1) return { kind: 'single', context: contextOf(outcomes[0]!) }
  const ordered = bySeverity(outcomes)
  return {
    kind: 'multi',
    flowName: config.flowName,
    executions: ordered.map(contextOf),
    // Not those never read (an error that stopped every wait says it once, itself).
    failed: ordered
      .filter(
        (t) =>
          isUnsuccessful(t) &&
          t.state !== 'abandoned' &&
          (t.execution || followError(t) !== undefined)
      )
      .map(contextOf)
  }
}
