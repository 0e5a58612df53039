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
  const { deadline, signal, execution } = options
  const limit = Math.min(999, Math.max(1, Math.floor(options.limit ?? HISTORY_PAGE_LIMIT)))
  const maxPages = options.maxPages ?? 1000
  const now = options.now ?? Date.now
  const model = createHistoryModel(options.model)
  const seenTokens = new Set<string>()
  let pages = 0
  let events = 0
  let nextToken: string | undefined
  const done = (complete: boolean, error?: unknown): HistoryResult => {
    const result: HistoryResult = { report: model.result(execution), pages, events, complete }
    if (error !== undefined) result.error = error
    return result
  }

  for (;;) {
    if (pages >= maxPages) return done(false, new Error(`stopped after ${maxPages} history pages`))
    if (pages > 0 && deadline !== undefined && now() >= deadline) {
      return done(false, new Error('deadline reached while reading the execution history'))
    }
    const request: HistoryRequest = { ...target, limit }
    if (nextToken !== undefined) request.nextToken = nextToken
    const callOptions: HistoryCallOptions = {}
    if (deadline !== undefined) callOptions.deadline = deadline
    if (signal !== undefined) callOptions.signal = signal
    let page: HistoryPage
    try {
      page = await client.getExecutionHistory(request, callOptions)
    } catch (error) {
      if (pages === 0 || signal?.aborted === true) throw error
      return done(false, error)
    }
    pages += 1
    const pageEvents = Array.isArray(page.Events) ? page.Events : []
    events += pageEvents.length
    model.add(pageEvents)
    const token = page.NextToken
    // A real service may send null; the type says string | undefined.
    if (typeof token !== 'string' || token === '') return done(true)
    if (seenTokens.has(token)) {
      return done(false, new Error(`the service returned NextToken ${JSON.stringify(token)} twice`))
    }
    seenTokens.add(token)
    nextToken = token
  }
}
