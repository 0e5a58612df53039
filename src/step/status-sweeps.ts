/**
 * Waits for a group of executions and reports each end as it happens, choosing how to read their
 * statuses by how many are still running.
 *
 * DescribeExecution's budget (a bucket of 50 refilled 5/s per account, of which the limiter lets
 * us use 40 and 4/s) sustains a few hundred 60-second long polls but only 4 first reads a second:
 * 1000 executions would wait ~4 minutes for their first status, and ends seen late queue behind
 * re-polls. Past LONG_POLL_LIMIT executions still running, we read their statuses in pages of 100
 * with ListExecutions (the "other operations" bucket: 10 refilled 2/s) instead, and go back to
 * per-execution long polls for the last LONG_POLL_LIMIT, so the last end is still seen within a
 * round trip. An execution a sweep does not show, or any error of the listing (a RAM policy that
 * allows DescribeExecution only, say), falls back to long polls: the listing only ever saves
 * requests, it never decides an outcome on its own.
 */
import * as log from '../base/log.js'
import { compactDuration } from '../config/duration.js'
import type { FnfClient } from '../fnf/client.js'
import { isTerminal, type Execution } from '../fnf/types.js'
import { errorMessage } from '../base/error-text.js'
import { beforeDeadline, LAST_LOOK_GRACE_MS, PASSED } from './deadline.js'
import { waitOne, type FollowContext } from './wait.js'
import type { Ended, Following, WaitTimedOut } from './execution-outcome.js'

/**
 * At most this many executions are long-polled one by one: the limiter's DescribeExecution burst,
 * so all of them are in flight at once, while their re-polls (40 per 60 s hold) take a sixth of
 * its 4/s refill.
 */
export const LONG_POLL_LIMIT = 40
/** ListExecutions' largest page. */
export const PAGE_SIZE = 99
/**
 * Sweeps start at most this often. A few executions' sweep is one page, so this keeps it near
 * 0.5 requests a second; a thousand's is 10 pages, which the limiter paces at 1.6 a second.
 */
export const SWEEP_SPACING_MS = 2000

/** Waits for one execution of the group; the same contract as waitOne. */
export type WaitFor = (
  t: Following,
  seen: (execution: Execution) => void
) => Promise<Ended | WaitTimedOut>

interface Entry {
  t: Following
  seen: (execution: Execution) => void
  last?: Execution
  resolve: (t: Ended | WaitTimedOut) => void
  reject: (error: unknown) => void
}

/** The client calls the group needs; FnfClient has them. */
export type StatusClient = Pick<FnfClient, 'describeExecution' | 'listExecutions'>

/**
 * One waiter for `count` executions (every one of them must then be passed to it, synchronously,
 * as follow-all does): per-execution long polls for a few, batch reads for many.
 */
export function waitForGroup(ctx: FollowContext, count: number, startedAt: number): WaitFor {
  // config.longPollsOnly: the benchmark's baseline, the strategy before batch reads.
  if (count <= LONG_POLL_LIMIT || ctx.config.longPollsOnly) {
    return (t, seen) => waitOne(ctx, t, startedAt, seen)
  }
  const batch = new Map<string, Entry>()
  let sweeping: Promise<void> | undefined
  return (t, seen) =>
    new Promise<Ended | WaitTimedOut>((resolve, reject) => {
      batch.set(t.name, {
        t,
        seen,
        resolve,
        reject,
        ...(t.execution ? { last: t.execution } : {})
      })
      // Every execution joins before the first sweep starts (follow-all passes them all in one go).
      sweeping ??= Promise.resolve().then(() => sweepUntilFew(ctx, batch, startedAt))
    })
}

