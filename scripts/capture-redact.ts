/**
 * What a captured history keeps (see scripts/capture-history.ts): step names, types, ids, links,
 * times, errors and causes, and a distributed Map's MapRunName. Inputs, outputs and anything else
 * in a detail are replaced, and account ids are masked everywhere, so a fixture can be shared in
 * a public issue. A failed Map's failed children are captured the same way, beside their parent.
 */
import type { Execution, HistoryEvent, MapRun } from '../src/fnf/types.js'
import {
  createHistoryModel,
  mapStepsOf,
  withMapRuns,
  type ExecutionReport,
  type MapRunDrill
} from '../src/history/index.js'

/** Detail keys kept as they are (compared without case and underscores). */
const KEPT = new Set([
  'error',
  'errorcode',
  'code',
  'errortype',
  'cause',
  'detail',
  'errormessage',
  'message',
  'branchindex',
  'index',
  'maprunname'
])

export const REDACTED = '[redacted]'

export function maskAccounts(text: string): string {
  // Alibaba Cloud account ids are 16 digits (older ones 12+); ARNs carry them.
  return text.replace(/\d{12,}/g, '<account>')
}

export function redactDetail(detail: string | undefined): string {
  if (detail === undefined || detail.trim() === '') return detail ?? ''
  let value: unknown
  try {
    value = JSON.parse(detail)
  } catch {
    // Not JSON: it may be an error text, or anything; keep only its length.
    return JSON.stringify({ unparsed: `${REDACTED} (${detail.length} chars)` })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return JSON.stringify(REDACTED)
  }
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const k = key.toLowerCase().replaceAll('_', '')
    if (k === 'output') {
      out[key] = mapRunNameOnly(v)
      continue
    }
    if (!KEPT.has(k)) {
      out[key] = REDACTED
      continue
    }
    out[key] =
      typeof v === 'string'
        ? maskAccounts(v)
        : typeof v === 'object'
          ? JSON.parse(maskAccounts(JSON.stringify(v)))
          : v
  }
  return JSON.stringify(out)
}

/**
 * An output keeps nothing but a MapRunName (MapRunStarted's, in whatever spelling it came), as an
 * object or as JSON text like the original; any other output is replaced.
 */
function mapRunNameOnly(output: unknown): unknown {
  const text = typeof output === 'string'
  let value: unknown = output
  if (text) {
    try {
      value = JSON.parse(output)
    } catch {
      return REDACTED
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return REDACTED
  const kept = Object.entries(value).filter(
    ([k, v]) => k.toLowerCase().replaceAll('_', '') === 'maprunname' && typeof v === 'string'
  )
  if (kept.length === 0) return REDACTED
  const only = Object.fromEntries(kept.map(([k, v]) => [k, maskAccounts(v as string)]))
  return text ? JSON.stringify(only) : only
}

export function redactEvent(e: HistoryEvent): HistoryEvent {
  return {
    EventId: e.EventId,
    Type: e.Type,
    StepName: maskAccounts(e.StepName ?? ''),
    Time: e.Time,
    ScheduleEventId: e.ScheduleEventId,
    EventDetail: redactDetail(e.EventDetail)
  }
}

/** The execution fields a replay needs; input, output and the definition are dropped. */
export function redactExecution(e: Execution): Execution {
  const out: Execution = { Name: e.Name, FlowName: e.FlowName, Status: e.Status }
  if (e.StartedTime !== undefined) out.StartedTime = e.StartedTime
  if (e.StoppedTime !== undefined) out.StoppedTime = e.StoppedTime
  return out
}

export interface CapturedHistory {
  /** What this fixture shows, in a sentence (edit it when sending one in). */
  note: string
  execution: Execution
  events: HistoryEvent[]
  /** Its failed distributed Maps: each MapRun and its failed children's histories. */
  mapRuns?: CapturedMapRun[]
  /** What the report should say: as captured, the model's answer; correct it if it is wrong. */
  expected: ExpectedRootCause
}

/** One Map step's MapRun as captured: DescribeMapRun's answer, and failed children, first first. */
export interface CapturedMapRun {
  /** The Map step's path in the parent's tree. */
  step: string
  mapRunName: string
  run?: MapRun
  children: Array<{ execution: Execution; events: HistoryEvent[] }>
}

export interface ExpectedRootCause {
  status: string
  /** Failure: the blamed leaf's path (segments joined with " › "), its error and cause. */
  pathText?: string
  error?: string
  cause?: string
  attempts?: number
}

/** The report as the action gives it: the parent folded, its captured Map children grafted in. */
export function foldCaptured(
  c: Pick<CapturedHistory, 'execution' | 'events' | 'mapRuns'>
): ExecutionReport {
  const report = foldOne(c)
  const drills = (c.mapRuns ?? []).flatMap((m): MapRunDrill[] => {
    const step = mapStepsOf(report).find((s) => s.pathText === m.step)
    if (step === undefined) return []
    return [
      {
        step: { path: step.path, pathText: step.pathText, status: step.status },
        mapRunName: m.mapRunName,
        ...(m.run ? { run: m.run } : {}),
        failed: m.children.map((child) => ({ execution: child.execution, report: foldOne(child) })),
        moreFailed: false,
        notes: []
      }
    ]
  })
  return withMapRuns(report, drills)
}

function foldOne(c: { execution: Execution; events: HistoryEvent[] }): ExecutionReport {
  const model = createHistoryModel()
  model.add(c.events)
  return model.result(c.execution)
}

export function expectedOf(report: ExecutionReport): ExpectedRootCause {
  const out: ExpectedRootCause = { status: report.status }
  const c = report.rootCause
  if (c === undefined) return out
  if (c.kind === 'failure') {
    out.pathText = c.pathText
    out.attempts = c.attempts
  }
  if (c.error !== undefined) out.error = c.error
  if (c.cause !== undefined) out.cause = c.cause
  return out
}
