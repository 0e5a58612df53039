/**
 * Sends what the stop policy decided: every planned StopExecution at once, in a deliberate order
 * (stopOrder), each within the budget given; what stopped is saved for the post step, which stops
 * the rest. A log line for what the plan leaves running on purpose.
 */
import * as log from '../base/log.js'
import type { Config } from '../config/inputs.js'
import { compactDuration } from '../config/duration.js'
import type { FnfClient } from '../fnf/client.js'
import { DEADLINE_EXCEEDED, FnfError } from '../fnf/errors.js'
import { errorMessage } from '../base/error-text.js'
import { names } from './verdict.js'
import type { StopPlan, StopReason } from './stop-policy.js'
import { isStoppable, type Stoppable, type Tracked } from './execution-outcome.js'
import { saveStopped } from './saved-state.js'
import { seconds } from './deadline.js'

/** The outcomes given, each planned stop's execution with how its stop went. */
export async function sendStops(
  client: FnfClient,
  config: Config,
  outcomes: readonly Tracked[],
  plan: StopPlan,
  budgetMs: number,
  /** The growing list of names stopped or found ended, for the post step. */
  saved: (names: readonly string[]) => void = saveStopped
): Promise<Tracked[]> {
  if (plan.kept?.why === 'stop-on-cancel') {
    log.info(
      `Leaving ${plan.kept.names.join(', ') || 'the execution'} running ` +
        `(stop-on-cancel: ${config.stopOnCancel}` +
        `${config.stopOnCancel === 'auto' ? ', and this step did not start it' : ''}).`
    )
  } else if (plan.kept?.why === 'on-timeout') {
    log.warning(
      `Gave up waiting after ${compactDuration(config.timeoutMs)} (timeout input) on ` +
        `${names(plan.kept.names.map((name) => ({ name })))}; on-timeout is "continue", so the step passes.`
    )
  }
  const reasons = new Map(plan.stops.map((s) => [s.name, s.reason]))
  const planned = stopOrder(
    outcomes.filter((t): t is Stoppable => reasons.has(t.name) && isStoppable(t))
  )
  const done: string[] = []
  const late: string[] = []
  const results = new Map<string, Tracked>()
  // Sent in that order: the rate limiter serves its waiters first come, first served.
  await Promise.all(
    planned.map(async (t) => {
      const next = await stopOne(client, config, t, reasons.get(t.name)!, budgetMs, () =>
        late.push(t.name)
      )
      results.set(t.name, next)
      if (next.stop !== 'failed') {
        done.push(t.name)
        saved([...done])
      }
    })
  )
  if (late.length > 0) {
    // One line for all: with a large fan-out most of them miss the window for the same reason.
    log.warning(
      `${late.length} of ${planned.length} stops got no answer within the ${seconds(budgetMs)} left ` +
        'before the runner ends the step (StopExecution: 10 at once, then 2 a second, or a service ' +
        `that did not answer): the post step stops ${late.length === 1 ? 'it' : 'them'} ` +
        `(${names(planned.filter((t) => late.includes(t.name)))}).`
    )
  }
  return outcomes.map((t) => results.get(t.name) ?? t)
}

/**
 * The order stops are sent in, which decides which fit a cancel's window: executions seen
 * running first, in the order the step lists them (the order the user gave); those whose
 * StartExecution was never answered last, since they may not exist and a stop spent on one that
 * does not is a stop a running one did not get.
 */
export function stopOrder<T extends Stoppable>(stops: readonly T[]): T[] {
  return [...stops.filter((t) => t.execution), ...stops.filter((t) => !t.execution)]
}

/**
 * Stops one execution within `budgetMs` (what is left of the cancel window). A failure to stop is
 * logged and recorded, never thrown: it must not hide why the step ends.
 */
export async function stopOne<T extends Stoppable>(
  client: FnfClient,
  config: Config,
  t: T,
  reason: StopReason,
  budgetMs: number,
  /** Called instead of a warning when the window ran out before the stop was answered. */
  onLate?: () => void
): Promise<T> {
  const { flowName } = config
  // The deadline bounds retries; the signal cuts a request that hangs (the runner will not wait).
  const cut = AbortSignal.timeout(Math.max(1, budgetMs))
  try {
    const execution = await client.stopExecution(
      { flowName, executionName: t.name, error: reason.error, cause: reason.cause.slice(0, 4096) },
      { deadline: Date.now() + budgetMs, signal: cut }
    )
    log.info(`Stopped execution ${t.name} of flow ${flowName}.`)
    return { ...t, execution, stop: 'stopped' }
  } catch (error) {
    if (error instanceof FnfError && error.code === 'ExecutionAlreadyCompleted') {
      log.info(`Execution ${t.name} had already ended; nothing to stop.`)
      return t
    }
    if (
      config.start &&
      !t.execution &&
      error instanceof FnfError &&
      error.code === 'ExecutionNotExists'
    ) {
      log.info(
        `Execution ${t.name} never started (its StartExecution had no answer); nothing to stop.`
      )
      return t
    }
    const late = cut.aborted || (error instanceof FnfError && error.code === DEADLINE_EXCEEDED)
    if (late && onLate) {
      onLate()
      return { ...t, stop: 'failed' }
    }
    const why = cut.aborted
      ? `no answer within ${seconds(budgetMs)}, the time left before the runner ends the step`
      : errorMessage(error)
    log.warning(`Could not stop execution ${t.name}: ${why}.`)
    return { ...t, stop: 'failed' }
  }
}
