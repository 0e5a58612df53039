/**
 * The start phase with several names: every StartExecution settles on its own. What started is
 * saved for the post step the moment it starts (a job killed mid-phase leaves nothing running
 * unrecorded), and a start that failed becomes that execution's own result instead of failing
 * the step while the others run on unobserved.
 */
import * as core from '@actions/core'
import { errorMessage } from '../http/errors.js'
import { CancelledError } from './cancellation.js'
import { startOne, type FollowContext } from './follow-one.js'
import type { Tracked } from './tracked.js'

export interface StartAllResult {
  /** Names whose start failed (their slots now carry the error). */
  readonly failed: readonly string[]
}

/**
 * Starts every execution in `latest` (replacing each slot as it settles) and calls `started`
 * with the growing list of names started so far. Throws when nothing can be followed: the one
 * execution's start failed, every start failed (the first error), or the job was cancelled.
 */
export async function startAll(
  ctx: FollowContext,
  latest: Tracked[],
  cancelled: () => NodeJS.Signals | undefined,
  started: (names: readonly string[]) => void
): Promise<StartAllResult> {
  const names: string[] = []
  const errors = new Map<number, unknown>()
  await Promise.all(
    latest.map((t, i) =>
      startOne(ctx, t).then(
        (next) => {
          latest[i] = next
          names.push(next.name)
          started([...names])
          // After the save: a line that says the post step now knows this many.
          core.debug(`Saved ${names.length} started execution(s) for the post step.`)
        },
        (error: unknown) => {
          errors.set(i, error)
        }
      )
    )
  )
  const signal = cancelled()
  if (signal) throw new CancelledError(signal)
  if (errors.size === 0) return { failed: [] }
  if (errors.size === latest.length) throw errors.values().next().value
  const failed: string[] = []
  for (const [i, error] of errors) {
    const t = latest[i]!
    latest[i] = { ...t, error }
    failed.push(t.name)
    core.warning(`Execution ${t.name} could not be started: ${errorMessage(error)}`)
  }
  return { failed }
}
