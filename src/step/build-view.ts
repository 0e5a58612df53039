import type { Config } from '../config/inputs.js'
import { errorMessage } from '../base/error-text.js'
import {
  executionView,
  type AliasRouting,
  type DefinitionLocations,
  type ExecutionView,
  type ReportView
} from '../report/view.js'
import { bySeverity, followError, isUnsuccessful, type Tracked } from './execution-outcome.js'

/** What the step started, the same for each of its executions. */
export interface StartedWith {
  readonly qualifier?: string
  readonly routing?: AliasRouting
}

/**
 * Pure: one execution as the report, the outputs and the failure message see it. The one place
 * that reads a Tracked for them.
 */
export function executionViewOf(
  flowName: string,
  t: Tracked,
  waitedMs?: number,
  startedWith: StartedWith = {},
  locations?: DefinitionLocations
): ExecutionView {
  const note = historyNoteOf(t)
  return executionView({
    flowName,
    executionName: t.name,
    ...(t.execution ? { execution: t.execution } : {}),
    ...(t.report ? { report: t.report } : {}),
    ...(t.mapRuns ? { mapRuns: t.mapRuns } : {}),
    waitTimedOut: t.state === 'wait-timed-out',
    ...(waitedMs !== undefined ? { waitedMs } : {}),
    ...(followError(t) !== undefined ? { problem: errorMessage(followError(t)) } : {}),
    ...(note !== undefined ? { historyNote: note } : {}),
    ...(t.express ? { express: true } : {}),
    ...startedWith,
    ...(locations !== undefined ? { locations } : {})
  })
}

/** Why there is no history (an express execution), or why it was not waited for to the end. */
function historyNoteOf(t: Tracked): string | undefined {
  if (t.state === 'abandoned') {
    return 'Not waited for to the end: another execution failed first (fail-fast).'
  }
  if (!t.express) return undefined
  if (t.state === 'ended') {
    return (
      'Express executions keep no history: the status, error and output here are ' +
      `StartSyncExecution's answer, for the execution the service named ${t.execution.Name}.`
    )
  }
  return (
    "Express executions keep no history, and StartSyncExecution's answer never came: how this " +
    'one ended is not known. It runs at most 5 minutes, and cannot be stopped or looked up.'
  )
}

/** Pure: what the summary, annotations and PR comment describe, from the step's outcomes. */
export function reportView(
  config: Config,
  outcomes: readonly Tracked[],
  waitedMs: number,
  routing?: AliasRouting,
  /** By execution name (step/locate-failures.ts). */
  locations: ReadonlyMap<string, DefinitionLocations> = new Map()
): ReportView {
  const startedWith: StartedWith = {
    ...(config.qualifier ? { qualifier: config.qualifier.text } : {}),
    ...(routing ? { routing } : {})
  }
  const viewOf = (t: Tracked, withWhat: StartedWith): ExecutionView =>
    executionViewOf(config.flowName, t, waitedMs, withWhat, locations.get(t.name))
  if (outcomes.length === 1) {
    return { kind: 'single', execution: viewOf(outcomes[0]!, startedWith) }
  }
  // Several: the routing is said once, above them all.
  const { routing: _said, ...each } = startedWith
  const ordered = bySeverity(outcomes).map((t) => ({ t, view: viewOf(t, each) }))
  return {
    kind: 'multi',
    flowName: config.flowName,
    ...startedWith,
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
