/**
 * Pure: which executions the step stops, and with what error and cause, given how waiting ended
 * and the inputs (`on-timeout`, `stop-on-cancel` as resolved with `start`). The one place that
 * decides a stop; stop-executions.ts sends them.
 */
import type { Config } from '../config/inputs.js'
import { compactDuration } from '../config/duration.js'
import { isTerminal } from '../fnf/types.js'
import type { WaitEnd } from './follow-all.js'
import { isStoppable, type Stoppable, type Tracked } from './execution-outcome.js'

/** The Error and Cause a StopExecution carries. */
export interface StopReason {
  readonly error: string
  readonly cause: string
}

export interface StopPlan {
  /** What to stop, in the order given, each with its reason. */
  readonly stops: ReadonlyArray<{ readonly name: string; readonly reason: StopReason }>
  /**
   * Left running on purpose, for the log: a cancel with stop-on-cancel off (or `auto` for an
   * execution this step did not start), or waits that timed out with on-timeout: continue.
   */
  readonly kept?: { readonly why: 'stop-on-cancel' | 'on-timeout'; readonly names: string[] }
}

/** `runUrl`, this workflow run's page, is named in every cause. */
export type StopInputs = Pick<Config, 'onTimeout' | 'stopsOnCancel' | 'timeoutMs' | 'runUrl'>

export function planStops(
  outcomes: readonly Tracked[],
  end: WaitEnd,
  inputs: StopInputs
): StopPlan {
  const link = inputs.runUrl ? `: ${inputs.runUrl}` : ''
  const plan = (which: readonly Tracked[], reason: StopReason): StopPlan['stops'] =>
    which.map((t) => ({ name: t.name, reason }))
  switch (end.why) {
    // An error every execution would meet alike: a stop would meet it too.
    case 'fatal':
      return { stops: [] }
    case 'cancelled': {
      const running = outcomes.filter(stillRunning)
      if (!inputs.stopsOnCancel) {
        return { stops: [], kept: { why: 'stop-on-cancel', names: running.map((t) => t.name) } }
      }
      return {
        stops: plan(running, {
          error: 'GitHubRunCancelled',
          cause: `The GitHub Actions run was cancelled${link}.`
        })
      }
    }
    default: {
      const abandoned =
        end.why === 'fail-fast' && inputs.stopsOnCancel
          ? plan(
              outcomes.filter((t) => t.state === 'abandoned'),
              {
                error: 'FnfWaitFailFast',
                cause: `Another execution waited on by the same GitHub Actions step failed (fail-fast)${link}.`
              }
            )
          : []
      const timedOut = outcomes.filter((t) => t.state === 'wait-timed-out')
      if (inputs.onTimeout === 'stop') {
        const after = compactDuration(inputs.timeoutMs)
        const stops = plan(timedOut, {
          error: 'FnfWaitTimeout',
          cause: `fnf-wait stopped the execution after waiting ${after} (on-timeout: stop)${link}.`
        })
        return { stops: [...abandoned, ...stops] }
      }
      return inputs.onTimeout === 'continue' && timedOut.length > 0
        ? { stops: abandoned, kept: { why: 'on-timeout', names: timedOut.map((t) => t.name) } }
        : { stops: abandoned }
    }
  }
}

/**
 * Not ended as far as the step knows. Never one whose start failed or that could not be found:
 * its name may be someone else's execution.
 */
function stillRunning(t: Tracked): t is Stoppable {
  return isStoppable(t) && !(t.execution && isTerminal(t.execution.Status))
}
