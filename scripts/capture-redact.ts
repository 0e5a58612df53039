/**
 * What a captured history keeps (see scripts/capture-history.ts): step names, types, ids, links,
 * times, errors and causes. Inputs, outputs and anything else in a detail are replaced, and
 * account ids are masked everywhere, so a fixture can be shared in a public issue.
 */
import type { Execution, HistoryEvent } from '../src/fnf/types.js'
import { createHistoryModel, type ExecutionReport } from '../src/history/index.js'

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
  'index'
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
  /** What the report should say: as captured, the model's answer; correct it if it is wrong. */
  expected: ExpectedRootCause
}

export interface ExpectedRootCause {
  status: string
  /** Failure: the blamed leaf's path (segments joined with " › "), its error and cause. */
  pathText?: string
  error?: string
  cause?: string
  attempts?: number
}

export function foldCaptured(c: Pick<CapturedHistory, 'execution' | 'events'>): ExecutionReport {
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
