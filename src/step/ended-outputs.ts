/**
 * The outputs of executions a status sweep saw end. Sweeps list statuses only (MetadataOnly), and a
 * status from a listing decides nothing on its own: each end is confirmed by an entry that is
 * whole, from pages of that status that carry outputs, or by one DescribeExecution, whichever
 * comes sooner under the rate limits. One read each is the default; pages win when many ended at
 * once among few listed (a fan-out ending together), or when the reads one by one fall behind
 * (4 a second), so the two together keep up with a thousand ends in three minutes.
 */
import type { Execution, ExecutionStatus } from '../fnf/types.js'
import { DEFAULT_BUCKETS } from '../fnf/rate-limiter.js'
import { commonPrefix, earliestSecond, type Listing } from './listing.js'

/**
 * What a page of outputs costs, in DescribeExecution reads: ListExecutions draws on the "other
 * APIs" bucket, refilled 2.5 times slower than DescribeExecution's, and a page also holds back the
 * next status sweep, which shares that bucket; a read one by one holds back nothing.
 */
export const PAGE_COST_IN_READS =
  (2 * DEFAULT_BUCKETS.DescribeExecution!.refillPerSecond) /
  DEFAULT_BUCKETS.default!.refillPerSecond

/**
 * Pure: whether `pending` ends of one status are sooner read from pages of that status, when the
 * sweep listed `listed` executions in it, a page holds `pageSize`, and `queued` reads one by one
 * are already waiting their turn ahead of them.
 */
export function fromPages(pending: number, listed: number, pageSize: number, queued = 0): boolean {
  return Math.ceil(Math.max(listed, pending) / pageSize) * PAGE_COST_IN_READS < pending + queued
}

/**
 * Pure: whether a listed entry can be believed as whole. Its status must be the one asked for, and
 * its output one: JSON, as the service writes it. A succeeded execution always has one, so a
 * missing or empty Output is a cut there; another end often has none.
 */
export function isWhole(execution: Execution, status: ExecutionStatus): boolean {
  if (execution.Status !== status) return false
  const output = execution.Output
  if (output === undefined || output === '') return status !== 'Succeeded'
  try {
    JSON.parse(output)
    return true
  } catch {
    return false
  }
}

export type EndedOutputs =
  /** The whole entries among the pending; the others are for one DescribeExecution each. */
  | { readonly ok: true; readonly whole: ReadonlyMap<string, Execution> }
  /** The pages could not be read: every pending end is for one DescribeExecution. */
  | { readonly ok: false; readonly why: string }

/**
 * Reads the pages of `status` narrowed to the pending executions (their names' common prefix, the
 * earliest of their starts) until each has been listed, and keeps the whole entries among them.
 */
export async function readEndedOutputs(
  listing: Listing,
  status: ExecutionStatus,
  pending: ReadonlyMap<string, Execution | undefined>
): Promise<EndedOutputs> {
  const names = [...pending.keys()]
  const read = await listing.read({
    prefix: commonPrefix(names),
    since: earliestSecond([...pending.values()].map((e) => e?.StartedTime)),
    outputsOf: status,
    until: new Set(names)
  })
  if (!read.ok) return read
  const whole = new Map<string, Execution>()
  for (const execution of read.executions) {
    if (pending.has(execution.Name) && isWhole(execution, status)) {
      whole.set(execution.Name, execution)
    }
  }
  return { ok: true, whole }
}
