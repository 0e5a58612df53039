/**
 * Waiting for one execution: the long-poll loop (waitForExecution), and the step's use of it,
 * which logs each status and returns the execution's next value (readOne, waitOne).
 */
import * as log from '../base/log.js'
import { compactDuration } from '../config/duration.js'
import type { Config } from '../config/inputs.js'
import type { FnfClient } from '../fnf/client.js'
import type { Execution, ExecutionStatus } from '../fnf/types.js'
import { EXECUTION_STATUSES, isTerminal } from '../fnf/types.js'
import { beforeDeadline, LAST_LOOK_GRACE_MS, PASSED, type Deadline } from './deadline.js'
import { seen as read, type Ended, type Following, type WaitTimedOut } from './execution-outcome.js'

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

/** `wait: false`: one look at the status. */
export async function readOne(ctx: FollowContext, t: Following): Promise<Following | Ended> {
  const execution = await ctx.client.describeExecution(
    { flowName: ctx.config.flowName, executionName: t.name, waitTimeSeconds: 0 },
    { deadline: ctx.deadline.at, signal: ctx.signal }
  )
  log.info(`Execution ${t.name} is ${execution.Status} (wait: false).`)
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
      log.info(label(ctx, t) + statusLine(execution, previous))
    },
    ...(ctx.single
      ? {
          onHeartbeat: (execution: Execution, waited: number) => {
            see(execution)
            log.info(`${label(ctx, t)}Still ${execution.Status} after ${compactDuration(waited)}.`)
          }
        }
      : {})
  })
  if (result.kind === 'timed-out') {
    const execution = result.execution ?? last
    return { ...t, state: 'wait-timed-out', ...(execution ? { execution } : {}) }
  }
  log.info(endedLine(t.name, result.execution, startedAt))
  return { ...t, state: 'ended', execution: result.execution }
}

/** The log line for the first status seen, or a change of it. */
export function statusLine(execution: Execution, previous: string | undefined): string {
  return previous
    ? `Status: ${previous} → ${execution.Status}.`
    : `Status: ${execution.Status}${execution.StartedTime ? ` (started ${execution.StartedTime})` : ''}.`
}

/** The log line for an end, however it was seen. */
export function endedLine(name: string, execution: Execution, startedAt: number): string {
  return (
    `Execution ${name} ended ${execution.Status}` +
    `${execution.StoppedTime ? ` at ${execution.StoppedTime}` : ''} ` +
    `(waited ${compactDuration(Date.now() - startedAt)}).`
  )
}

/** The one call the wait loop needs; FnfClient has it. */
export interface ExecutionReader {
  describeExecution(
    params: {
      flowName: string
      executionName: string
      waitTimeSeconds?: number
      holdUntil?: number
    },
    options?: { deadline?: number; signal?: AbortSignal }
  ): Promise<Execution>
}

export interface WaitOptions {
  flowName: string
  executionName: string
  /** When our own wait gives up; its clock is the wait's clock. */
  deadline: Deadline
  signal?: AbortSignal
  /** Called with the first status seen and each change after it. */
  onStatus?: (execution: Execution, previous: ExecutionStatus | undefined) => void
  /** Called at most once per `heartbeatMs` while nothing changes. */
  onHeartbeat?: (execution: Execution, waitedMs: number) => void
  heartbeatMs?: number
  /**
   * Start with an instant read (default), so the log shows the status before a long hold. A step
   * following many executions skips it: it would double their first round of requests.
   */
  firstRead?: boolean
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
}

export type WaitResult =
  | { kind: 'ended'; execution: Execution }
  /** `execution` is absent only when no read got its turn under the rate limit before the deadline. */
  | { kind: 'timed-out'; execution?: Execution }

/**
 * A long poll that comes back early without an end (a proxy that does not hold the request, say)
 * would otherwise turn the loop into a busy poller; we never poll faster than this.
 */
const MIN_POLL_SPACING_MS = 1000
/**
 * A status the service does not document (`running`, `PAUSED`, empty) never ends the wait, and
 * whatever answers may not hold the request for it: polled at most once a minute, so an hour of
 * it costs about 60 requests, not 3600.
 */
export const UNKNOWN_STATUS_SPACING_MS = 60_000

/**
 * Long-polls DescribeExecution until the execution ends or the deadline passes. After a first
 * instant read, each request asks the server to hold it for min(60 s, time left), so a wait of T
 * costs about 1 + T/60 requests and returns within a round trip of the end.
 */
export async function waitForExecution(
  reader: ExecutionReader,
  options: WaitOptions
): Promise<WaitResult> {
  const { deadline } = options
  const now = deadline.now
  const sleep = options.sleep ?? pause
  const heartbeatMs = options.heartbeatMs ?? 60_000
  const startedAt = now()
  let last: Execution | undefined
  let lastReport = startedAt

  // The first read answers at once, so the log shows where the execution stands before a long hold.
  for (let first = options.firstRead ?? true; ; first = false) {
    const sentAt = now()
    // After the first read the client works out the hold, min(60 s, time left), when the request
    // leaves: it may have queued behind the rate limiter or been retried.
    const hold = first ? { waitTimeSeconds: 0 } : { holdUntil: deadline.at }
    const execution = await beforeDeadline(
      reader.describeExecution(
        { flowName: options.flowName, executionName: options.executionName, ...hold },
        {
          // Transient errors near the end still get a few retries: the last look decides the outcome.
          deadline: deadline.orGrace(LAST_LOOK_GRACE_MS),
          ...(options.signal ? { signal: options.signal } : {})
        }
      )
    )
    // Our deadline passed while the read waited for its turn: that is our timeout, not a failure.
    if (execution === PASSED) return { kind: 'timed-out', ...(last ? { execution: last } : {}) }
    const previous = last?.Status
    last = execution
    if (execution.Status !== previous) {
      options.onStatus?.(execution, previous)
      lastReport = now()
    } else if (now() - lastReport >= heartbeatMs) {
      options.onHeartbeat?.(execution, now() - startedAt)
      lastReport = now()
    }
    if (isTerminal(execution.Status)) return { kind: 'ended', execution }
    if (deadline.passed()) return { kind: 'timed-out', execution }
    const spent = now() - sentAt
    const known = (EXECUTION_STATUSES as readonly string[]).includes(execution.Status)
    const spacing = known ? MIN_POLL_SPACING_MS : UNKNOWN_STATUS_SPACING_MS
    if ((!first || !known) && spent < spacing) {
      await sleep(Math.min(spacing - spent, deadline.remaining()), options.signal)
    }
  }
}

/**
 * Rejects with the signal's own reason (not a generic AbortError), so callers can tell who aborted.
 * A plain timer: the wait loop never sleeps longer than a poll's spacing, at most a minute, far
 * inside what setTimeout honours; the sweeps (status-sweeps.ts) pause with it too.
 */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    if (ms <= 0) return resolve()
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      Math.min(ms, UNKNOWN_STATUS_SPACING_MS)
    )
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
