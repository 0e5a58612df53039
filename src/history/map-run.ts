/**
 * Distributed Maps in a history, pure: the MapRunName a Map step's `MapRunStarted` event gives (in
 * whichever spelling), the Map steps of a report, and the shapes of what the step learns of each
 * MapRun afterwards (DescribeMapRun, the failed children and their histories), which the report
 * shows and map-graft.ts grafts into the step tree.
 */
import type { Execution, HistoryEvent, MapRun } from '../fnf/types.js'
import { isRecord, parseJsonObject, valueOf } from './detail.js'
import { detach } from './text.js'
import type { MNode } from './tree.js'
import type { ExecutionReport, StepNode, StepStatus } from './types.js'

/**
 * The events a distributed Map writes besides the step events. `MapRunStarted` is named by the
 * API pages (its output holds the MapRunName); `MapRunFailed` is the emulator's reading of the
 * undocumented failure event. Both mark their step as a Map; any other MapRun event stays unknown.
 */
export const MAP_RUN_EVENT_TYPES: ReadonlySet<string> = new Set(['MapRunStarted', 'MapRunFailed'])

/**
 * What DescribeMapRun and ListExecutions take as a MapRunName (the emulator's rule; the API page's
 * example is 32 hex digits). A name outside it is never sent: the request could not succeed.
 */
const MAP_RUN_NAME = /^[A-Za-z0-9_-]{1,128}$/

/**
 * The MapRunName in a MapRunStarted event's detail. The pages say only that it is in the event's
 * output, not under which key, so `MapRunName` is looked for in any letter case and with or
 * without underscores (`mapRunName`, `map_run_name`), in `output` (an object or JSON text) and
 * then at the top of the detail. Undefined when none is there or it breaks the name rule.
 */
export function mapRunNameOf(detail: unknown): string | undefined {
  const top = parseJsonObject(detail)
  if (top === undefined) return undefined
  const output = valueOf(top, 'output')
  const inOutput = isRecord(output) ? output : parseJsonObject(output)
  for (const where of [inOutput, top]) {
    const name = where === undefined ? undefined : valueOf(where, 'maprunname')
    if (typeof name === 'string' && MAP_RUN_NAME.test(name)) return detach(name)
  }
  return undefined
}

/** Folds a MapRun event into its step: the step is a Map; MapRunStarted names its MapRun. */
export function markMapRun(step: MNode, e: HistoryEvent): void {
  step.kind = 'map'
  if (e.Type !== 'MapRunStarted') return
  // A retried Map starts a new MapRun: the last one is the one that decided the step.
  const name = mapRunNameOf(e.EventDetail)
  if (name === undefined) delete step.mapRunName
  else step.mapRunName = name
}

/** Every Map step of the report (one that wrote a MapRun event), in tree order. */
export function mapStepsOf(report: ExecutionReport): StepNode[] {
  const out: StepNode[] = []
  const visit = (nodes: readonly StepNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'map') out.push(n)
      visit(n.children)
    }
  }
  visit(report.steps)
  return out
}

/** One failed child execution of a MapRun, as the listing gave it, and its history when read. */
export interface MapRunChild {
  /** ListExecutions' metadata: name, status, times (made safe by the client). */
  readonly execution: Execution
  /** Its history folded by the same model; absent when it has none or it was not read. */
  readonly report?: ExecutionReport
  /** Why there is no report, or why it is partial. Plain text. */
  readonly note?: string
}

/** What the step learnt of one Map step's MapRun after the wait. */
export interface MapRunDrill {
  /** The Map step in the parent's tree. */
  readonly step: {
    readonly path: readonly string[]
    readonly pathText: string
    readonly status: StepStatus
  }
  /** Absent when the history gave none (the report says so and stays at the Map step). */
  readonly mapRunName?: string
  /** DescribeMapRun's answer, when it could be read. */
  readonly run?: MapRun
  /**
   * Failed (and timed-out) children, the first to fail first; only the first few have a report.
   * Empty when the listing was not read.
   */
  readonly failed: readonly MapRunChild[]
  /** The listing held more failed children than `failed` (its first page was full). */
  readonly moreFailed: boolean
  /** What is missing and why (no MapRunName, a permission, an error). Plain text. */
  readonly notes: readonly string[]
}
