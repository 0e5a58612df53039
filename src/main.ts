import * as core from '@actions/core'
import { parseConfig } from './config/inputs.js'
import { createDispatcher } from './http/dispatcher.js'
import { errorMessage } from './http/errors.js'
import { safeForSink } from './http/wire-text.js'
import { publishReport, workflowRunUrl } from './report/publish.js'
import { CANCEL_BUDGET_MS, Cancellation, CancelledError } from './step/cancellation.js'
import { connect } from './step/connect.js'
import { followAll } from './step/follow-all.js'
import { readHistories } from './step/histories.js'
import { errorFailure, failureMessage, withRootCause } from './step/outcome.js'
import { reportView } from './step/report-view.js'
import { markMainStarted, saveDone } from './step/state.js'
import type { Tracked } from './step/tracked.js'
import { writeOutputs } from './step/write-outputs.js'

type Env = Record<string, string | undefined>

export interface RunOptions {
  /** After the first cancel signal, what stops and the PR comment may take (default 6 s). */
  cancelBudgetMs?: number
}

/**
 * The main step: config → credentials → follow → histories → outputs → report → exit. The one
 * place that fails the step.
 */
export async function run(env: Env = process.env, options: RunOptions = {}): Promise<void> {
  try {
    markMainStarted()
  } catch (error) {
    // Without saved state the post step could not tell itself from this one: do nothing at all.
    core.setFailed(`fnf-wait: ${errorMessage(error)}`)
    return
  }
  const cancellation = new Cancellation(process, (line) => core.info(line))
  const dispatcher = createDispatcher()
  const startedAt = Date.now()
  let outcomes: readonly Tracked[] = []
  try {
    const config = parseConfig((name) => core.getInput(name), env)
    const client = connect(config, dispatcher)
    const runUrl = workflowRunUrl(env)
    const cancelBudgetMs = options.cancelBudgetMs ?? CANCEL_BUDGET_MS
    // Cancelled: outputs and the failure message go out before the stops, which may hang.
    let written = false
    const onCancel = (latest: readonly Tracked[]): void => {
      written = true
      writeOutputs(config, latest, env)
      core.setFailed(errorFailure(config, new CancelledError(cancellation.reason ?? 'SIGINT')))
    }
    const followed = await followAll({
      config,
      client,
      cancellation,
      startedAt,
      runUrl,
      onCancel,
      cancelBudgetMs
    })
    outcomes = followed.outcomes
    let failure: string | undefined
    if (followed.error === undefined) {
      failure = failureMessage(config, outcomes)
      const read = await readHistories(
        config,
        client,
        outcomes,
        cancellation.signal,
        startedAt,
        followed.readers
      )
      outcomes = read.outcomes
      if (read.error !== undefined) failure = errorFailure(config, read.error)
    } else {
      failure = errorFailure(config, followed.error)
    }

    // Outputs first, then the summary, annotations and PR comment, then the step's outcome.
    // After a cancel the outputs went out before the stops; set them again with how the stops
    // went (the runner keeps the last value of each), without repeating the warnings.
    writeOutputs(config, outcomes, env, { again: written })
    const view = reportView(config, outcomes, Date.now() - startedAt)
    await publishReport(
      config,
      view,
      failure !== undefined,
      env,
      cancellation.reason ? { budgetMs: cancellation.remaining(cancelBudgetMs) } : {}
    )
    if (failure && !written) core.setFailed(safeForSink(withRootCause(failure, view)))
  } catch (error) {
    // A bad input lands here (nothing was sent, so there is nothing to report), or a failure to
    // write the outputs themselves.
    core.setFailed(`fnf-wait: ${errorMessage(error)}`)
  } finally {
    // A stop that did not go through is left for the post step to try again.
    if (!outcomes.some((t) => t.stopFailed)) saveDone()
    cancellation.dispose()
    // The step has its outcome by now; closing the pool must not turn it into a crash.
    await dispatcher.close().catch(() => undefined)
  }
}
