import type { Config } from '../config/inputs.js'
import { errorMessage } from '../base/error-text.js'
import {
  executionView,
  type DefinitionLocations,
  type ExecutionView,
  type ReportView
} from '../report/view.js'
import { bySeverity, followError, isUnsuccessful, type Tracked } from './execution-outcome.js'

/**
 * Pure: one execution as the report, the outputs and the failure message see it. The one place
 * that reads a Tracked for them.
 */
export function executionViewOf(
  flowName: string,
  t: Tracked,
  waitedMs?: number,
  locations?: DefinitionLocations
): ExecutionView {
  return executionView({
    flowName,
    executionName: t.name,
    ...(t.execution ? { execution: t.execution } : {}),
    ...(t.report ? { report: t.report } : {}),
    ...(t.mapRuns ? { mapRuns: t.mapRuns } : {}),
    waitTimedOut: t.state === 'wait-timed-out',
    ...(waitedMs !== undefined ? { waitedMs } : {}),
    ...(followError(t) !== undefined ? { problem: errorMessage(followError(t)) } : {}),
    ...(t.state === 'abandoned'
      ? { historyNote: 'Not waited for to the end: another execution failed first (fail-fast).' }
      : {}),
    ...(locations !== undefined ? { locations } : {})
  })
}

/** Pure: what the summary, annotations and PR comment describe, from the step's outcomes. */
export function reportView(
  config: Config,
  outcomes: readonly Tracked[],
  waitedMs: number,
  /** By execution name (step/locate-failures.ts). */
  locations: ReadonlyMap<string, DefinitionLocations> = new Map()
): ReportView {
  const viewOf = (t: Tracked): ExecutionView =>
    executionViewOf(config.flowName, t, waitedMs, locations.get(t.name))
  if (outcomes.length === 1) return { kind: 'single', execution: viewOf(outcomes[0]!) }
  const ordered = bySeverity(outcomes).map((t) => ({ t, view: viewOf(t) }))
  return {
    kind: 'multi',
    flowName: config.flowName,
    executions: ordered.map(({ view }) => view),
    // Not those never read (an error that stopped every wait says it once, itself).
    failed: ordered
      .filter(
        ({ t }) =>
          isUnsuccessful(t) &&
          t.state !== 'abandoned' &&
          (t.execution !== undefined || followError(t) !== undefined)
      )
      .map(({ view }) => view)
  }
}
