/**
 * One GitHub step following N executions: start them (if asked), then wait for all at once until
 * each ends, the deadline passes, one fails under fail-fast, an error stops every wait, or the job
 * is cancelled. Returns one outcome per execution, in the order given, and why waiting ended; it
 * stops nothing (stop-policy.ts decides that, main.ts sequences it).
 */
import * as log from '../base/log.js'
import { compactDuration } from '../config/duration.js'
import type { Config } from '../config/inputs.js'
import type { FnfClient } from '../fnf/client.js'
import type { Execution } from '../fnf/types.js'
import type { HistoryReader } from '../history/index.js'
import { errorMessage } from '../base/error-text.js'
import { waitForGroup, type WaitFor } from './status-sweeps.js'
import type { Cancellation } from './cancellation.js'
import type { Deadline } from './deadline.js'
import { readOne, type FollowContext } from './wait.js'
import { failsStep } from './verdict.js'
import { startWaitProgress, type Progress } from './live-progress.js'
import { startAll } from './start-all.js'
import type { MapRunCalls } from './map-run-calls.js'
import { saveRefused, saveStarted, saveStarting, saveWaiting } from './saved-state.js'
import { track, type Following, type Tracked } from './execution-outcome.js'
import { explainNotFound, FlowModes, notFound } from './flow-mode.js'
import { readRouting } from './alias-routing.js'
import { LAST_LOOK_GRACE_MS } from './deadline.js'
import type { AliasRouting } from '../report/view.js'

/** With several executions, one progress line at most this often replaces per-execution heartbeats. */
const PROGRESS_EVERY_MS = 60_000

/** Why waiting ended. */
export type WaitEnd =
  /** Every execution ended (or, with `wait: false`, was read once). */
  | { readonly why: 'all-ended' }
  /** The deadline passed with some still running (the others ended). */
  | { readonly why: 'timed-out' }
  /** One failed under `fail-fast` (or could not be started): the others were abandoned. */
  | { readonly why: 'fail-fast' }
  /** An error no execution can get past: a bad start, a lost single execution, credentials, … */
  | { readonly why: 'fatal'; readonly error: unknown }
  | { readonly why: 'cancelled'; readonly signal: NodeJS.Signals }

export interface FollowAllParams {
  config: Config
  client: FnfClient
  cancellation: Cancellation
  /** The step's, from the `timeout` input. */
  deadline: Deadline
  startedAt: number
  /** Live progress describes running distributed Maps with these (and warns once when refused). */
  mapRuns?: MapRunCalls
}

export interface Followed {
  /** One per execution, as far as following got. */
  readonly outcomes: readonly Tracked[]
  readonly end: WaitEnd
  /** What live progress read of each history, for the failure report to go on from. */
  readonly readers: ReadonlyMap<string, HistoryReader>
  /** The routes of the alias the step started (`qualifier`), when they could be read. */
  readonly routing?: AliasRouting
}

/** The interrupts that call off every wait: the first one wins. */
type Interrupt = Extract<WaitEnd, { why: 'fail-fast' | 'fatal' }>

export async function followAll(params: FollowAllParams): Promise<Followed> {
  const { config, client, cancellation, deadline } = params
  const modes = new FlowModes(client, config, { signal: cancellation.signal })
  // Beside the starts: the alias's routes are for the report, and never hold anything up.
  const routing = readRouting(client, config, {
    signal: cancellation.signal,
    deadline: deadline.orGrace(LAST_LOOK_GRACE_MS)
  })
  const followed = await follow(params, modes)
  const explained = config.start
    ? followed
    : {
        ...followed,
        ...(await explainNotFound(modes, config.flowName, followed.outcomes, followed.end))
      }
  const routes = await routing
  return routes ? { ...explained, routing: routes } : explained
}

async function follow(params: FollowAllParams, modes: FlowModes): Promise<Followed> {
  const { config, cancellation } = params
  log.info(`Credentials from ${config.credentialSource}.`)
  const interrupt = new AbortController()
  const ctx: FollowContext = {
    config,
    client: params.client,
    deadline: params.deadline,
    signal: AbortSignal.any([cancellation.signal, interrupt.signal]),
    single: config.executions.length === 1
  }
  const readers = new Map<string, HistoryReader>()
  // Asked once each phase ends: a cancel outranks whatever else ended it.
  const ended = (outcomes: readonly Tracked[], end: WaitEnd): Followed => ({
    outcomes,
    end: cancellation.reason ? { why: 'cancelled', signal: cancellation.reason } : end,
    readers
  })

  const pending = config.executions.map((e) => track(e.name, e.input))
  let outcomes: readonly Tracked[] = pending
  // With `start`, the post step learns each execution as it starts, so a kill mid-phase
  // leaves none running unrecorded.
  saveWaiting(config.flowName, config.start ? [] : pending.map((t) => t.name), config.stopsOnCancel)
  if (config.start) {
    try {
      const started = await startAll(
        ctx,
        pending,
        saveStarted,
        { sending: saveStarting, refused: saveRefused },
        modes
      )
      outcomes = started.outcomes
      // Cancelled while starting: nothing to wait for, what started is for the stop policy.
      if (cancellation.reason)
        return ended(outcomes, { why: 'cancelled', signal: cancellation.reason })
      if (started.failed.length > 0 && config.failFast) {
        log.info(
          `Could not start ${started.failed.join(', ')}: not waiting for the others (fail-fast).`
        )
        interrupt.abort({ why: 'fail-fast' } satisfies Interrupt)
      }
    } catch (error) {
      return ended(outcomes, { why: 'fatal', error })
    }
  }
  if (!config.wait) return ended(...(await readAll(ctx, outcomes)))
  // Express executions are waited for by their start: nothing may be left to wait on.
  if (!outcomes.some((t) => t.state === 'following')) {
    const timedOut = outcomes.some((t) => t.state === 'wait-timed-out')
    return ended(outcomes, { why: timedOut ? 'timed-out' : 'all-ended' })
  }

  const waited = await waitAll(ctx, outcomes, params.startedAt, interrupt, readers, params.mapRuns)
  const cut = interrupt.signal.reason as Interrupt | undefined
  if (cut) return ended(waited, cut)
  return ended(waited, {
    why: waited.some((t) => t.state === 'wait-timed-out') ? 'timed-out' : 'all-ended'
  })
}

