import * as core from '@actions/core'
import { formatDuration } from '../config/duration.js'
import type { FnfClient } from '../fnf/client.js'
import { FnfError } from '../fnf/errors.js'
import { errorMessage } from '../http/errors.js'
import type { Execution } from '../fnf/types.js'
import type { Config } from '../config/inputs.js'
import type { Tracked } from './tracked.js'
import { waitForExecution } from './wait.js'

/** StopExecution must finish inside the runner's 7.5 s between SIGINT and SIGTERM. */
const STOP_BUDGET_MS = 6000

/** What following one execution needs; shared by every execution of the step. */
export interface FollowContext {
  config: Config
  client: FnfClient
  deadline: number
  signal: AbortSignal
  /**
   * One execution: an instant first read and per-execution heartbeats. Several: straight to the
   * long poll, a step-wide progress line instead of heartbeats, and log lines that name each.
   */
  single: boolean
}

/** Status and heartbeat lines name the execution when the step follows several. */
function label(ctx: FollowContext, t: Tracked): string {
  return ctx.single ? '' : `[${t.name}] `
}

export async function startOne(ctx: FollowContext, t: Tracked): Promise<void> {
  const { flowName } = ctx.config
  const options = { deadline: ctx.deadline, signal: ctx.signal }
  try {
    t.execution = await ctx.client.startExecution(
      { flowName, executionName: t.name, input: t.input },
      options
    )
    core.info(`Started execution ${t.name} of flow ${flowName}.`)
  } catch (error) {
    if (!(error instanceof FnfError) || error.code !== 'ExecutionAlreadyExists') throw error
    if (!ctx.config.generatedName) {
      throw new Error(
        `An execution named "${t.name}" of flow ${flowName} already ended; execution names are ` +
          'unique within a flow. Use a new "execution-name", or leave it empty so each run gets its own.',
        { cause: error }
      )
    }
    // A retried step: the name is this run's own, so the ended execution is the one to report.
    core.info(`Execution ${t.name} was already started by this run; reading how it ended.`)
    t.execution = await ctx.client.describeExecution(
      { flowName, executionName: t.name, waitTimeSeconds: 0 },
      options
    )
  }
}

/** `wait: false`: one look at the status. */
export async function readOne(ctx: FollowContext, t: Tracked): Promise<void> {
  t.execution = await ctx.client.describeExecution(
    { flowName: ctx.config.flowName, executionName: t.name, waitTimeSeconds: 0 },
    { deadline: ctx.deadline, signal: ctx.signal }
  )
  core.info(`Execution ${t.name} is ${t.execution.Status} (wait: false).`)
}

/** Long-polls until it ends or the deadline passes; logs each status change. */
export async function waitOne(ctx: FollowContext, t: Tracked, startedAt: number): Promise<void> {
  const result = await waitForExecution(ctx.client, {
    flowName: ctx.config.flowName,
    executionName: t.name,
    deadline: ctx.deadline,
    signal: ctx.signal,
    firstRead: ctx.single,
    onStatus: (execution, previous) => {
      t.execution = execution
      core.info(
        label(ctx, t) +
          (previous
            ? `Status: ${previous} → ${execution.Status}.`
            : `Status: ${execution.Status}${execution.StartedTime ? ` (started ${execution.StartedTime})` : ''}.`)
      )
    },
    ...(ctx.single
      ? {
          onHeartbeat: (execution: Execution, waited: number) => {
            t.execution = execution
            core.info(`${label(ctx, t)}Still ${execution.Status} after ${formatDuration(waited)}.`)
          }
        }
      : {})
  })
  if (result.execution) t.execution = result.execution
  if (result.kind === 'timed-out') {
    t.waitTimedOut = true
    return
  }
  core.info(
    `Execution ${t.name} ended ${result.execution.Status}` +
      `${result.execution.StoppedTime ? ` at ${result.execution.StoppedTime}` : ''} ` +
      `(waited ${formatDuration(Date.now() - startedAt)}).`
  )
}

/**
 * Stops one execution within the cancel window. A failure to stop is logged and recorded, never
 * thrown: it must not hide why the step ends.
 */
export async function stopOne(
  client: FnfClient,
  config: Config,
  t: Tracked,
  reason: { error: string; cause: string }
): Promise<void> {
  const { flowName } = config
  try {
    t.execution = await client.stopExecution(
      { flowName, executionName: t.name, error: reason.error, cause: reason.cause.slice(0, 4096) },
      { deadline: Date.now() + STOP_BUDGET_MS }
    )
    core.info(`Stopped execution ${t.name} of flow ${flowName}.`)
  } catch (error) {
    if (error instanceof FnfError && error.code === 'ExecutionAlreadyCompleted') {
      core.info(`Execution ${t.name} had already ended; nothing to stop.`)
      return
    }
    t.stopFailed = true
    core.warning(`Could not stop execution ${t.name}: ${errorMessage(error)}`)
  }
}
