import * as core from '@actions/core'
import * as log from './base/log.js'
import { setTimeout as sleep } from 'node:timers/promises'
import { connect } from './step/client-setup.js'
import { createDispatcher } from './http/dispatcher.js'
import { FnfError } from './fnf/errors.js'
import { errorMessage } from './base/error-text.js'
import type { FnfClient } from './fnf/client.js'
import { isTerminal } from './fnf/types.js'
import { RateLimiter, SERVICE_BUCKETS } from './fnf/rate-limiter.js'
import { parseConfig } from './config/inputs.js'
import { Deadline } from './step/deadline.js'
import { leftovers, loadState, type Leftover } from './step/saved-state.js'

/**
 * The post step's own limit. StopExecution's bucket (10, then 2 a second) stops about 240 in it;
 * GitHub's server ends a cancelled job 5 minutes after the cancel, other post steps included.
 */
export const POST_BUDGET_MS = 120_000

/** Between two tries at one execution that is neither stopped nor known ended. */
const AGAIN_MS = 1000

/**
 * The post step: a second chance to stop the executions when the main step was killed (cancel
 * window missed, runner lost the process) before it could. It never fails the job.
 */
export async function runPost(
  env: Record<string, string | undefined> = process.env,
  options: { budgetMs?: number } = {}
): Promise<void> {
  const state = loadState()
  if (state.phase !== 'waiting') return
  const { flowName } = state
  const left = leftovers(state)
  if (left.length === 0) return
  if (!state.stopOnCancel) {
    log.info(
      `The main step did not finish; leaving ${left.map((l) => l.name).join(', ')} as they are (stop-on-cancel).`
    )
    return
  }
  const dispatcher = createDispatcher()
  try {
    // The whole bucket, as the main step's stops had; none of it taken for granted, since the
    // main step may have just spent it.
    const limiter = new RateLimiter(SERVICE_BUCKETS)
    limiter.startEmpty('StopExecution')
    const client = connect(
      parseConfig((name) => core.getInput(name), env),
      dispatcher,
      limiter
    )
    const deadline = Deadline.after(options.budgetMs ?? POST_BUDGET_MS).at
    log.info(
      `Post step: stopping what the main step may have left running (${left.length}), ` +
        'those known to have started first.'
    )
    // All at once, in that order: the rate limiter serves them first come, first served.
    await Promise.all(left.map((l) => stopUntilDone(client, flowName, l, deadline)))
  } catch (error) {
    log.warning(`Post step could not stop the executions: ${errorMessage(error)}`)
  } finally {
    // The step has its outcome by now; closing the pool must not turn it into a crash.
    await dispatcher.close().catch(() => undefined)
  }
}

/**
 * Tries until the execution is stopped or known ended, or the deadline passes: a stop refused as
 * a concurrent update, or one the transport gave up on, is read and tried again.
 */
async function stopUntilDone(
  client: FnfClient,
  flowName: string,
  leftover: Leftover,
  deadline: number
): Promise<void> {
  const { name: executionName } = leftover
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const execution = await client.describeExecution(
        { flowName, executionName, waitTimeSeconds: 0 },
        { deadline }
      )
      if (isTerminal(execution.Status)) {
        log.info(`Execution ${executionName} already ended ${execution.Status}; nothing to stop.`)
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
      log.info(`Stopped execution ${executionName} of flow ${flowName} (post step).`)
      return
    } catch (error) {
      last = error
      if (error instanceof FnfError && error.code === 'ExecutionAlreadyCompleted') return
      if (error instanceof FnfError && error.code === 'ExecutionNotExists' && !leftover.started) {
        log.info(`Execution ${executionName} never started (its start had no answer).`)
        return
      }
      if (!worthAnotherTry(error)) break
      await sleep(Math.min(AGAIN_MS, Math.max(0, deadline - Date.now())))
    }
  }
  log.warning(
    `Post step could not stop execution ${executionName}: ${errorMessage(last ?? 'no time left')}`
  )
}

/** A conflict (the execution was changing) or a failure the transport's retries did not outlast. */
function worthAnotherTry(error: unknown): boolean {
  return error instanceof FnfError && (error.code === 'ConcurrentUpdateError' || error.retryable)
}
