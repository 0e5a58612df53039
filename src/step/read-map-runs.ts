/**
 * After the wait, the step looks into each distributed Map its executions ran: the MapRun's status
 * and item counts (DescribeMapRun), its failed children (ListExecutions by MapRunName, metadata
 * only) and the histories of the first few of them, each folded by the same model as the parent's.
 * What it finds is a value per Map step (history/map-run.ts's MapRunDrill); the view grafts the
 * failed children into the parent's report (history/map-graft.ts), so the blame names the item
 * that failed and why.
 *
 * Bounded: at most MAP_RUNS_READ MapRuns for the whole step and CHILD_HISTORIES children each, all
 * inside the history budget's deadline and paced by the client's rate limiter. Nothing here
 * changes whether the step fails: every problem is a note in the report (or, for a RAM policy
 * without an action, one warning; see map-run-calls.ts).
 */
import * as log from '../base/log.js'
import type { Config } from '../config/inputs.js'
import { FnfError } from '../fnf/errors.js'
import type { Execution } from '../fnf/types.js'
import { errorMessage } from '../base/error-text.js'
import { safeForSink } from '../base/wire-text.js'
import { fetchHistory, type HistoryClient, type HistoryReader } from '../history/fetch.js'
import { mapStepsOf, type MapRunChild, type MapRunDrill } from '../history/map-run.js'
import type { ExecutionReport, StepNode } from '../history/types.js'
import type { Deadline } from './deadline.js'
import { bySeverity, type Tracked } from './execution-outcome.js'
import type { LookOptions, MapRunCalls } from './map-run-calls.js'
import { HISTORY_BUDGET_MS, type HistoriesResult } from './read-histories.js'

/** MapRuns looked into after the wait, over all the step's executions, worst execution first. */
export const MAP_RUNS_READ = 5
/** Failed children whose history is read, per MapRun (the others are named only). */
export const CHILD_HISTORIES = 3
/** History pages read per child: 2,000 events, far more than an item's flow usually writes. */
const CHILD_PAGES = 20
/** What a child's name may hold to be asked for (names the service could have generated). */
const CHILD_NAME = /^[A-Za-z0-9_:-]{1,128}$/

export interface ReadMapRunsParams {
  config: Config
  calls: MapRunCalls
  client: HistoryClient
  outcomes: readonly Tracked[]
  /** Cancellation: stops the reading, and what was read by then is kept. */
  signal: AbortSignal
  /** The step's: the reading ends where the histories' does, HISTORY_BUDGET_MS past it at least. */
  deadline: Deadline
  /**
   * What live progress read of each history: where the history was not read after the wait (a
   * success under `history: on-failure`), progress may still have seen the Map start.
   */
  readers?: ReadonlyMap<string, HistoryReader>
}

/**
 * The outcomes, each with what was read of its Maps' MapRuns (when it ran any); with the error
 * that stopped the reading (a cancel), what was read by then.
 */
export async function readMapRuns(params: ReadMapRunsParams): Promise<HistoriesResult> {
  const { outcomes, readers } = params
  if (params.config.history === 'never') return { outcomes }
  const reading: Reading = {
    ...params,
    until: params.deadline.orGrace(HISTORY_BUDGET_MS)
  }
  const drills = new Map<string, MapRunDrill[]>()
  let left = MAP_RUNS_READ
  let error: unknown
  try {
    for (const t of bySeverity(outcomes)) {
      if (left === 0) break
      if (t.execution === undefined) continue
      // Progress's reading as it last stood: its steps as the history then showed them.
      const report = t.report ?? readers?.get(t.name)?.report()
      if (report === undefined) continue
      const steps = mapStepsOf(report).slice(0, left)
      left -= steps.length
      const read: MapRunDrill[] = []
      drills.set(t.name, read)
      for (const step of steps) read.push(await drillInto(reading, t.name, step))
    }
  } catch (e) {
    error = e
  }
  const read = outcomes.map((t) => {
    const mapRuns = drills.get(t.name)
    return mapRuns && mapRuns.length > 0 && t.state !== 'not-started' ? { ...t, mapRuns } : t
  })
  return error === undefined ? { outcomes: read } : { outcomes: read, error }
}

interface Reading extends ReadMapRunsParams {
  /** Epoch ms: no request of the reading starts past it. */
  until: number
}

/** One Map step: its MapRun, its failed children, the first few children's histories. */
async function drillInto(
  params: Reading,
  executionName: string,
  step: StepNode
): Promise<MapRunDrill> {
  const base = { step: { path: step.path, pathText: step.pathText, status: step.status } }
  const name = step.mapRunName
  if (name === undefined) {
    return {
      ...base,
      failed: [],
      moreFailed: false,
      notes: [
        'Its MapRunStarted event gives no MapRunName this action can read, so its items are ' +
          'not shown; the report stays at the Map step.'
      ]
    }
  }
  const options: LookOptions = { deadline: params.until, signal: params.signal }
  const notes: string[] = []
  const described = await params.calls.describe(executionName, name, options)
  if (!described.ok) notes.push(`No item counts: ${described.note}.`)
  const run = described.ok ? described.value : undefined
  // Nothing failed, as far as the counts say: no listing to read.
  if (run?.ItemCounts?.Failed === 0) {
    return { ...base, mapRunName: name, run, failed: [], moreFailed: false, notes }
  }
  const listed = await params.calls.failedChildren(name, options, run?.ItemCounts?.Failed)
  if (!listed.ok) notes.push(`Failed items not read: ${listed.note}.`)
  const executions = listed.ok ? listed.value.executions : []
  const failed: MapRunChild[] = []
  for (const [i, execution] of executions.entries()) {
    failed.push(i < CHILD_HISTORIES ? await readChild(params, execution) : { execution })
  }
  const histories = failed.filter((c) => c.report !== undefined).length
  log.info(
    safeForSink(
      `Distributed Map ${step.pathText} of ${executionName}: MapRun ${name} ` +
        `${run?.Status ?? '(not described)'}; failed items listed: ${failed.length}, ` +
        `their histories read: ${histories}.`
    )
  )
  return {
    ...base,
    mapRunName: name,
    ...(run ? { run } : {}),
    failed,
    moreFailed: listed.ok && listed.value.more,
    notes
  }
}

/** A failed child's history, folded; or why it has none. */
async function readChild(params: Reading, execution: Execution): Promise<MapRunChild> {
  const name = execution.Name
  if (!CHILD_NAME.test(name)) {
    return { execution, note: 'its name is not one the API takes, so its history was not read' }
  }
  try {
    const history = await fetchHistory(
      params.client,
      { flowName: params.config.flowName, executionName: name },
      {
        deadline: params.until,
        signal: params.signal,
        execution,
        maxPages: CHILD_PAGES
      }
    )
    if (history.events === 0) {
      return { execution, note: 'no history: a child in express mode keeps none' }
    }
    const report: ExecutionReport = history.report
    if (history.complete) return { execution, report }
    return { execution, report, note: `history read in part: ${errorMessage(history.error)}` }
  } catch (error) {
    if (params.signal.aborted) throw error
    if (error instanceof FnfError && error.code === 'ExecutionNotExists') {
      return {
        execution,
        note: 'no history: the API does not find it, as with an express child'
      }
    }
    return { execution, note: `its history could not be read: ${errorMessage(error)}` }
  }
}
