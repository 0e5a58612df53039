/**
 * Sends what the stop policy decided: every planned StopExecution at once, each within the budget
 * given, and a log line for what the plan leaves running on purpose.
 */
import * as core from '@actions/core'
import type { Config } from '../config/inputs.js'
import { compactDuration } from '../config/duration.js'
import type { FnfClient } from '../fnf/client.js'
import { FnfError } from '../fnf/errors.js'
import { errorMessage } from '../base/error-text.js'
import { Deadline } from './deadline.js'
import { names } from './verdict.js'
import type { StopPlan, StopReason } from './stop-policy.js'
import { isStoppable, type Stoppable, type Tracked } from './execution-outcome.js'

/** The outcomes given, each planned stop's execution with how its stop went. */
export async function sendStops(
  client: FnfClient,
  config: Config,
  outcomes: readonly Tracked[],
  plan: StopPlan,
  budgetMs: number
): Promise<Tracked[]> {
  if (plan.kept?.why === 'stop-on-cancel') {
    core.info(
      `Leaving ${plan.kept.names.join(', ') || 'the execution'} running ` +
        `(stop-on-cancel: ${config.stopOnCancel}` +
        `${config.stopOnCancel === 'auto' ? ', and this step did not start it' : ''}).`
    )
  } else if (plan.kept?.why === 'on-timeout') {
    core.warning(
      `Gave up waiting after ${compactDuration(config.timeoutMs)} (timeout input) on ` +
        `${names(plan.kept.names.map((name) => ({ name })))}; on-timeout is "continue", so the step passes.`
    )
  }
  const reasons = new Map(plan.stops.map((s) => [s.name, s.reason]))
  return Promise.all(
    outcomes.map((t) => {
      const reason = reasons.get(t.name)
      return reason && isStoppable(t) ? stopOne(client, config, t, reason, budgetMs) : t
    })
  )
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
  budgetMs: number
): Promise<T> {
  const { flowName } = config
  // The deadline bounds retries; the signal cuts a request that hangs (the runner will not wait).
  const cut = AbortSignal.timeout(Math.max(1, budgetMs))
  try {
    const execution = await client.stopExecution(
      { flowName, executionName: t.name, error: reason.error, cause: reason.cause.slice(0, 4096) },
      { deadline: Deadline.after(budgetMs).at, signal: cut }
    )
    core.info(`Stopped execution ${t.name} of flow ${flowName}.`)
    return { ...t, execution, stop: 'stopped' }
  } catch (error) {
    if (error instanceof FnfError && error.code === 'ExecutionAlreadyCompleted') {
      core.info(`Execution ${t.name} had already ended; nothing to stop.`)
      return t
    }
    const why = cut.aborted
      ? `no answer within ${Math.round(budgetMs / 100) / 10}s, the time left before the runner ends the step`
      : errorMessage(error)
    core.warning(`Could not stop execution ${t.name}: ${why}.`)
    return { ...t, stop: 'failed' }
  }
}
