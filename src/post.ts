import * as core from '@actions/core'
import { connect } from './step/client-setup.js'
import { createDispatcher } from './http/dispatcher.js'
import { FnfError } from './fnf/errors.js'
import { errorMessage } from './base/error-text.js'
import type { FnfClient } from './fnf/client.js'
import { isTerminal } from './fnf/types.js'
import { parseConfig } from './config/inputs.js'
import { Deadline } from './step/deadline.js'
import { loadState } from './step/saved-state.js'

/** The post step's own budget: it runs after the job, possibly a cancelled one. */
const POST_BUDGET_MS = 30_000

/**
 * The post step: a second chance to stop the executions when the main step was killed (cancel
 * window missed, runner lost the process) before it could. It never fails the job.
 */
export async function runPost(
  env: Record<string, string | undefined> = process.env
): Promise<void> {
  const state = loadState()
  if (state.phase !== 'waiting') return
  const { flowName, executionNames } = state
  if (!state.stopOnCancel) {
    core.info(
      `The main step did not finish; leaving ${executionNames.join(', ')} as they are (stop-on-cancel).`
    )
    return
  }
  const dispatcher = createDispatcher()
  try {
    const client = connect(
      parseConfig((name) => core.getInput(name), env),
      dispatcher
    )
    const deadline = Deadline.after(POST_BUDGET_MS).at
    await Promise.all(executionNames.map((name) => stopIfRunning(client, flowName, name, deadline)))
  } catch (error) {
    core.warning(`Post step could not stop the executions: ${errorMessage(error)}`)
  } finally {
    // The step has its outcome by now; closing the pool must not turn it into a crash.
    await dispatcher.close().catch(() => undefined)
  }
}

async function stopIfRunning(
  client: FnfClient,
  flowName: string,
  executionName: string,
  deadline: number
): Promise<void> {
  try {
    const execution = await client.describeExecution(
      { flowName, executionName, waitTimeSeconds: 0 },
      { deadline }
    )
    if (isTerminal(execution.Status)) {
      core.info(`Execution ${executionName} already ended ${execution.Status}; nothing to stop.`)
      return
    }
    await client.stopExecution(
      {
        flowName,
        executionName,
        error: 'GitHubRunCancelled',
        cause:
          'The main step of the GitHub Actions job ended before the execution did (job cancelled).'
      },
      { deadline }
    )
    core.info(`Stopped execution ${executionName} of flow ${flowName} (post step).`)
  } catch (error) {
    if (error instanceof FnfError && error.code === 'ExecutionAlreadyCompleted') return
    core.warning(`Post step could not stop execution ${executionName}: ${errorMessage(error)}`)
  }
}