/** `wait: false`: one look at each status; the first error is fatal, once every read settled. */
async function readAll(
  ctx: FollowContext,
  outcomes: readonly Tracked[]
): Promise<[readonly Tracked[], WaitEnd]> {
  const results = await Promise.allSettled(
    outcomes.map((t) => (t.state === 'following' ? readOne(ctx, t) : Promise.resolve(t)))
  )
  const read = results.map((r, i) => (r.status === 'fulfilled' ? r.value : outcomes[i]!))
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  return [read, rejected ? { why: 'fatal', error: rejected.reason } : { why: 'all-ended' }]
}

/**
 * Waits for every execution still followed, each to a value of its own: ended, timed out, or,
 * when the wait was called off, as last seen (abandoned under fail-fast). An execution's own
 * error ends every wait (`interrupt`), except a missing one among several.
 */
async function waitAll(
  ctx: FollowContext,
  outcomes: readonly Tracked[],
  startedAt: number,
  interrupt: AbortController,
  readers: Map<string, HistoryReader>,
  mapRuns?: MapRunCalls
): Promise<readonly Tracked[]> {
  const { config } = ctx
  const followed = outcomes.filter((t): t is Following => t.state === 'following')
  const multi = outcomes.length > 1
  const what = multi ? `${outcomes.length} executions` : `execution ${outcomes[0]!.name}`
  log.info(
    `Waiting for ${what} of flow ${config.flowName} until ` +
      `${new Date(ctx.deadline.at).toISOString()} (timeout ${compactDuration(config.timeoutMs)}).`
  )
  // Only the step-wide progress line reads these; every outcome is a value of its own.
  const statuses = new Map(outcomes.map((t) => [t.name, t.execution?.Status ?? 'unknown']))
  const progress = multi
    ? setInterval(() => logProgress(statuses, startedAt), PROGRESS_EVERY_MS)
    : undefined
  const steps: Progress | undefined = config.progress
    ? startWaitProgress(
        ctx.client,
        config.flowName,
        followed,
        readers,
        config.progressIntervalMs,
        mapRuns
      )
    : undefined
  const waitFor = waitForGroup(ctx, followed.length, startedAt)
  const one = (t: Following): Promise<Tracked> =>
    waitOrCut(waitFor, t, statuses).then((next) => {
      if (!('cut' in next)) steps?.stop(t.name)
      return judge(ctx, next, interrupt, multi)
    })
  try {
    return await Promise.all(outcomes.map((t) => (t.state === 'following' ? one(t) : t)))
  } finally {
    clearInterval(progress)
    await steps?.close()
  }
}

/** One wait; a wait that throws comes back as the execution last seen, with what it threw. */
async function waitOrCut(
  waitFor: WaitFor,
  t: Following,
  statuses: Map<string, string>
): Promise<Tracked | { cut: Following; error: unknown }> {
  let last = t.execution
  try {
    return await waitFor(t, (execution: Execution) => {
      last = execution
      statuses.set(t.name, execution.Status)
    })
  } catch (error) {
    return { cut: { ...t, ...(last ? { execution: last } : {}) }, error }
  }
}

/**
 * What one settled wait means for the others: a failure under fail-fast, or an error no other
 * execution can get past, calls off every wait. A wait called off is abandoned under fail-fast,
 * and stays as last seen otherwise.
 */
function judge(
  ctx: FollowContext,
  next: Tracked | { cut: Following; error: unknown },
  interrupt: AbortController,
  multi: boolean
): Tracked {
  if (!('cut' in next)) {
    if (ctx.config.failFast && failsStep(ctx.config, next) && !interrupt.signal.aborted) {
      log.info(
        `Execution ${next.name} ended ${next.execution?.Status}: not waiting for the others (fail-fast).`
      )
      interrupt.abort({ why: 'fail-fast' } satisfies Interrupt)
    }
    return next
  }
  const { cut, error } = next
  // Called off on purpose: a cancel, fail-fast, or another execution's fatal error.
  if (ctx.signal.aborted) {
    const by = interrupt.signal.reason as Interrupt | undefined
    return by?.why === 'fail-fast' ? { ...cut, state: 'abandoned' } : cut
  }
  // Among several, a missing execution is its own problem and the others go on; anything else
  // (credentials, permissions, the flow) would fail them all alike.
  if (multi && notFound(error)) {
    log.warning(`Execution ${cut.name}: ${errorMessage(error)}`)
    return { ...cut, state: 'lost', error }
  }
  interrupt.abort({ why: 'fatal', error } satisfies Interrupt)
  return cut
}

function logProgress(statuses: ReadonlyMap<string, string>, startedAt: number): void {
  const counts = new Map<string, number>()
  for (const status of statuses.values()) counts.set(status, (counts.get(status) ?? 0) + 1)
  log.info(
    `After ${compactDuration(Date.now() - startedAt)}: ` +
      [...counts].map(([status, n]) => `${n} ${status}`).join(', ') +
      '.'
  )
}
