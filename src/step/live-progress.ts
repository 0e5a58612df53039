/**
 * Live progress while waiting: for each followed execution (the first few), one history page a
 * minute, read beside the long poll and never awaited by it, and a log line when the running
 * steps change or a failure was caught. What it read is handed to the failure report, which then
 * reads only what is new.
 *
 * Cost: at most one GetExecutionHistory request per interval per execution covered (60 per hour
 * each at the default minute). GetExecutionHistory has its own rate-limit bucket, separate from
 * DescribeExecution's, so these reads can never delay a long poll.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import * as log from '../base/log.js'
import type { FnfClient } from '../fnf/client.js'
import { FnfError, isDenied } from '../fnf/errors.js'
import { createHistoryReader, type HistoryReader } from '../history/fetch.js'
import { caughtFailures, runningLine } from '../report/running-steps.js'
import type { MapRunCalls } from './map-run-calls.js'
import { mapProgress } from './map-progress.js'

/** The product's interval: one history read per minute per execution. */
export const PROGRESS_INTERVAL_MS = 60_000
/** Executions covered; the others are followed without progress. */
export const PROGRESS_EXECUTIONS = 10
/** Events asked for while catching up (a page that gave a NextToken). */
const CATCH_UP_LIMIT = 999
/** Events asked for at the end of the history, so the page read again stays small. */
const TAIL_LIMIT = 100

export interface ProgressParams {
  client: Pick<FnfClient, 'getExecutionHistory'>
  flowName: string
  /** Executions in the order given; the first `max` are covered. */
  names: readonly string[]
  /** Lines name the execution when the step follows several. */
  labelled: boolean
  info: (line: string) => void
  warning: (line: string) => void
  intervalMs?: number
  max?: number
  now?: () => number
  /** Resolves after `ms`, rejects when `signal` aborts (tests pass a fake clock's). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  /** Failures and why a read was skipped, for debug logs. */
  debug?: (line: string) => void
  /** With these, a running distributed Map's item counts are logged too (map-progress.ts). */
  mapRuns?: MapRunCalls
}

export interface Progress {
  /** The execution ended: no more reads of it (an in-flight one is abandoned). */
  stop(name: string): void
  /** The wait ended: stops every loop and resolves once none is reading. */
  close(): Promise<void>
  /** What progress read of each execution, for the failure report to go on from. */
  readonly readers: ReadonlyMap<string, HistoryReader>
}

/**
 * The limit for the next read. While behind (the last page gave a NextToken): a whole page. At the
 * end of the history the last page is asked for again, so it must stay small: TAIL_LIMIT, which
 * makes the service hand out a token once a page fills. A last page longer than that (the end of
 * a catch-up) is asked for once more minus its last event, so the service hands out a token right
 * before the end and every re-read after it is small.
 */
export function nextLimit(reader: HistoryReader): number {
  if (reader.pages === 0 || reader.behind) return CATCH_UP_LIMIT
  return reader.lastPageEvents > TAIL_LIMIT ? reader.lastPageEvents - 1 : TAIL_LIMIT
}

export function startProgress(params: ProgressParams): Progress {
  const intervalMs = Math.max(1, params.intervalMs ?? PROGRESS_INTERVAL_MS)
  const now = params.now ?? Date.now
  const debug = params.debug ?? (() => {})
  const pause =
    params.sleep ??
    ((ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal, ref: false }))
  const readers = new Map<string, HistoryReader>()
  const stops = new Map<string, AbortController>()
  const loops: Array<Promise<void>> = []
  let off = false

  const stopAll = (): void => {
    off = true
    for (const c of stops.values()) c.abort()
  }

  const follow = async (name: string, signal: AbortSignal): Promise<void> => {
    const target = { flowName: params.flowName, executionName: name }
    const reader = createHistoryReader(params.client, target)
    readers.set(name, reader)
    const label = params.labelled ? `[${name}] ` : ''
    let lastKey: string | undefined
    const caught = new Set<number>()
    const maps = params.mapRuns ? mapProgress(params.mapRuns, name) : undefined
    // The first read after one interval: a short wait costs nothing, and the long poll's own
    // status lines cover its first minute.
    let startedAt = now()
    for (;;) {
      try {
        await pause(Math.max(0, startedAt + intervalMs - now()), signal)
      } catch {
        return
      }
      if (signal.aborted || off) return
      startedAt = now()
      try {
        // A read is worth nothing after the next one is due: retries stop there.
        await reader.readPage(nextLimit(reader), { signal, deadline: startedAt + intervalMs })
        const report = reader.report()
        // In the order they happened: what failed and was caught, then what runs now.
        for (const c of caughtFailures(report)) {
          if (caught.has(c.id)) continue
          caught.add(c.id)
          params.info(label + c.text)
        }
        const line = runningLine(report, now())
        if (line.key !== lastKey && (line.text !== undefined || lastKey !== undefined)) {
          params.info(label + (line.text ?? 'Running: no step right now'))
        }
        lastKey = line.key
        const options = { signal, deadline: startedAt + intervalMs }
        for (const mapLine of (await maps?.lines(report, options)) ?? []) {
          params.info(label + mapLine)
        }
      } catch (error) {
        if (signal.aborted || off) return
        if (isDenied(error)) {
          params.warning(
            `Live progress is off: the credentials may not call fnf:GetExecutionHistory ` +
              `(${(error as FnfError).code}). Allow that action in the RAM policy to see running ` +
              'steps and failure details; the wait goes on.'
          )
          stopAll()
          return
        }
        if (error instanceof FnfError && error.code === 'ExecutionNotExists') return
        debug(`progress of ${name}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }

  for (const name of params.names.slice(0, params.max ?? PROGRESS_EXECUTIONS)) {
    const controller = new AbortController()
    stops.set(name, controller)
    loops.push(follow(name, controller.signal))
  }

  return {
    stop(name) {
      stops.get(name)?.abort()
    },
    async close() {
      stopAll()
      await Promise.all(loops)
    },
    readers
  }
}

/**
 * Progress for the step's executions, logging through @actions/core. The interval is a minute
 * unless the tests' knob (Config.progressIntervalMs) shortens it on the same code path.
 */
export function startWaitProgress(
  client: Pick<FnfClient, 'getExecutionHistory'>,
  flowName: string,
  followed: ReadonlyArray<{ name: string }>,
  readers: Map<string, HistoryReader>,
  intervalMs?: number,
  mapRuns?: MapRunCalls
): Progress {
  const progress = startProgress({
    client,
    flowName,
    names: followed.map((t) => t.name),
    labelled: followed.length > 1,
    info: (line) => log.info(line),
    warning: (line) => log.warning(line),
    debug: (line) => log.debug(line),
    ...(intervalMs !== undefined ? { intervalMs } : {}),
    ...(mapRuns !== undefined ? { mapRuns } : {})
  })
  for (const [name, reader] of progress.readers) readers.set(name, reader)
  if (followed.length > PROGRESS_EXECUTIONS) {
    log.info(
      `Live progress covers the first ${PROGRESS_EXECUTIONS} of ${followed.length} executions.`
    )
  }
  return progress
}
