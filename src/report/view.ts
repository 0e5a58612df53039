/**
 * What every renderer takes: one execution as shown (its status, times, blame and history), and
 * the step's view of one execution or several. Built once (step/build-view.ts) from what is
 * known; every renderer reads these fields and works nothing out again.
 */
import { EXECUTION_STATUSES, type Execution } from '../fnf/types.js'
import { blameOf, type Blame, type ExpressEnd } from '../history/blame.js'
import { parseTime } from '../history/time.js'
import { withMapRuns } from '../history/map-graft.js'
import type { MapRunDrill } from '../history/map-run.js'
import type { ExecutionReport } from '../history/types.js'
import type { ReportStatus } from './format.js'

export interface ExecutionView {
  readonly flowName: string
  readonly executionName: string
  /** The report's status, else DescribeExecution's; Unknown for none or one not documented. */
  readonly status: ReportStatus
  /** The status as the service wrote it when it is Unknown here (shown escaped), else `status`. */
  readonly statusText: string
  /** When it started and (unless it is still running) ended, ms epoch: what is known of each. */
  readonly times: ExecutionTimes
  readonly blame: Blame
  /** The execution's input and output as the service returned them (JSON text, maybe empty). */
  readonly input?: string
  readonly output?: string
  /**
   * The history model's report: the timeline, the chart and its notes; absent when not read. A
   * failed distributed Map's children that were read are grafted in (history/map-graft.ts).
   */
  readonly report?: ExecutionReport
  /** Its distributed Maps' MapRuns as read after the wait: counts, failed items, notes. */
  readonly mapRuns?: readonly MapRunDrill[]
  /** Our own wait gave up while the execution was still running (`timeout`). */
  readonly waitTimedOut: boolean
  /** How long the action waited, for the wait-timeout message. */
  readonly waitedMs?: number
  /** A link to the execution (e.g. the CloudFlow console); rendered as a link, escaped. */
  readonly executionUrl?: string
  /** Why the history is missing or incomplete, or why the wait ended early. Plain text. */
  readonly historyNote?: string
  /** What ended following it when it was not its end (bad name, lost credentials, …). */
  readonly problem?: string
  /** Where its failed steps are written in the workspace's flow definition, when found. */
  readonly locations?: DefinitionLocations
  /** The version or alias the step started (`qualifier`). */
  readonly qualifier?: string
  /** The alias's routes, when they were read (DescribeFlowAlias). */
  readonly routing?: AliasRouting
  /** An express execution: what is known is StartSyncExecution's answer; it has no history. */
  readonly express?: true
}

/** An alias's routes: one or two versions, each chosen by weight once per execution. */
export interface AliasRouting {
  readonly alias: string
  readonly routes: ReadonlyArray<{ readonly version: string; readonly weight: number }>
}

/** A step's lines in the workspace's flow definition (step/locate-failures.ts finds them). */
export interface DefinitionPlace {
  /** Workspace-relative, `/`-separated. */
  readonly file: string
  /** 1-based, both included. */
  readonly startLine: number
  readonly endLine: number
  /** False: the file is not what the execution ran; the lines are where a step of that name is now. */
  readonly sameDefinition: boolean
  /** The lines on GitHub, at the commit the job runs on (a pull request's head). */
  readonly url?: string
}

/**
 * What every renderer says of a place whose file is not the definition that ran, instead of
 * pointing at it silently.
 */
export const DIFFERENT_DEFINITION =
  'the execution ran a different definition; this is where a step of that name is now'

/** A failure the flow caught and went on from, at its step in the definition. */
export interface CaughtPlace {
  readonly pathText: string
  readonly error?: string
  readonly cause?: string
  /** How many caught failures have these lines (a step caught in every iteration of a foreach). */
  readonly count: number
  readonly place: DefinitionPlace
}

export interface DefinitionLocations {
  /** The blamed steps' places, by `BlamedStep.pathText`; a step that was not placed is absent. */
  readonly steps: ReadonlyMap<string, DefinitionPlace>
  readonly caught: readonly CaughtPlace[]
}

