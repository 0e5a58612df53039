/**
 * Sends what the stop policy decided: every planned StopExecution at once, each within the budget
 * given, and a log line for what the plan leaves running on purpose.
 */
import * as core from '@actions/core'
import type { Config } from '../config/inputs.js'
import { compactDuration } from '../config/duration.js'
import type { FnfClient } from '../fnf/client.js'
import { stopOne } from './follow-one.js'
import { names } from './outcome.js'
import type { StopPlan } from './stop-policy.js'
import { isStoppable, type Tracked } from './tracked.js'

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
