/**
 * Waits for a group of executions and reports each end as it happens, choosing how to read their
 * statuses by how many are still running.
 *
 * DescribeExecution's budget (a bucket of 50 refilled 5/s per account, of which the limiter lets
 * us use 40 and 4/s) sustains a few hundred 60-second long polls but only 4 first reads a second:
 * 1000 executions would wait ~4 minutes for their first status, and ends seen late queue behind
 * re-polls. Past LONG_POLL_LIMIT executions still running, we read their statuses in pages of 99
 * with ListExecutions (the "other operations" bucket: 10 refilled 2/s) instead, statuses only
 * (MetadataOnly), and go back to per-execution long polls for the last LONG_POLL_LIMIT, so the last
 * end is still seen within a round trip. An end a sweep sees is confirmed, with its output, by a
 * whole entry of a page of that status or by one DescribeExecution (ended-outputs.ts). An
 * execution a sweep does not show falls back to its own long poll, and so does every one when the
 * listing fails or cannot be trusted (listing.ts), with one warning that says why: the listing only
 * ever saves requests, it never decides an outcome on its own.
 */
import * as log from '../base/log.js'
import { isTerminal, type Execution, type ExecutionStatus } from '../fnf/types.js'
import { errorMessage } from '../base/error-text.js'
import { beforeDeadline, PASSED } from './deadline.js'
import { endedLine, pause, statusLine, waitOne, type FollowContext } from './wait.js'
import type { Ended, Following, WaitTimedOut } from './execution-outcome.js'
import { commonPrefix, earliestSecond, Listing, PAGE_SIZE } from './listing.js'
import { fromPages, readEndedOutputs } from './ended-outputs.js'

/**
 * At most this many executions are long-polled one by one: the limiter's DescribeExecution burst,
 * so all of them are in flight at once, while their re-polls (40 per 60 s hold) take a sixth of
 * its 4/s refill.
 */
export const LONG_POLL_LIMIT = 40
/**
 * Sweeps start at most this often. A few executions' sweep is one page, so this keeps it near
 * 0.5 requests a second; a thousand's is 11 pages, which the limiter paces at 1.6 a second.
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
  /** The last status seen, never an end: an end is only believed once confirmed. */
  last?: Execution
  /** The end a sweep listed, waiting for its confirmation. */
  listedEnd?: Execution
  resolve: (t: Ended | WaitTimedOut) => void
  reject: (error: unknown) => void
}

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
      sweeping ??= Promise.resolve().then(() => new Sweeps(ctx, batch, startedAt).run())
    })
}

/** The sweeps of one group, while more than LONG_POLL_LIMIT are running. */
class Sweeps {
  private readonly listing: Listing
  /** Seen ended in a sweep, their output not read yet: by status. */
  private readonly ended = new Map<ExecutionStatus, Map<string, Entry>>()
  /** Ends sent to their own DescribeExecution and not answered yet. */
  private confirming = 0

  constructor(
    private readonly ctx: FollowContext,
    private readonly batch: Map<string, Entry>,
    private readonly startedAt: number
  ) {
    this.listing = new Listing(
      {
        client: ctx.client,
        flowName: ctx.config.flowName,
        deadline: ctx.deadline,
        signal: ctx.signal,
        log: (line) => log.info(line)
      },
      new Set(batch.keys())
    )
  }

  /** Sweeps while more than LONG_POLL_LIMIT are running, then hands the rest to long polls. */
  async run(): Promise<void> {
    const { ctx, batch } = this
    log.info(
      `Reading the statuses of ${batch.size} executions with ListExecutions, ${PAGE_SIZE} a page; ` +
        `the last ${LONG_POLL_LIMIT} are long-polled one by one.`
    )
    try {
      while (batch.size > LONG_POLL_LIMIT) {
        const sweptAt = Date.now()
        const entries = [...batch.values()]
        const listed = await beforeDeadline(
          this.listing.read({
            prefix: commonPrefix(entries.map((e) => e.t.name)),
            since: earliestSecond(entries.map((e) => e.last?.StartedTime))
          })
        )
        if (listed === PASSED) return this.timeUp()
        if (!listed.ok) {
          log.warning(
            `ListExecutions cannot be used to follow these executions: ${listed.why}. ` +
              `Following each of the ${batch.size} with DescribeExecution instead.`
          )
          break
        }
        const shown = new Set(listed.executions.map((e) => e.Name))
        for (const execution of listed.executions) this.see(execution)
        // Not in the listing (missing, or not listed yet): its own reads decide.
        for (const entry of [...batch.values()]) if (!shown.has(entry.t.name)) this.longPoll(entry)
        if ((await beforeDeadline(this.readEnded(listed.statusCounts))) === PASSED) {
          return this.timeUp()
        }
        if (ctx.deadline.passed()) return this.timeUp()
        if (batch.size <= LONG_POLL_LIMIT) break
        await pause(
          Math.min(sweptAt + SWEEP_SPACING_MS - Date.now(), ctx.deadline.remaining()),
          ctx.signal
        )
      }
    } catch (error) {
      if (ctx.signal.aborted) return this.abandon()
      log.warning(
        `ListExecutions failed (${errorMessage(error)}); following each of the ${batch.size} ` +
          'executions with DescribeExecution instead.'
      )
    }
    for (const entry of [...batch.values(), ...this.pendingEnds()]) this.longPoll(entry)
  }

