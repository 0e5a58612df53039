/**
 * Reads a whole execution history, page by page, into the model. Each page is folded in and
 * dropped before the next is requested, so memory stays bounded by the model, not the history.
 */
import { HISTORY_PAGE_LIMIT } from '../fnf/client.js'
import type { Execution, HistoryPage } from '../fnf/types.js'
import { createHistoryModel } from './fold.js'
import type { ExecutionReport, ModelOptions } from './types.js'

export interface HistoryRequest {
  flowName: string
  executionName: string
  nextToken?: string
  limit?: number
}

export interface HistoryCallOptions {
  deadline?: number
  signal?: AbortSignal
}

/** The one client method this module needs, so tests can serve pages from a fake. */
export interface HistoryClient {
  getExecutionHistory(request: HistoryRequest, options?: HistoryCallOptions): Promise<HistoryPage>
}

export interface FetchHistoryOptions {
  /** Passed to every call (epoch ms); also checked between pages. */
  deadline?: number
  signal?: AbortSignal
  /** Events per page; the API accepts 1–999. Default HISTORY_PAGE_LIMIT (100): small pages. */
  limit?: number
  /** DescribeExecution's answer, for status, times and names in the report. */
  execution?: Execution
  /** Safety stop against a service that keeps returning tokens; default 1000 pages. */
  maxPages?: number
  model?: ModelOptions
  /** Clock for the deadline check (tests). */
  now?: () => number
}

export interface HistoryResult {
  report: ExecutionReport
  pages: number
  events: number
  /** False when the history was cut short (see `error`); the report covers what was read. */
  complete: boolean
  /** Why it is incomplete: the error of a later page, a deadline, a repeated token, maxPages. */
  error?: unknown
}

/**
 * Pages until NextToken is absent or empty. An error on the first page is thrown (there is
 * nothing to report); an error on a later page returns the partial report with `complete: false`,
 * because a failure report from most of the history beats none. An aborted signal always throws.
 */
export async function fetchHistory(
  client: HistoryClient,
  target: { flowName: string; executionName: string },
  options: FetchHistoryOptions = {}
): Promise<HistoryResult> {
  const reader = createHistoryReader(client, target, options.model)
  return reader.readToEnd(options)
}

/** What one request of a resumable reader brought. */
export interface PageRead {
  /** Events folded in (re-read ones skipped). */
  added: number
  /** The service gave a NextToken: more events exist now. */
  more: boolean
  /** Events of the requested page that had been folded before (the re-read part). */
  reread: number
}

/**
 * A history read that can stop and go on later, for an execution that is still running: progress
 * reads one page a minute, and the failure report then reads only what is new.
 *
 * Where the last read ended: the service documents NextToken only as "absent on the last query",
 * not what a running execution's last page returns. So when a page gave a token, the next read
 * continues from it; when it gave none, the next read asks for the same page again and skips the
 * events (by EventId) already folded. No event is ever folded twice, and at most one page is read
 * again.
 */
export interface HistoryReader {
  /** One request. Throws what the client throws. */
  readPage(limit: number, options?: HistoryCallOptions): Promise<PageRead>
  /**
   * Reads on until NextToken is absent, as `fetchHistory` does; the first page's error is thrown
   * only when nothing had been read before.
   */
  readToEnd(options?: FetchHistoryOptions): Promise<HistoryResult>
  report(execution?: Execution): ExecutionReport
  /** Requests sent and events folded so far. */
  readonly pages: number
  readonly events: number
  /** Events the last request returned (the page a re-read asks for again, when it gave no token). */
  readonly lastPageEvents: number
  /** The last page gave a NextToken (there was more to read). */
  readonly behind: boolean
}

export function createHistoryReader(
  client: HistoryClient,
  target: { flowName: string; executionName: string },
  modelOptions?: ModelOptions
): HistoryReader {
  const model = createHistoryModel(modelOptions)
  const seenTokens = new Set<string>()
  // Where the page to read next starts (undefined: the first page), whether it is a page we have
  // read before (no token came back) and how many events it held; every EventId folded so far.
  let pageStart: string | undefined
  let rereading = false
  let pageEvents = 0
  const folded = new Set<number>()
  let pages = 0
  let events = 0

  // One request at a time: an abandoned read whose answer lands late must not fold beside the
  // next one.
  let busy: Promise<unknown> = Promise.resolve()
  function readPage(limit: number, options: HistoryCallOptions = {}): Promise<PageRead> {
    const read = busy.then(() => readOne(limit, options))
    busy = read.catch(() => undefined)
    return read
  }

  async function readOne(limit: number, options: HistoryCallOptions): Promise<PageRead> {
    const request: HistoryRequest = { ...target, limit: clampLimit(limit) }
    if (pageStart !== undefined) request.nextToken = pageStart
    const page = await client.getExecutionHistory(request, options)
    pages += 1
    const all = Array.isArray(page.Events) ? page.Events : []
    // Events of earlier pages are skipped; a duplicate inside one page is the model's to count.
    // A `null` or a number in place of an event goes to the model, which counts it as odd and
    // folds the rest (docs/hostile-input.md): it must not cost the page.
    const fresh = all.filter((e) => !isObject(e) || !folded.has(e.EventId))
    for (const e of fresh) if (isObject(e)) folded.add(e.EventId)
    pageEvents = all.length
    events += fresh.length
    model.add(fresh)
    const token = page.NextToken
    // A real service may send null; the type says string | undefined.
    const more = typeof token === 'string' && token !== ''
    if (more) {
      if (seenTokens.has(token)) {
        throw new Error(`the service returned NextToken ${JSON.stringify(token)} twice`)
      }
      seenTokens.add(token)
      pageStart = token
      rereading = false
    } else {
      rereading = true
    }
    return { added: fresh.length, more, reread: all.length - fresh.length }
  }

  async function readToEnd(options: FetchHistoryOptions = {}): Promise<HistoryResult> {
    const { deadline, signal, execution } = options
    const limit = options.limit ?? HISTORY_PAGE_LIMIT
    const maxPages = options.maxPages ?? 1000
    const now = options.now ?? Date.now
    const before = pages
    const done = (complete: boolean, error?: unknown): HistoryResult => {
      const result: HistoryResult = { report: model.result(execution), pages, events, complete }
      if (error !== undefined) result.error = error
      return result
    }
    for (;;) {
      const read = pages - before
      if (read >= maxPages) return done(false, new Error(`stopped after ${maxPages} history pages`))
      if (read > 0 && deadline !== undefined && now() >= deadline) {
        return done(false, new Error('deadline reached while reading the execution history'))
      }
      const callOptions: HistoryCallOptions = {}
      if (deadline !== undefined) callOptions.deadline = deadline
      if (signal !== undefined) callOptions.signal = signal
      let page: PageRead
      try {
        page = await readPage(limit, callOptions)
      } catch (error) {
        if (pages === 0 || signal?.aborted === true) throw error
        return done(false, error)
      }
      if (!page.more) return done(true)
    }
  }

  return {
    readPage,
    readToEnd,
    report: (execution) => model.result(execution),
    get pages() {
      return pages
    },
    get events() {
      return events
    },
    get lastPageEvents() {
      return pageEvents
    },
    get behind() {
      return !rereading && pages > 0
    }
  }
}

function clampLimit(limit: number): number {
  return Math.min(999, Math.max(1, Math.floor(limit)))
}

function isObject(e: unknown): e is { EventId: unknown } {
  return typeof e === 'object' && e !== null
}
