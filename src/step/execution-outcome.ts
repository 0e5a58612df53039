import type { Execution, ExecutionStatus } from '../fnf/types.js'
import { isTerminal } from '../fnf/types.js'
import type { ExecutionReport, MapRunDrill } from '../history/index.js'

/**
 * One execution the step follows, as a value: what is known of it at one moment. Following it
 * makes new values (wait.ts, start-all.ts, follow-all.ts); nothing changes one in place. Its `state` says
 * how following it went, and each state carries only what it can have.
 */
export type Tracked = Following | Ended | WaitTimedOut | Abandoned | NotStarted | Lost

/** What every execution has from the inputs: its name and its input (used with `start`). */
interface Named {
  readonly name: string
  /** A JSON object string. */
  readonly input: string
}

/** What was read of it: DescribeExecution's (or Start/StopExecution's) latest answer, its report. */
interface Seen extends Named {
  readonly execution?: Execution
  readonly report?: ExecutionReport
  /** What was read of its distributed Maps' MapRuns after the wait (step/read-map-runs.ts). */
  readonly mapRuns?: readonly MapRunDrill[]
  /**
   * Started with StartSyncExecution on an express flow: `execution` is its one answer, and no API
   * reads, lists or stops it (express executions keep no history).
   */
  readonly express?: true
}

/** A StopExecution this step sent: it went through, or it did not (the post step tries again). */
export type StopResult = 'stopped' | 'failed'

/**
 * Not ended when following it stopped: still to be waited for, looked at once (`wait: false`), or
 * cut short by a cancel or an error that stopped every wait.
 */
export interface Following extends Seen {
  readonly state: 'following'
  readonly stop?: StopResult
}

/** Seen in a terminal status. */
export interface Ended extends Seen {
  readonly state: 'ended'
  readonly execution: Execution
}

/** Our own timeout ran out while it was still running. */
export interface WaitTimedOut extends Seen {
  readonly state: 'wait-timed-out'
  readonly stop?: StopResult
}

/** No longer waited for because another execution failed first (`fail-fast`). */
export interface Abandoned extends Seen {
  readonly state: 'abandoned'
  readonly stop?: StopResult
}

/** Its StartExecution failed while others started: the error is its result. */
export interface NotStarted extends Named {
  readonly state: 'not-started'
  readonly error: unknown
  /** Never read: nothing to show (declared so readers can ask any execution). */
  readonly execution?: undefined
  readonly report?: undefined
  readonly mapRuns?: undefined
  readonly express?: undefined
}

/** Following it ended in an error of its own (among several, one that does not exist). */
export interface Lost extends Seen {
  readonly state: 'lost'
  readonly error: unknown
}

/** The states a StopExecution can be sent for: not ended as far as the step knows. */
export type Stoppable = Following | WaitTimedOut | Abandoned

export function track(name: string, input: string): Following {
  return { state: 'following', name, input }
}

/** The next value after reading `execution`: ended when its status is terminal. */
export function seen(t: Following, execution: Execution): Following | Ended {
  return isTerminal(execution.Status)
    ? { state: 'ended', name: t.name, input: t.input, execution, ...reportOf(t) }
    : { ...t, execution }
}

function reportOf(t: Tracked): { report?: ExecutionReport } {
  return t.report ? { report: t.report } : {}
}

/** What ended following it, when it was not its end (a failed start, a missing execution). */
export function followError(t: Tracked): unknown {
  return t.state === 'not-started' || t.state === 'lost' ? t.error : undefined
}

/** Not ended as far as the step knows, and one StopExecution can find (never an express one). */
export function isStoppable(t: Tracked): t is Stoppable {
  if (t.express) return false
  return t.state === 'following' || t.state === 'wait-timed-out' || t.state === 'abandoned'
}

/** A StopExecution we sent did not go through: the post step is to try again. */
export function stopFailed(t: Tracked): boolean {
  return isStoppable(t) && t.stop === 'failed'
}

// Worst first: the order `status` reports and the summary and annotations follow. An execution
// that could not be read at all ('') counts between a stop and a wait that timed out.
const SEVERITY: readonly string[] = [
  'Failed',
  'TimedOut',
  'Stopped',
  '',
  'Running',
  'Starting',
  'Succeeded'
]

/** Lower is worse. */
function severity(t: Tracked): number {
  const at = SEVERITY.indexOf(t.execution?.Status ?? '')
  return at < 0 ? SEVERITY.length : at
}

/** Most severe first; ties keep the order the names were given in. */
export function bySeverity<T extends Tracked>(tracked: readonly T[]): T[] {
  return tracked
    .map((t, i) => ({ t, i }))
    .sort((a, b) => severity(a.t) - severity(b.t) || a.i - b.i)
    .map(({ t }) => t)
}

/**
 * The step's `status`: the worst outcome among the executions (Running when our wait ended
 * first, or for one never read while others were), or '' when none could be read.
 */
export function worstStatus(tracked: readonly Tracked[]): ExecutionStatus | '' {
  if (!tracked.some((t) => t.execution !== undefined)) return ''
  return bySeverity(tracked)[0]?.execution?.Status ?? 'Running'
}

export function isUnsuccessful(t: Tracked): boolean {
  return (
    t.state === 'not-started' ||
    t.state === 'lost' ||
    t.state === 'wait-timed-out' ||
    t.execution?.Status !== 'Succeeded'
  )
}
