/**
 * An express flow's execution: StartSyncExecution, one request the service holds until the
 * execution ends (at most 5 minutes; the request is cut at the step's deadline), whose answer is
 * the outcome. No API reads, lists or stops an express execution afterwards, so whatever cuts the
 * request short says what that means for the execution.
 */
import * as log from '../base/log.js'
import { errorMessage } from '../base/error-text.js'
import type { StartExecutionParams } from '../fnf/client.js'
import { DEADLINE_EXCEEDED, FnfError } from '../fnf/errors.js'
import { isTerminal } from '../fnf/types.js'
import { REQUEST_TIMEOUT } from '../http/errors.js'
import type { Ended, Following, Lost, WaitTimedOut } from './execution-outcome.js'
import type { FollowContext } from './wait.js'

/**
 * A held request cut within this of the step's deadline was cut by it: our own timeout. (The cut
 * is the deadline's own timer; the clocks may differ by a tick.)
 */
const DEADLINE_SLACK_MS = 1000

/** What no API can do for an express execution, said wherever the step lets one go. */
export const EXPRESS_RUNS_ON =
  'the express execution, if it started, runs on until it ends, at most 5 minutes after it ' +
  'started (no API stops or reads an express execution)'

/**
 * Runs `t` as an express execution. Ended with StartSyncExecution's answer; wait-timed-out when
 * the step's deadline cut the request; as it was (following) when the job was cancelled. Throws
 * when nothing started, or when it may have started but the request failed (never sent again:
 * each StartSyncExecution starts an execution).
 */
export async function startExpress(
  ctx: FollowContext,
  t: Following
): Promise<Ended | WaitTimedOut | Following | Lost> {
  const { flowName } = ctx.config
  const express = { ...t, express: true as const }
  try {
    const execution = await ctx.client.startSyncExecution(startParams(ctx, t), {
      deadline: ctx.deadline.at,
      signal: ctx.signal
    })
    if (!isTerminal(execution.Status)) {
      const error = new Error(
        `StartSyncExecution answered before express execution ${t.name} ended ` +
          `(status ${execution.Status}); ${EXPRESS_RUNS_ON}.`
      )
      log.warning(error.message)
      return { ...express, state: 'lost', execution, error }
    }
    log.info(
      `Express execution ${execution.Name} of flow ${flowName} ended ${execution.Status}` +
        `${execution.StoppedTime ? ` at ${execution.StoppedTime}` : ''}.`
    )
    return { ...express, state: 'ended', execution }
  } catch (error) {
    if (ctx.signal.aborted) {
      log.info(`The StartSyncExecution request of ${t.name} was aborted: ${EXPRESS_RUNS_ON}.`)
      return express
    }
    if (cutByDeadline(ctx, error)) {
      log.info(`Stopped waiting for express execution ${t.name}: ${EXPRESS_RUNS_ON}.`)
      return { ...express, state: 'wait-timed-out' }
    }
    if (error instanceof FnfError && mayHaveStarted(error)) {
      throw new Error(
        `${errorMessage(error).replace(/\.?$/, '.')} The request was not sent again, since ` +
          `each StartSyncExecution starts an execution: ${EXPRESS_RUNS_ON}.`,
        { cause: error }
      )
    }
    throw error
  }
}

/** What a start of `t` sends, StartExecution or StartSyncExecution alike. */
export function startParams(ctx: FollowContext, t: Following): StartExecutionParams {
  const { flowName, qualifier } = ctx.config
  return {
    flowName,
    executionName: t.name,
    input: t.input,
    ...(qualifier ? { qualifier: qualifier.text } : {})
  }
}

function cutByDeadline(ctx: FollowContext, error: unknown): boolean {
  return (
    error instanceof FnfError &&
    error.code === REQUEST_TIMEOUT &&
    ctx.deadline.remaining() <= DEADLINE_SLACK_MS
  )
}

/** The service may have acted on it: sent, and no HTTP answer at all or a 5xx. */
function mayHaveStarted(error: FnfError): boolean {
  if (error.code === DEADLINE_EXCEEDED) return false
  return !error.retryable && (error.status === 0 || error.status >= 500)
}
