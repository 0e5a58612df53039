/**
 * What the step does to one execution: start it, read it, wait for it (stop-executions.ts stops
 * it). Each returns the execution's next value; none changes the one it was given.
 */
import * as core from '@actions/core'
import type { Config } from '../config/inputs.js'
import { compactDuration } from '../config/duration.js'
import type { FnfClient } from '../fnf/client.js'
import { FnfError } from '../fnf/errors.js'
import type { Execution } from '../fnf/types.js'
import type { Deadline } from './deadline.js'
import { seen as read, type Ended, type Following, type WaitTimedOut } from './tracked.js'
import { waitForExecution } from './wait.js'

/** What following one execution needs; shared by every execution of the step. */
export interface FollowContext {
  config: Config
  client: FnfClient
  /** The step's own, from the `timeout` input. */
  deadline: Deadline
  signal: AbortSignal
  /**
   * One execution: an instant first read and per-execution heartbeats. Several: straight to the
   * long poll, a step-wide progress line instead of heartbeats, and log lines that name each.
   */
  single: boolean
}

/** Status and heartbeat lines name the execution when the step follows several. */
function label(ctx: FollowContext, t: Following): string {
  return ctx.single ? '' : `[${t.name}] `
}

/** Started (or this run's own, already started): waiting decides whether it has ended. */
export async function startOne(ctx: FollowContext, t: Following): Promise<Following> {
  const { flowName } = ctx.config
  const options = { deadline: ctx.deadline.at, signal: ctx.signal }
  try {
    const execution = await ctx.client.startExecution(
      { flowName, executionName: t.name, input: t.input },
      options
    )
    core.info(`Started execution ${t.name} of flow ${flowName}.`)
    return { ...t, execution }
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
    const execution = await ctx.client.describeExecution(
      { flowName, executionName: t.name, waitTimeSeconds: 0 },
      options
    )
    return { ...t, execution }
  }
}

/** `wait: false`: one look at the status. */
export async function readOne(ctx: FollowContext, t: Following): Promise<Following | Ended> {
  const execution = await ctx.client.describeExecution(
    { flowName: ctx.config.flowName, executionName: t.name, waitTimeSeconds: 0 },
    { deadline: ctx.deadline.at, signal: ctx.signal }
  )
  core.info(`Execution ${t.name} is ${execution.Status} (wait: false).`)
  return read(t, execution)
}

/**
 * Long-polls until it ends or the deadline passes; logs each status change. `seen` hears every
 * answer, so the caller still knows the last status when the wait is cut short.
 */
export async function waitOne(
  ctx: FollowContext,
  t: Following,
  startedAt: number,
  seen: (execution: Execution) => void
): Promise<Ended | WaitTimedOut> {
  let last = t.execution
  const see = (execution: Execution): void => {
    last = execution
    seen(execution)
  }
  const result = await waitForExecution(ctx.client, {
    flowName: ctx.config.flowName,
    executionName: t.name,
    deadline: ctx.deadline,
    signal: ctx.signal,
    firstRead: ctx.single,
    onStatus: (execution, previous) => {
      see(execution)
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
            see(execution)
            core.info(`${label(ctx, t)}Still ${execution.Status} after ${compactDuration(waited)}.`)
          }
        }
      : {})
  })
  if (result.kind === 'timed-out') {
    const execution = result.execution ?? last
    return { ...t, state: 'wait-timed-out', ...(execution ? { execution } : {}) }
  }
  core.info(
    `Execution ${t.name} ended ${result.execution.Status}` +
      `${result.execution.StoppedTime ? ` at ${result.execution.StoppedTime}` : ''} ` +
      `(waited ${compactDuration(Date.now() - startedAt)}).`
  )
  return { ...t, state: 'ended', execution: result.execution }
}
