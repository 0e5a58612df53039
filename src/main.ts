import * as core from '@actions/core'
import * as log from './base/log.js'
import { hostedTimeoutWarning } from './config/hosted-limit.js'
import { parseConfig } from './config/inputs.js'
import { createDispatcher } from './http/dispatcher.js'
import { errorMessage } from './base/error-text.js'
import { publishReport } from './report/publish.js'
import { CANCEL_BUDGET_MS, Cancellation, CancelledError } from './step/cancellation.js'
import { connect, type MachineSeams } from './step/client-setup.js'
import { Deadline } from './step/deadline.js'
import { RateLimiter } from './fnf/rate-limiter.js'
import { followAll } from './step/follow-all.js'
import { MapRunCalls } from './step/map-run-calls.js'
import { readMapRuns } from './step/read-map-runs.js'
import { readHistories } from './step/read-histories.js'
import { errorFailure, failureMessage, withRootCause } from './step/verdict.js'
import { reportView } from './step/build-view.js'
import { locateFailures } from './step/locate-failures.js'
import { markMainStarted, saveDone } from './step/saved-state.js'
import { sendStops } from './step/stop-executions.js'
import { planStops } from './step/stop-policy.js'
import { stopFailed, type Tracked } from './step/execution-outcome.js'
import { writeOutputs } from './step/write-outputs.js'

type Env = Record<string, string | undefined>

export interface RunOptions {
  /**
   * What each stop may take (counted from the first cancel signal once there is one), and the PR
   * comment after a cancel (default CANCEL_BUDGET_MS, 6 s).
   */
  cancelBudgetMs?: number
  /** In-process tests only: the ECS metadata service's fake and the renewals' clock. */
  machine?: MachineSeams
}

/**
 * The main step: config → credentials → wait → (on cancel) outputs and the failure message → the
 * stops → histories → outputs → report → exit. The one place that fails the step.
 */
export async function run(env: Env = process.env, options: RunOptions = {}): Promise<void> {
  try {
    markMainStarted()
  } catch (error) {
    // Without saved state the post step could not tell itself from this one: do nothing at all.
    log.fail(`fnf-wait: ${errorMessage(error)}`)
    return
  }
  const cancellation = new Cancellation(process, (line) => log.info(line))
  const dispatcher = createDispatcher()
  const startedAt = Date.now()
  const budgetMs = options.cancelBudgetMs ?? CANCEL_BUDGET_MS
  let outcomes: readonly Tracked[] = []
  try {
    const config = parseConfig((name) => core.getInput(name), env)
    const hosted = hostedTimeoutWarning(config.timeoutMs, env)
    if (hosted) log.warning(hosted)
    const limiter = new RateLimiter()
    const client = connect(config, dispatcher, limiter, options.machine)
    const deadline = new Deadline(startedAt + config.timeoutMs)
    const mapRuns = new MapRunCalls(client, config.flowName, (line) => log.warning(line))
    const followed = await followAll({ config, client, cancellation, deadline, startedAt, mapRuns })
    const { end } = followed
    outcomes = followed.outcomes
    let failure: string | undefined
    if (end.why === 'cancelled') {
      // Outputs and the failure message go out before the stops, which may take the rest of the
      // runner's window.
      failure = new CancelledError(end.signal).message
      try {
        writeOutputs(config, outcomes, env)
      } catch (early) {
        // Writing the outputs must never cost the executions their stop.
        log.warning(`Could not write the outputs before stopping: ${errorMessage(early)}`)
      }
      log.fail(failure)
      // The stops may take the whole bucket: the reserve kept the rest of the account served
      // while the step waited, and the runner's window is short.
      limiter.spendReserve()
    }
    const plan = planStops(outcomes, end, config)
    outcomes = await sendStops(client, config, outcomes, plan, cancellation.remaining(budgetMs))
    if (end.why === 'fatal') {
      failure = errorFailure(config, end.error)
    } else if (end.why !== 'cancelled') {
      failure = failureMessage(config, outcomes)
      const read = await readHistories(
        config,
        client,
        outcomes,
        cancellation.signal,
        deadline,
        followed.readers
      )
      // The failed items of its distributed Maps, once the histories say which Maps ran.
      const drilled =
        read.error === undefined
          ? await readMapRuns({
              config,
              calls: mapRuns,
              client,
              outcomes: read.outcomes,
              signal: cancellation.signal,
              deadline,
              readers: followed.readers
            })
          : read
      outcomes = drilled.outcomes
      if (drilled.error !== undefined) failure = errorFailure(config, drilled.error)
    }

    // Outputs first, then the summary, annotations and PR comment, then the step's outcome.
    // After a cancel the outputs went out before the stops; set them again with how the stops
    // went (the runner keeps the last value of each), without repeating the warnings.
    writeOutputs(config, outcomes, env, { again: end.why === 'cancelled' })
    // Only what is shown needs the failed steps' lines (and the YAML parser loaded for them);
    // after a cancel, the runner's window is the PR comment's.
    const shows = config.annotations || config.summary || config.prComment !== 'never'
    const locations =
      shows && end.why !== 'cancelled' ? await locateFailures(config, outcomes, env) : undefined
    const view = reportView(config, outcomes, Date.now() - startedAt, followed.routing, locations)
    await publishReport(
      config,
      view,
      failure !== undefined,
      env,
      // A cancel, before or during the comment, leaves it what is left of the window.
      { window: cancellation.window(budgetMs) }
    )
    if (failure && end.why !== 'cancelled') log.fail(withRootCause(failure, view))
  } catch (error) {
    // A bad input lands here (nothing was sent, so there is nothing to report), or a failure to
    // write the outputs themselves.
    log.fail(`fnf-wait: ${errorMessage(error)}`)
  } finally {
    // A stop that did not go through is left for the post step to try again.
    if (!outcomes.some(stopFailed)) saveDone()
    cancellation.dispose()
    // The step has its outcome by now; closing the pool must not turn it into a crash.
    await dispatcher.close().catch(() => undefined)
  }
}