/** Sweeps while more than LONG_POLL_LIMIT are running, then hands the rest to long polls. */
async function sweepUntilFew(
  ctx: FollowContext,
  batch: Map<string, Entry>,
  startedAt: number
): Promise<void> {
  const longPoll = (entry: Entry): void => {
    batch.delete(entry.t.name)
    const t = entry.last ? { ...entry.t, execution: entry.last } : entry.t
    waitOne(ctx, t, startedAt, entry.seen).then(entry.resolve, entry.reject)
  }
  log.info(
    `Reading the statuses of ${batch.size} executions with ListExecutions, ${PAGE_SIZE} a page; ` +
      `the last ${LONG_POLL_LIMIT} are long-polled one by one.`
  )
  try {
    while (batch.size > LONG_POLL_LIMIT) {
      const sweptAt = Date.now()
      const listed = await beforeDeadline(sweep(ctx, batch))
      if (listed === PASSED) {
        if (ctx.signal.aborted) throw ctx.signal.reason
        for (const entry of [...batch.values()]) timedOut(batch, entry)
        return
      }
      const shown = new Set(listed.map((e) => e.Name))
      for (const execution of listed) see(batch, execution, startedAt)
      // Not in the listing (missing, or not listed yet): its own reads decide.
      for (const entry of [...batch.values()]) if (!shown.has(entry.t.name)) longPoll(entry)
      if (ctx.deadline.passed()) {
        for (const entry of [...batch.values()]) timedOut(batch, entry)
        return
      }
      if (batch.size <= LONG_POLL_LIMIT) break
      await pause(
        Math.min(sweptAt + SWEEP_SPACING_MS - Date.now(), ctx.deadline.remaining()),
        ctx.signal
      )
    }
  } catch (error) {
    if (ctx.signal.aborted) {
      for (const entry of [...batch.values()]) {
        batch.delete(entry.t.name)
        entry.reject(ctx.signal.reason)
      }
      return
    }
    log.info(
      `ListExecutions failed (${errorMessage(error)}); following each execution with ` +
        'DescribeExecution instead.'
    )
  }
  for (const entry of [...batch.values()]) longPoll(entry)
}

/**
 * One pass over the listing: every page of the group's executions, narrowed by their names'
 * common prefix and, once every start time is known, by the earliest of them.
 */
async function sweep(ctx: FollowContext, batch: Map<string, Entry>): Promise<Execution[]> {
  const entries = [...batch.values()]
  const prefix = commonPrefix(entries.map((e) => e.t.name))
  const starts = entries.map((e) => e.last?.StartedTime)
  const since = starts.every((s) => s !== undefined && !Number.isNaN(Date.parse(s)))
    ? earliestSecond(starts as string[])
    : undefined
  const listed: Execution[] = []
  let nextToken: string | undefined
  do {
    const page = await ctx.client.listExecutions(
      {
        flowName: ctx.config.flowName,
        limit: PAGE_SIZE,
        ...(prefix ? { executionNamePrefix: prefix } : {}),
        ...(since ? { startedTimeBegin: since } : {}),
        ...(nextToken ? { nextToken } : {})
      },
      // A sweep that starts near the deadline still gets a few retries: it is the last look.
      { deadline: ctx.deadline.orGrace(LAST_LOOK_GRACE_MS), signal: ctx.signal }
    )
    listed.push(...page.Executions)
    nextToken = page.NextToken || undefined
  } while (nextToken)
  return listed
}

/** One listed execution: its status change is logged and heard; its end settles it. */
function see(batch: Map<string, Entry>, execution: Execution, startedAt: number): void {
  const entry = batch.get(execution.Name)
  if (!entry) return
  const previous = entry.last?.Status
  entry.last = execution
  entry.seen(execution)
  if (execution.Status !== previous) {
    log.info(
      `[${execution.Name}] ` +
        (previous
          ? `Status: ${previous} → ${execution.Status}.`
          : `Status: ${execution.Status}${execution.StartedTime ? ` (started ${execution.StartedTime})` : ''}.`)
    )
  }
  if (!isTerminal(execution.Status)) return
  batch.delete(execution.Name)
  log.info(
    `Execution ${execution.Name} ended ${execution.Status}` +
      `${execution.StoppedTime ? ` at ${execution.StoppedTime}` : ''} ` +
      `(waited ${compactDuration(Date.now() - startedAt)}).`
  )
  entry.resolve({ ...entry.t, state: 'ended', execution })
}

function timedOut(batch: Map<string, Entry>, entry: Entry): void {
  batch.delete(entry.t.name)
  entry.resolve({
    ...entry.t,
    state: 'wait-timed-out',
    ...(entry.last ? { execution: entry.last } : {})
  })
}

/** The longest prefix all names share ('' when they share none). */
export function commonPrefix(names: readonly string[]): string {
  if (names.length === 0) return ''
  let prefix = names[0]!
  for (const name of names) {
    let i = 0
    while (i < prefix.length && i < name.length && prefix[i] === name[i]) i++
    prefix = prefix.slice(0, i)
    if (!prefix) break
  }
  return prefix
}

/** The earliest of the times, floored to the second: `2024-01-01T00:00:00Z`. */
function earliestSecond(times: readonly string[]): string {
  const ms = Math.min(...times.map((s) => Date.parse(s)))
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    if (ms <= 0) return resolve()
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
