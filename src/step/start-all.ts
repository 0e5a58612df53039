/**
 * The start phase with several names: every StartExecution settles on its own. What started is
 * saved for the post step the moment it starts (a job killed mid-phase leaves nothing running
 * unrecorded), and a start that failed becomes that execution's own result instead of failing
 * the step while the others run on unobserved.
 */
import * as log from '../base/log.js'
import { FnfError } from '../fnf/errors.js'
import { errorMessage } from '../base/error-text.js'
import type { Following, NotStarted } from './execution-outcome.js'
import type { FollowContext } from './wait.js'

export interface StartAllResult {
  /** One per execution, in the order given: started, not-started with its error, or cut short. */
  readonly outcomes: ReadonlyArray<Following | NotStarted>
  /** Names whose start failed. */
  readonly failed: readonly string[]
}

/** Where the names go as the phase goes on (saved-state.ts, for the post step). */
export interface StartHooks {
  /** Every name, before any request is sent. */
  sending?: (names: readonly string[]) => void
  /** The growing list of names whose start the service refused. */
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
  hooks: StartHooks = {}
): Promise<StartAllResult> {
  const names: string[] = []
  const refused: string[] = []
  let first: { error: unknown } | undefined
  hooks.sending?.(pending.map((t) => t.name))
  const settled = await Promise.all(
    pending.map((t) =>
      startOne(ctx, t).then(
        (next): Following => {
          names.push(next.name)
          started([...names])
          // After the save: a line that says the post step now knows this many.
          log.debug(`Saved ${names.length} started execution(s) for the post step.`)
          return next
        },
        (error: unknown): Following | NotStarted => {
          first ??= { error }
          // Cut short by a cancel, it may have started all the same: still one to stop.
          if (ctx.signal.aborted) return t
          if (isRefusal(error)) {
            refused.push(t.name)
            hooks.refused?.([...refused])
          }
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

/** Started (or this run's own, already started): waiting decides whether it has ended. */
export async function startOne(ctx: FollowContext, t: Following): Promise<Following> {
  const { flowName } = ctx.config
  const options = { deadline: ctx.deadline.at, signal: ctx.signal }
  try {
    const execution = await ctx.client.startExecution(
      { flowName, executionName: t.name, input: t.input },
      options
    )
    log.info(`Started execution ${t.name} of flow ${flowName}.`)
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
    log.info(`Execution ${t.name} was already started by this run; reading how it ended.`)
    const execution = await ctx.client.describeExecution(
      { flowName, executionName: t.name, waitTimeSeconds: 0 },
      options
    )
    return { ...t, execution }
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