export interface ExecutionTimes {
  readonly startedAt?: number
  readonly stoppedAt?: number
}

/** What the report describes: one execution, or several. */
export type ReportView = { readonly kind: 'single'; readonly execution: ExecutionView } | MultiView

/** Several executions, each list most severe first. */
export interface MultiView {
  readonly kind: 'multi'
  readonly flowName: string
  /** As in ExecutionView: what the step started. */
  readonly qualifier?: string
  readonly routing?: AliasRouting
  readonly executions: readonly ExecutionView[]
  /** The ones to write a failure report for. */
  readonly failed: readonly ExecutionView[]
}

/** What is known of one execution, from which its view is worked out. */
export interface ExecutionFacts {
  flowName: string
  executionName: string
  /** DescribeExecution's last answer: status, times, input and output. */
  execution?: Execution
  report?: ExecutionReport
  mapRuns?: readonly MapRunDrill[]
  waitTimedOut?: boolean
  waitedMs?: number
  executionUrl?: string
  historyNote?: string
  problem?: string
  locations?: DefinitionLocations
  qualifier?: string
  routing?: AliasRouting
  /** Started with StartSyncExecution: `execution` is its answer (ErrorCode, ErrorMessage). */
  express?: boolean
}

/** Pure: the view of one execution. */
export function executionView(facts: ExecutionFacts): ExecutionView {
  const { execution, mapRuns } = facts
  const report =
    facts.report && mapRuns && mapRuns.length > 0
      ? withMapRuns(facts.report, mapRuns)
      : facts.report
  const status = statusOf(report, execution)
  const waitTimedOut = facts.waitTimedOut === true
  const startedAt = report?.startedAt ?? parseTime(execution?.StartedTime)
  const stoppedAt = report?.stoppedAt ?? parseTime(execution?.StoppedTime)
  return {
    flowName: facts.flowName,
    executionName: facts.executionName,
    status,
    statusText: status === 'Unknown' ? (execution?.Status ?? status) : status,
    times: {
      ...(startedAt !== undefined ? { startedAt } : {}),
      ...(stoppedAt !== undefined && status !== 'Running' ? { stoppedAt } : {})
    },
    blame: blameOf({
      status,
      waitTimedOut,
      ...(report ? { report } : {}),
      ...(facts.express ? { express: expressEnd(execution) } : {})
    }),
    ...(execution?.Input !== undefined ? { input: execution.Input } : {}),
    ...(execution?.Output !== undefined ? { output: execution.Output } : {}),
    ...(report ? { report } : {}),
    ...(mapRuns && mapRuns.length > 0 ? { mapRuns } : {}),
    waitTimedOut,
    ...pick(facts, ['waitedMs', 'executionUrl', 'historyNote', 'problem', 'locations']),
    ...pick(facts, ['qualifier', 'routing']),
    ...(facts.express ? { express: true as const } : {})
  }
}

/** StartSyncExecution's error code and message, the only account of an express execution's end. */
function expressEnd(execution: Execution | undefined): ExpressEnd {
  return {
    ...(execution?.ErrorCode !== undefined ? { error: execution.ErrorCode } : {}),
    ...(execution?.ErrorMessage !== undefined ? { cause: execution.ErrorMessage } : {})
  }
}

function statusOf(
  report: ExecutionReport | undefined,
  execution: Execution | undefined
): ReportStatus {
  const fromReport = report?.status
  if (fromReport !== undefined && fromReport !== 'Unknown') return fromReport
  const status: string | undefined = execution?.Status
  // A status the service did not document (or a hostile endpoint made up) is Unknown here; the
  // status line still shows it, escaped.
  return EXECUTION_STATUSES.find((s) => s === status) ?? 'Unknown'
}

/** The fields of `from` that are set (a view never holds `undefined` values). */
function pick<T extends object, K extends keyof T>(
  from: T,
  keys: readonly K[]
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {}
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key]
  return out
}
