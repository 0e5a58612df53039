/**
 * The start phase with several names: every start settles on its own. What started is saved for
 * the post step the moment it starts (a job killed mid-phase leaves nothing running unrecorded),
 * and a start that failed becomes that execution's own result instead of failing the step while
 * the others run on unobserved. On an express flow the start is the whole wait: each
 * StartSyncExecution answers when its execution ends, and is saved as one the post step leaves
 * (no API stops one).
 */
import * as log from '../base/log.js'
import { FnfError } from '../fnf/errors.js'
import { errorMessage } from '../base/error-text.js'
import type { Ended, Following, Lost, NotStarted, WaitTimedOut } from './execution-outcome.js'
import { FlowModes, mayBeModeRefusal } from './flow-mode.js'
import { startExpress, startParams } from './start-express.js'
import type { FollowContext } from './wait.js'

/** What one start gives: started (standard), or, for an express execution, how it ended. */
export type Started = Following | Ended | WaitTimedOut | Lost

export interface StartAllResult {
  /**
   * One per execution, in the order given: started, not-started with its error, or cut short;
   * an express one as it ended (or was let go).
   */
  readonly outcomes: ReadonlyArray<Started | NotStarted>
  /** Names whose start failed. */
  readonly failed: readonly string[]
}

/** Where the names go as the phase goes on (saved-state.ts, for the post step). */
export interface StartHooks {
  /** Every name, before any request is sent. */
  sending?: (names: readonly string[]) => void
  /**
   * The growing list of names the post step must leave: the service refused to start them, or
   * they ran as express executions (their one answer came, and no API stops one).
   */
  refused?: (names: readonly string[]) => void
}

/**
 * Starts every execution and calls `started` with the growing list of names started so far.
 * Throws when nothing can be followed: every start failed (the first error to come back).
 */
export async function startAll(
  ctx: FollowContext,
  pending: readonly Following[],
  started: (names: readonly string[]) => void,
  hooks: StartHooks = {},
  modes: FlowModes = new FlowModes(ctx.client, ctx.config, { signal: ctx.signal })
): Promise<StartAllResult> {
  const names: string[] = []
  const refused: string[] = []
  let first: { error: unknown } | undefined
  const leave = (name: string): void => {
    refused.push(name)
    hooks.refused?.([...refused])
  }
  hooks.sending?.(pending.map((t) => t.name))
  const settled = await Promise.all(
    pending.map((t) =>
      startOne(ctx, t, modes).then(
        (next): Started => {
          if (next.express) {
            leave(t.name)
            return next
          }
          names.push(next.name)
          started([...names])
          // After the save: a line that says the post step now knows this many.
          log.debug(`Saved ${names.length} started execution(s) for the post step.`)
          return next
        },
        (error: unknown): Started | NotStarted => {
          first ??= { error }
          // Cut short by a cancel, it may have started all the same: still one to stop.
          if (ctx.signal.aborted) return t
          if (isRefusal(error)) leave(t.name)
          return { state: 'not-started', name: t.name, input: t.input, error }
        }
      )
    )
  )
  if (first && names.length === 0) throw first.error
  const failed = settled.filter((t) => t.state === 'not-started')
  for (const t of failed) {
    log.warning(`Execution ${t.name} could not be started: ${errorMessage(t.error)}`)
  }
  return { outcomes: settled, failed: failed.map((t) => t.name) }
}

/**
 * Started (or this run's own, already started): waiting decides whether it has ended. On an
 * express flow, run to its end. StartExecution goes first, so a standard flow costs no extra
 * request; its refusal is what asks whether the flow is express (flow-mode.ts).
 */
export async function startOne(
  ctx: FollowContext,
  t: Following,
  modes: FlowModes = new FlowModes(ctx.client, ctx.config, { signal: ctx.signal })
): Promise<Started> {
  if (modes.known === 'Express') return startExpress(ctx, t)
  const { flowName, qualifier } = ctx.config
  const options = { deadline: ctx.deadline.at, signal: ctx.signal }
  try {
    const execution = await ctx.client.startExecution(startParams(ctx, t), options)
    log.info(
      `Started execution ${t.name} of flow ${flowName}${qualifier ? ` (${qualifier.kind} ${qualifier.text})` : ''}.`
    )
    return { ...t, execution }
  } catch (error) {
    if (!(error instanceof FnfError) || error.code !== 'ExecutionAlreadyExists') {
      return startRefused(ctx, t, modes, error)
    }
    if (!ctx.config.generatedName) {
      throw new Error(
        `An execution named "${t.name}" of flow ${flowName} already ended; execution names are ` +
          'unique within a flow. Use a new "execution-name", or leave it empty so each run gets its own.',
        { cause: error }
      )
    }
    // A retried step: the name is this run's own, so the ended execution is the one to report.
    log.info(`Execution ${t.name} was already started by this run; reading how it ended.`)
    const execution = await ctx.client.describeExecution(
      { flowName, executionName: t.name, waitTimeSeconds: 0 },
      options
    )
    return { ...t, execution }
  }
}

/**
 * StartExecution failed: on an express flow, run it with StartSyncExecution; where the mode cannot
 * be read, try that (a standard flow refuses it, starting nothing) and otherwise keep the first
 * refusal, which is the one that explains a standard flow's failure.
 */
async function startRefused(
  ctx: FollowContext,
  t: Following,
  modes: FlowModes,
  refusal: unknown
): Promise<Started> {
  if (ctx.signal.aborted) throw refusal
  const next = await modes.afterRefusal(refusal)
  if (next === 'standard') throw refusal
  if (next === 'express') return startExpress(ctx, t)
  try {
    const ended = await startExpress(ctx, t)
    modes.learnExpress()
    return ended
  } catch (error) {
    // A refusal of its own (an unknown qualifier, say) means the flow is express after all.
    if (!mayBeModeRefusal(error)) throw error
    log.info(
      `StartExecution of ${t.name} was refused, DescribeFlow could not say whether flow ` +
        `${ctx.config.flowName} is an Express flow, and StartSyncExecution was refused too ` +
        `(${errorMessage(error)}).`
    )
    throw refusal
  }
}

/**
 * The service answered no (a 4xx other than throttling): the execution was not started by this
 * request. A network error, a 5xx or a cut answer may have started it all the same.
 */
function isRefusal(error: unknown): boolean {
  // An ended execution of the same name comes back wrapped in the advice that names it.
  const e = error instanceof FnfError ? error : error instanceof Error ? error.cause : undefined
  return e instanceof FnfError && e.status >= 400 && e.status < 500 && !e.retryable
}
