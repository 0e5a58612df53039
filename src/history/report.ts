/** Builds the `ExecutionReport` from the folded tree: status, times, steps and root causes. */
import type { Execution, ExecutionStatus } from '../fnf/types.js'
import { isTerminal } from '../fnf/types.js'
import { copyError } from './detail.js'
import { failureCauses, runningLeaves } from './root-cause.js'
import { snapshot } from './snapshot.js'
import { parseTime } from './time.js'
import type { MNode } from './tree.js'
import type { ExecutionReport, FailureEventRef, HistoryStats, InterruptionCause } from './types.js'

export interface BuildInput {
  root: MNode
  execution: Execution | undefined
  historyStatus: ExecutionStatus | undefined
  execEndEventId: number | undefined
  failureEvents: FailureEventRef[]
  stats: HistoryStats
}

export function buildReport(input: BuildInput): ExecutionReport {
  const { root, execution } = input
  const status = reportStatus(execution?.Status, input.historyStatus)
  const terminal = isTerminal(status)

  const steps = root.children.map((c) => snapshot(c, [], terminal, false))
  const startedAt = root.startedAt ?? parseTime(execution?.StartedTime)
  const stoppedAt = terminal ? (parseTime(execution?.StoppedTime) ?? root.endedAt) : undefined

  const endId = terminal ? input.execEndEventId : undefined
  const running = runningLeaves(steps, endId)
  const report: ExecutionReport = {
    status,
    steps,
    rootCauses: [],
    running,
    unknownEvents: root.unknown,
    unknownEventCount: root.unknownCount,
    approximate: (input.stats.guessedPlacements ?? 0) > 0,
    failureEvents: input.failureEvents,
    stats: input.stats
  }
  const flowName = execution?.FlowName
  const executionName = execution?.Name
  if (flowName !== undefined) report.flowName = flowName
  if (executionName !== undefined) report.executionName = executionName
  if (startedAt !== undefined) report.startedAt = startedAt
  if (stoppedAt !== undefined) report.stoppedAt = stoppedAt
  if (startedAt !== undefined && stoppedAt !== undefined) report.durationMs = stoppedAt - startedAt
  copyError(report, root)

  if (status === 'Failed') {
    report.rootCauses = failureCauses(steps, report)
  } else if (status === 'Stopped' || status === 'TimedOut') {
    const cause: InterruptionCause = {
      kind: status === 'Stopped' ? 'stopped' : 'timedOut',
      running
    }
    copyError(cause, root)
    if (stoppedAt !== undefined) cause.at = stoppedAt
    report.rootCauses = [cause]
  }
  const first = report.rootCauses[0]
  if (first !== undefined) report.rootCause = first
  return report
}

/**
 * DescribeExecution is authoritative once it says the execution ended; before that the history
 * may already hold the terminal event (it was fetched later), so a terminal history status wins.
 */
function reportStatus(
  described: ExecutionStatus | undefined,
  fromHistory: ExecutionStatus | undefined
): ExecutionStatus | 'Unknown' {
  if (described !== undefined && isTerminal(described)) return described
  if (fromHistory !== undefined && isTerminal(fromHistory)) return fromHistory
  return described ?? fromHistory ?? 'Unknown'
}
