import * as core from '@actions/core'
import { parseConfig } from './config/inputs.js'
import { createDispatcher } from './http/dispatcher.js'
import { errorMessage } from './http/errors.js'
import { publishReport, workflowRunUrl } from './report/publish.js'
import { Cancellation } from './step/cancellation.js'
import { connect } from './step/connect.js'
import { followAll } from './step/follow-all.js'
import { readHistories } from './step/histories.js'
import { errorFailure, failureMessage, withRootCause } from './step/outcome.js'
import { reportView } from './step/report-view.js'
import { markMainStarted, saveDone } from './step/state.js'
import type { Tracked } from './step/tracked.js'
import { writeOutputs } from './step/write-outputs.js'

type Env = Record<string, string | undefined>

/**
 * The main step: config → credentials → follow → histories → outputs → report → exit. The one
 * place that fails the step.
 */
export async function run(env: Env = process.env): Promise<void> {
  markMainStarted()
  const cancellation = new Cancellation(process, (line) => core.info(line))
  const dispatcher = createDispatcher()
  const startedAt = Date.now()
  let outcomes: readonly Tracked[] = []
  try {
    const config = parseConfig((name) => core.getInput(name), env)
    const client = connect(config, dispatcher)
    const runUrl = workflowRunUrl(env)
    const followed = await followAll({ config, client, cancellation, startedAt, runUrl })
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
    writeOutputs(config, outcomes, env)
    const view = reportView(config, outcomes, Date.now() - startedAt)
    await publishReport(config, view, failure !== undefined, env)
    if (failure) core.setFailed(withRootCause(failure, outcomes))
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
