/**
 * One GitHub step following N executions: start them (if asked), wait for all at once, and apply
 * fail-fast, on-timeout and stop-on-cancel. Returns one outcome per execution, in the order given.
 */
import * as core from '@actions/core'
import { compactDuration } from '../config/duration.js'
import type { Config } from '../config/inputs.js'
import type { FnfClient } from '../fnf/client.js'
import { FnfError } from '../fnf/errors.js'
import { isTerminal } from '../fnf/types.js'
import type { HistoryReader } from '../history/index.js'
import { errorMessage } from '../http/errors.js'
import { waitForGroup } from './batch-status.js'
import { CANCEL_BUDGET_MS, CancelledError, type Cancellation } from './cancellation.js'
import { readOne, stopOne, type FollowContext } from './follow-one.js'
import { failsStep, names } from './outcome.js'
import { startWaitProgress, type Progress } from './progress.js'
import { startAll } from './start-all.js'
import { saveStarted, saveWaiting } from './state.js'
import { track, type Tracked } from './tracked.js'

/** With several executions, one progress line at most this often replaces per-execution heartbeats. */
const PROGRESS_EVERY_MS = 60_000

export interface FollowAllParams {
  config: Config
  client: FnfClient
  cancellation: Cancellation
  startedAt: number
  /** This workflow run's page, named in the cause of the stops we send. */
  runUrl: string | undefined
  /**
   * On cancellation, before any stop is sent: the caller writes the outputs and the failure
   * message first, since a stop may take the rest of the runner's window.
   */
  onCancel?: (outcomes: readonly Tracked[]) => void
  /** The time after the first cancel signal that the stops may take (default CANCEL_BUDGET_MS). */
  cancelBudgetMs?: number
}

export interface FollowAllResult {
  /** One per execution, as far as following got. */
  readonly outcomes: readonly Tracked[]
  /**
   * What ended following early: a bad start, a lost single execution, an error every execution
   * would meet alike, or cancellation (after stopping what it should).
   */
  readonly error?: unknown
  /** What live progress read of each history, for the failure report to go on from. */
  readonly readers?: ReadonlyMap<string, HistoryReader>
}

export async function followAll(params: FollowAllParams): Promise<FollowAllResult> {
  const { config } = params
  // The latest value of each execution; every step of following replaces its slot with a new one.
  const latest = config.executions.map((e) => track(e.name, e.input))
  core.info(`Credentials from ${config.credentialSource}.`)
  const readers = new Map<string, HistoryReader>()
  try {
    await follow(params, latest, readers)
    return { outcomes: [...latest], readers }
  } catch (error) {
    return { outcomes: [...latest], error, readers }
  }
}

