import * as log from '../base/log.js'
import type { Config } from '../config/inputs.js'
import type { FnfClient } from '../fnf/client.js'
import { isTerminal } from '../fnf/types.js'
import { errorMessage } from '../base/error-text.js'
import { fetchHistory, type HistoryReader } from '../history/fetch.js'
import type { ExecutionReport } from '../history/types.js'
import type { Deadline } from './deadline.js'
import { bySeverity, isUnsuccessful, type Tracked } from './execution-outcome.js'

/**
 * The history is read after the wait, which may have used the whole `timeout`; it gets this much
 * more so a timed-out wait still explains which steps were running.
 */
export const HISTORY_BUDGET_MS = 120_000
/** Histories read at once; the rate limiter paces their pages anyway. */
const HISTORY_CONCURRENCY = 4

export interface HistoriesResult {
  /** The outcomes given, each with its report when its history was read. */
  readonly outcomes: readonly Tracked[]
  /** Cancellation, which stops the reading (the reports read by then are kept). */
  readonly error?: unknown
}

/**
 * `wait: false` looked once and saw it running: it has not failed, and our wait did not give up
 * on it, so `on-failure` does not read its history (`always` does).
 */
function stillRunningAfterOneLook(t: Tracked): boolean {
  return t.state === 'following' && t.execution !== undefined && !isTerminal(t.execution.Status)
}

/**
 * Reads the history where `history` asks for it: always, or for each execution that ended without
 * success or that our wait gave up on (to show what was still running). A history that cannot be
 * read leaves that report out, with a warning: it never changes the step's outcome.
 */
export async function readHistories(
  config: Config,
  client: FnfClient,
  outcomes: readonly Tracked[],
  signal: AbortSignal,
  /** The step's: the reading gets at least HISTORY_BUDGET_MS more. */
  deadline: Deadline,
  /** What live progress read: its reading goes on from there instead of from the start. */
  readers?: ReadonlyMap<string, HistoryReader>
): Promise<HistoriesResult> {
  if (config.history === 'never') return { outcomes }
  // Express executions keep no history: their report is StartSyncExecution's answer.
  const wanted = bySeverity(outcomes).filter(
    (t) =>
      t.execution &&
      !t.express &&
      t.state !== 'abandoned' &&
      (config.history === 'always' || (isUnsuccessful(t) && !stillRunningAfterOneLook(t)))
  )
  const readUntil = deadline.orGrace(HISTORY_BUDGET_MS)
  const reports = new Map<string, ExecutionReport>()
  const queue = [...wanted]
  const worker = async (): Promise<void> => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      try {
        const options = {
          deadline: readUntil,
          signal,
          ...(t.execution ? { execution: t.execution } : {})
        }
        const reader = readers?.get(t.name)
        const history = reader
          ? await reader.readToEnd(options)
          : await fetchHistory(
              client,
              { flowName: config.flowName, executionName: t.name },
              options
            )
        reports.set(t.name, history.report)
        log.info(`Read ${history.events} history events of ${t.name} in ${history.pages} page(s).`)
        if (!history.complete) {
          log.warning(
            `The history of ${t.name} was read only in part: ${errorMessage(history.error)}`
          )
        }
      } catch (error) {
        if (signal.aborted) throw error
        log.warning(`Could not read the history of ${t.name}: ${errorMessage(error)}`)
      }
    }
  }
  let error: unknown
  try {
    await Promise.all(Array.from({ length: Math.min(HISTORY_CONCURRENCY, wanted.length) }, worker))
  } catch (e) {
    error = e
  }
  const read = outcomes.map((t) => {
    const report = reports.get(t.name)
    return report && t.state !== 'not-started' ? { ...t, report } : t
  })
  return error === undefined ? { outcomes: read } : { outcomes: read, error }
}
