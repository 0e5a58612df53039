import type { Execution, ExecutionStatus } from '../fnf/types.js'
import type { ExecutionReport } from '../history/index.js'

/**
 * One execution the step follows, as a value: what is known of it at one moment. Following it
 * makes new values (follow-one.ts); nothing changes one in place.
 */
export interface Tracked {
  readonly name: string
  /** Its input (used with `start`), a JSON object string. */
  readonly input: string
  /** DescribeExecution's (or Start/StopExecution's) latest answer. */
  readonly execution?: Execution
  /** Our own timeout ran out while it was still running. */
  readonly waitTimedOut: boolean
  /** No longer waited for because another execution failed first (`fail-fast`). */
  readonly abandoned: boolean
  /** What ended following it, when it was not its end (bad name, lost credentials, …). */
  readonly error?: unknown
  readonly report?: ExecutionReport
  /** A StopExecution we sent that did not go through (the post step tries again). */
  readonly stopFailed?: boolean
}

export function track(name: string, input: string): Tracked {
  return { name, input, waitTimedOut: false, abandoned: false }
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
export function bySeverity(tracked: readonly Tracked[]): Tracked[] {
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
  return t.error !== undefined || t.waitTimedOut || t.execution?.Status !== 'Succeeded'
}