async function follow(
  params: FollowAllParams,
  latest: Tracked[],
  readers: Map<string, HistoryReader>
): Promise<void> {
  const { config, client, cancellation, startedAt } = params
  const multi = latest.length > 1
  const link = params.runUrl ? `: ${params.runUrl}` : ''
  // Ends every wait early: fail-fast, or an error that no execution can get past.
  const stopWaiting = new AbortController()
  let fatal: unknown
  const ctx: FollowContext = {
    config,
    client,
    deadline: startedAt + config.timeoutMs,
    signal: AbortSignal.any([cancellation.signal, stopWaiting.signal]),
    single: !multi
  }
  const stopAll = (
    which: (t: Tracked) => boolean,
    reason: { error: string; cause: string },
    budgetMs?: number
  ) =>
    Promise.all(
      latest.map(async (t, i) => {
        if (which(t)) latest[i] = await stopOne(client, config, t, reason, budgetMs)
      })
    )

  try {
    // With `start`, the post step learns each execution as it starts, so a kill mid-phase
    // leaves none running unrecorded.
    saveWaiting(
      config.flowName,
      config.start ? [] : latest.map((t) => t.name),
      config.stopsOnCancel
    )
    if (config.start) {
      const { failed } = await startAll(ctx, latest, () => cancellation.reason, saveStarted)
      if (failed.length > 0 && config.failFast) {
        core.info(`Could not start ${failed.join(', ')}: not waiting for the others (fail-fast).`)
        stopWaiting.abort()
      }
    }
    // A failed start is that execution's result: nothing to read or wait for.
    const followed = (t: Tracked): boolean => t.error === undefined
    if (!config.wait) {
      await settleAll(latest, (t) => (followed(t) ? readOne(ctx, t) : Promise.resolve(t)))
      return
    }

    const what = multi ? `${latest.length} executions` : `execution ${latest[0]!.name}`
    core.info(
      `Waiting for ${what} of flow ${config.flowName} until ` +
        `${new Date(ctx.deadline).toISOString()} (timeout ${compactDuration(config.timeoutMs)}).`
    )
    const progress = multi
      ? setInterval(() => logProgress(latest, startedAt), PROGRESS_EVERY_MS)
      : undefined
    const waitFor = waitForGroup(ctx, latest.filter(followed).length, startedAt)
    const steps: Progress | undefined = config.progress
      ? startWaitProgress(
          client,
          config.flowName,
          latest.filter(followed),
          readers,
          config.progressIntervalMs
        )
      : undefined
    try {
      await Promise.all(
        latest.map(async (t, i) => {
          if (!followed(t)) return
          return waitFor(t, (execution) => {
            latest[i] = { ...latest[i]!, execution }
          }).then(
            (next) => {
              steps?.stop(t.name)
              latest[i] = next
              if (config.failFast && failsStep(config, next) && !stopWaiting.signal.aborted) {
                core.info(
                  `Execution ${next.name} ended ${next.execution?.Status}: not waiting for the others (fail-fast).`
                )
                stopWaiting.abort()
              }
            },
            (error: unknown) => {
              if (cancellation.reason) return
              // Stopped on purpose (fail-fast, or another execution's fatal error).
              if (stopWaiting.signal.aborted) {
                latest[i] = { ...latest[i]!, abandoned: fatal === undefined }
                return
              }
              // Among several, a missing execution is its own problem and the others go on;
              // anything else (credentials, permissions, the flow) would fail them all alike.
              if (multi && error instanceof FnfError && error.code === 'ExecutionNotExists') {
                latest[i] = { ...latest[i]!, error }
                core.warning(`Execution ${t.name}: ${errorMessage(error)}`)
                return
              }
              fatal ??= error
              stopWaiting.abort()
            }
          )
        })
      )
    } finally {
      clearInterval(progress)
      await steps?.close()
    }
    if (cancellation.reason) throw new CancelledError(cancellation.reason)
    if (fatal !== undefined) throw fatal

    if (config.stopsOnCancel) {
      await stopAll((t) => t.abandoned, {
        error: 'FnfWaitFailFast',
        cause: `Another execution waited on by the same GitHub Actions step failed (fail-fast)${link}.`
      })
    }
    const timedOut = latest.filter((t) => t.waitTimedOut)
    if (timedOut.length > 0 && config.onTimeout === 'continue') {
      core.warning(
        `Gave up waiting after ${compactDuration(config.timeoutMs)} (timeout input) on ` +
          `${names(timedOut)}; on-timeout is "continue", so the step passes.`
      )
    }
    if (config.onTimeout === 'stop') {
      await stopAll((t) => t.waitTimedOut, {
        error: 'FnfWaitTimeout',
        cause: `fnf-wait stopped the execution after waiting ${compactDuration(config.timeoutMs)} (on-timeout: stop)${link}.`
      })
    }
  } catch (error) {
    if (!(error instanceof CancelledError) && !cancellation.reason) throw error
    const cancelled = new CancelledError(cancellation.reason ?? 'SIGINT')
    try {
      params.onCancel?.([...latest])
    } catch (early) {
      // Writing the outputs must never cost the executions their stop.
      core.warning(`Could not write the outputs before stopping: ${errorMessage(early)}`)
    }
    // Not an execution whose start failed: its name may be someone else's execution.
    const running = (t: Tracked): boolean =>
      t.error === undefined && (!t.execution || !isTerminal(t.execution.Status))
    if (!config.stopsOnCancel) {
      core.info(
        `Leaving ${
          latest
            .filter(running)
            .map((t) => t.name)
            .join(', ') || 'the execution'
        } running (stop-on-cancel: ${config.stopOnCancel}` +
          `${config.stopOnCancel === 'auto' ? ', and this step did not start it' : ''}).`
      )
      throw cancelled
    }
    await stopAll(
      running,
      { error: 'GitHubRunCancelled', cause: `The GitHub Actions run was cancelled${link}.` },
      cancellation.remaining(params.cancelBudgetMs ?? CANCEL_BUDGET_MS)
    )
    throw cancelled
  }
}

/** Runs `work` for every execution and keeps what each returns; then throws the first error, if any. */
async function settleAll(latest: Tracked[], work: (t: Tracked) => Promise<Tracked>): Promise<void> {
  const results = await Promise.allSettled(latest.map(work))
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') latest[i] = r.value
  })
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (rejected) throw rejected.reason
}

function logProgress(latest: readonly Tracked[], startedAt: number): void {
  const counts = new Map<string, number>()
  for (const t of latest) {
    const status = t.execution?.Status ?? 'unknown'
    counts.set(status, (counts.get(status) ?? 0) + 1)
  }
  core.info(
    `After ${compactDuration(Date.now() - startedAt)}: ` +
      [...counts].map(([status, n]) => `${n} ${status}`).join(', ') +
      '.'
  )
}
