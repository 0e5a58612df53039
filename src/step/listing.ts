/**
 * ListExecutions read as hostile input: what a sweep may believe of a listing, and nothing more.
 *
 * A listing only ever saves requests, so anything odd about one ends the read as a value (`why`)
 * and the caller falls back to per-execution reads: a NextToken given twice, a page with more
 * executions than asked for, more pages than the executions followed can fill, a page that does not
 * answer within its own budget (well under the time left), any error but the two below. Entries of
 * another flow, of names not followed, or listed twice are dropped as they arrive, so a listing that
 * never ends holds no memory. The page size is corrected, never given up on: a 400 refusing it
 * halves it (the documents disagree on the largest Limit, fnf-api.md §10), and pages that carry
 * outputs are sized from the largest entry seen, so outputs of any size fit under the response cap.
 */
import { DEADLINE_EXCEEDED, FnfError } from '../fnf/errors.js'
import type { FnfClient } from '../fnf/client.js'
import type { Execution, ExecutionStatus } from '../fnf/types.js'
import { RESPONSE_TOO_LARGE } from '../http/response.js'
import { errorMessage } from '../base/error-text.js'
import { LAST_LOOK_GRACE_MS, seconds, type Deadline } from './deadline.js'

/** ListExecutions' largest page: 1–99 in every current SDK model (the zh page says 1–100). */
export const PAGE_SIZE = 99
/** A refused page size is halved down to this; a refusal of this one is not about the size. */
export const SMALLEST_PAGE = 10
/**
 * The first page with outputs asks for this many: before any is seen, an entry may carry an Input
 * and an Output of up to 1 MiB each (the service's request limit), escaped, and 4 of them stay
 * under the 16 MiB the client reads of a ListExecutions answer.
 */
export const FIRST_OUTPUT_PAGE = 4
/**
 * Pages with outputs are then sized to about this much text, half the response cap: the largest
 * entry seen, times ESCAPE_MARGIN for the JSON escaping of its strings, times the page's Limit.
 */
export const OUTPUT_PAGE_BYTES = 8 * 1024 * 1024
const ESCAPE_MARGIN = 1.5
/** Names, times and the envelope of an entry, besides its Input, Output and definition. */
const ENTRY_OVERHEAD_BYTES = 1024
/** The most one page may take to answer, retries included; a quarter of the time left when less. */
export const PAGE_BUDGET_MS = 15_000
const SMALLEST_BUDGET_MS = 2000

export function pageBudgetMs(remainingMs: number): number {
  return Math.min(PAGE_BUDGET_MS, Math.max(SMALLEST_BUDGET_MS, Math.floor(remainingMs / 4)))
}

export interface ListingQuery {
  /** ExecutionNamePrefix ('' for none). */
  prefix: string
  /** StartedTimeBegin, RFC 3339. */
  since?: string | undefined
  /**
   * Pages of the executions in this status, with their Input and Output. Without it the pages
   * carry statuses only (MetadataOnly=true).
   */
  outputsOf?: ExecutionStatus | undefined
  /** Stops paging once every one of these names has been listed. */
  until?: ReadonlySet<string> | undefined
}

export type ListingRead =
  | {
      readonly ok: true
      /** The followed executions listed, each once, as first listed. */
      readonly executions: readonly Execution[]
      /** Entries of the flow listed in each status, followed or not: what a filtered read would list. */
      readonly statusCounts: ReadonlyMap<string, number>
    }
  /** The listing cannot be used: why, for the one warning that says so. */
  | { readonly ok: false; readonly why: string }

export interface ListingContext {
  client: Pick<FnfClient, 'listExecutions'>
  flowName: string
  deadline: Deadline
  /** The step's: a cancel or fail-fast rejects the read with its reason. */
  signal: AbortSignal
  /** Where the page-size corrections are said, once each. */
  log: (line: string) => void
}

/** One group's listing: the page sizes it has learnt last for the whole wait. */
export class Listing {
  /** The largest Limit the service has not refused. */
  private limit = PAGE_SIZE
  /** The largest entry with outputs seen so far, in UTF-16 code units. */
  private largestEntry: number | undefined
  /** Pages with outputs hold at most this many since one was too large to read. */
  private outputCap = PAGE_SIZE

  constructor(
    private readonly ctx: ListingContext,
    /** The names followed: entries of any other name are dropped. */
    private readonly followed: ReadonlySet<string>
  ) {}

  /** The page size the next page asks for: with outputs, what the largest entry seen allows. */
  pageSize(withOutputs: boolean): number {
    if (!withOutputs) return this.limit
    return this.largestEntry === undefined
      ? Math.min(this.limit, this.outputCap, FIRST_OUTPUT_PAGE)
      : this.outputPageSize()
  }

  /**
   * How many executions a page with outputs holds, to weigh pages against one read each: once an
   * entry was seen, what the largest allows; before, the largest page (the first page asks for
   * FIRST_OUTPUT_PAGE and corrects the estimate).
   */
  outputPageSize(): number {
    if (this.largestEntry === undefined) return Math.min(this.limit, this.outputCap)
    const fit = Math.floor(OUTPUT_PAGE_BYTES / (this.largestEntry * ESCAPE_MARGIN))
    return Math.max(1, Math.min(this.limit, this.outputCap, fit))
  }