  /**
   * The ends the last sweep saw, each status's confirmed from its pages when that is cheaper than
   * one read each; every other end gets its one DescribeExecution.
   */
  private async readEnded(statusCounts: ReadonlyMap<string, number>): Promise<void> {
    for (const status of [...this.ended.keys()]) {
      // Still in `ended` while its pages are read: a cancel or the deadline there finds it.
      const pending = this.ended.get(status)!
      const listed = statusCounts.get(status) ?? pending.size
      if (fromPages(pending.size, listed, this.listing.outputPageSize(), this.confirming)) {
        const read = await readEndedOutputs(
          this.listing,
          status,
          new Map([...pending].map(([name, entry]) => [name, entry.listedEnd ?? entry.last]))
        )
        if (!read.ok) {
          log.info(`Reading the outputs of ${pending.size} ${status} executions: ${read.why}.`)
        } else {
          for (const [name, execution] of read.whole) {
            this.settle(pending.get(name)!, execution)
            pending.delete(name)
          }
        }
      }
      this.ended.delete(status)
      for (const entry of pending.values()) this.confirm(entry)
    }
  }

  /** One listed execution: a new status is logged and heard; an end waits for its confirmation. */
  private see(execution: Execution): void {
    const entry = this.batch.get(execution.Name)
    if (!entry) return
    const previous = entry.last?.Status
    if (isTerminal(execution.Status)) {
      // Decides nothing yet: confirmed with its output (readEnded), then settled.
      this.batch.delete(execution.Name)
      entry.listedEnd = execution
      const status = execution.Status
      const pending = this.ended.get(status) ?? new Map<string, Entry>()
      this.ended.set(status, pending.set(execution.Name, entry))
      return
    }
    entry.last = execution
    entry.seen(execution)
    if (execution.Status !== previous) logStatus(execution, previous)
  }

  /** An end confirmed by a whole entry of a page of its status. */
  private settle(entry: Entry, execution: Execution): void {
    const previous = entry.last?.Status
    entry.seen(execution)
    if (execution.Status !== previous) logStatus(execution, previous)
    log.info(endedLine(execution.Name, execution, this.startedAt))
    entry.resolve({ ...entry.t, state: 'ended', execution })
  }

  /** An end confirmed by its own read: counted while it waits, as reads queue at 4 a second. */
  private confirm(entry: Entry): void {
    this.confirming++
    const done = (): void => void this.confirming--
    const { resolve, reject } = entry
    this.longPoll({
      ...entry,
      resolve: (t) => (done(), resolve(t)),
      reject: (error) => (done(), reject(error))
    })
  }

  private longPoll(entry: Entry): void {
    this.batch.delete(entry.t.name)
    // An end a sweep listed is not passed on: the long poll, which answers at once for an ended
    // execution, confirms it.
    const t = entry.last ? { ...entry.t, execution: entry.last } : entry.t
    waitOne(this.ctx, t, this.startedAt, entry.seen).then(entry.resolve, entry.reject)
  }

  private pendingEnds(): Entry[] {
    const entries = [...this.ended.values()].flatMap((pending) => [...pending.values()])
    this.ended.clear()
    return entries
  }

  /** The deadline passed: the running ones as last seen, the ends seen get their last look. */
  private timeUp(): void {
    for (const entry of [...this.batch.values()]) {
      this.batch.delete(entry.t.name)
      entry.resolve({
        ...entry.t,
        state: 'wait-timed-out',
        ...(entry.last ? { execution: entry.last } : {})
      })
    }
    for (const entry of this.pendingEnds()) this.longPoll(entry)
  }

  /** Cancelled, or called off by fail-fast: every wait rejects with the reason. */
  private abandon(): void {
    for (const entry of [...this.batch.values(), ...this.pendingEnds()]) {
      this.batch.delete(entry.t.name)
      entry.reject(this.ctx.signal.reason)
    }
  }
}

function logStatus(execution: Execution, previous: string | undefined): void {
  log.info(`[${execution.Name}] ${statusLine(execution, previous)}`)
}