  /**
   * Every page of the query, or why the listing cannot be trusted. Throws the step's abort reason
   * on cancel, and the client's DeadlineExceeded when the step's deadline passes first.
   */
  async read(query: ListingQuery): Promise<ListingRead> {
    const withOutputs = query.outputsOf !== undefined
    const executions = new Map<string, Execution>()
    const statusCounts = new Map<string, number>()
    const tokens = new Set<string>()
    // Room for as many executions not followed (same prefix, started since) as followed.
    const room = 2 * this.followed.size
    let asked = 0
    let nextToken: string | undefined
    for (;;) {
      const limit = this.pageSize(withOutputs)
      const page = await this.page(query, limit, nextToken)
      if (page === 'smaller') continue
      if ('why' in page) return { ok: false, why: page.why }
      asked += limit
      if (page.Executions.length > limit) {
        return {
          ok: false,
          why: `a page held ${page.Executions.length} executions, more than the ${limit} asked for`
        }
      }
      for (const execution of page.Executions) {
        // A FlowName is not in every answer; one that names another flow is not ours.
        if (execution.FlowName !== undefined && execution.FlowName !== this.ctx.flowName) continue
        statusCounts.set(execution.Status, (statusCounts.get(execution.Status) ?? 0) + 1)
        if (withOutputs) this.learn(execution)
        if (!this.followed.has(execution.Name) || executions.has(execution.Name)) continue
        executions.set(execution.Name, execution)
      }
      nextToken = page.NextToken || undefined
      if (!nextToken) break
      if (query.until && [...query.until].every((name) => executions.has(name))) break
      if (tokens.has(nextToken)) {
        return {
          ok: false,
          why: 'it gave a NextToken it had already given (a listing without end)'
        }
      }
      tokens.add(nextToken)
      if (asked >= room + limit) {
        return {
          ok: false,
          why:
            `its pages went on past room for ${room} executions while ${this.followed.size} are ` +
            'followed (other executions share their names, or the listing does not end)'
        }
      }
    }
    return { ok: true, executions: [...executions.values()], statusCounts }
  }

  /** One page; 'smaller' when its size was refused and is now corrected. */
  private async page(
    query: ListingQuery,
    limit: number,
    nextToken: string | undefined
  ): Promise<Awaited<ReturnType<FnfClient['listExecutions']>> | { why: string } | 'smaller'> {
    const { ctx } = this
    const budgetMs = pageBudgetMs(ctx.deadline.remaining())
    const budget = AbortSignal.timeout(budgetMs)
    try {
      return await ctx.client.listExecutions(
        {
          flowName: ctx.flowName,
          limit,
          ...(query.prefix ? { executionNamePrefix: query.prefix } : {}),
          ...(query.since ? { startedTimeBegin: query.since } : {}),
          ...(query.outputsOf ? { status: query.outputsOf } : { metadataOnly: true }),
          ...(nextToken ? { nextToken } : {})
        },
        // A sweep that starts near the deadline still gets a few retries: it is the last look.
        {
          deadline: ctx.deadline.orGrace(LAST_LOOK_GRACE_MS),
          signal: AbortSignal.any([ctx.signal, budget])
        }
      )
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason
      if (error instanceof FnfError && error.code === DEADLINE_EXCEEDED) throw error
      if (budget.aborted) {
        return { why: `a page did not answer within ${seconds(budgetMs)}` }
      }
      if (error instanceof FnfError && refusesLimit(error) && limit > SMALLEST_PAGE) {
        this.limit = Math.max(SMALLEST_PAGE, Math.floor(limit / 2))
        ctx.log(
          `ListExecutions refused Limit=${limit} (${error.reason}); ` +
            `reading pages of ${this.limit} from now on.`
        )
        return 'smaller'
      }
      if (query.outputsOf && isTooLarge(error) && limit > 1) {
        // Entries larger than their text let us guess (escaping, or a size the service does
        // not document): from now on at most half this page.
        this.outputCap = Math.floor(limit / 2)
        return 'smaller'
      }
      return { why: errorMessage(error) }
    }
  }

  private learn(execution: Execution): void {
    const size =
      ENTRY_OVERHEAD_BYTES +
      (execution.Input?.length ?? 0) +
      (execution.Output?.length ?? 0) +
      (execution.FlowDefinition?.length ?? 0)
    this.largestEntry = Math.max(this.largestEntry ?? 0, size)
  }
}

/** A 400 that may be about the page size: an InvalidArgument or InvalidParameter of any kind. */
function refusesLimit(error: FnfError): boolean {
  return error.status === 400 && /^Invalid/i.test(error.code)
}

function isTooLarge(error: unknown): boolean {
  return error instanceof FnfError && error.code === RESPONSE_TOO_LARGE
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

/**
 * The earliest of the times, floored to the second (`2024-01-01T00:00:00Z`); undefined unless
 * every one is a time.
 */
export function earliestSecond(times: readonly (string | undefined)[]): string | undefined {
  const ms = times.map((s) => (s === undefined ? NaN : Date.parse(s)))
  if (ms.length === 0 || ms.some(Number.isNaN)) return undefined
  const earliest = Math.min(...ms)
  return new Date(Math.floor(earliest / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}
