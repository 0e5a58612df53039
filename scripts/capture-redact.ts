/**
 * What a captured history keeps (see scripts/capture-history.ts): step names, types, ids, links,
 * times, errors and causes, and a distributed Map's MapRunName. Inputs, outputs and anything else
 * in a detail are replaced; account ids are masked, and every credential the capture can recognise
 * (the capturing user's own, in any encoding, and anything shaped like an AccessKey ID, an STS
 * token or a signed URL's signature) is redacted in every field of every event, so a fixture can
 * be shared in a public issue. Recognised is not all: a fixture is still read before it is shared.
 * A failed Map's failed children are captured the same way, beside their parent (capture.ts).
 */
import type { Execution, HistoryEvent, MapRun } from '../src/fnf/types.js'
import {
  createHistoryModel,
  mapStepsOf,
  withMapRuns,
  type ExecutionReport,
  type MapRunDrill
} from '../src/history/index.js'
import { redactSecrets, registerSecret } from '../src/base/secrets.js'
import { jsonDepth } from '../src/config/json-depth.js'

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
  // Bounded by non-alphanumerics: a run of digits inside a hex name (a MapRunName) is no account.
  return text.replace(/(?<![A-Za-z0-9])\d{12,}(?![A-Za-z0-9])/g, '<account>')
}

/**
 * The capturing user's own AccessKey ID, secret and STS token: redacted in every encoding the
 * action's registry knows (raw, percent-encoded once or twice, HTML entities, JSON escapes,
 * base64 at each alignment, `+` read as a space) wherever they appear in what is kept.
 */
export function redactOwnCredentials(...values: Array<string | undefined>): void {
  for (const value of values) registerSecret(value)
}

/**
 * Credentials recognised by their shape, whoever they belong to: an AccessKey ID (`LTAI…`), an
 * STS AccessKey ID (`STS.…`), an STS SecurityToken (`CAIS…`, base64 of its protobuf), and a
 * signed URL's `Signature` / `SecurityToken` / `AccessKeySecret` values (secrets.ts, in any
 * encoding of the `=`). Percent-encoded base64 (`%2B`, `%2F`, `%3D`) counts as part of a token.
 */
const CREDENTIAL_SHAPES: readonly RegExp[] = [
  /(?<![A-Za-z0-9])LTAI[A-Za-z0-9]{8,40}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9])STS\.[A-Za-z0-9]{8,60}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9])CAIS(?:[A-Za-z0-9+/_-]|%2[BbFf]|%3[Dd]|=){16,}/g,
  // OSS's spelling of a signed URL's token.
  /(?<=(?:security-token)(?:=|%3[Dd]))[^&\s"'<>;,]+/gi
]

/** A JSON object or array in a string, unless too deep to walk safely. */
function jsonContainer(text: string): object | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && jsonDepth(value, 64) <= 64
      ? value
      : undefined
  } catch {
    return undefined
  }
}

/** A key under which any value is a credential, whatever it looks like. */
const CREDENTIAL_KEY = /secret|token|password|passwd|signature|credential|accesskey|authorization/i

/** Text with every credential it can recognise replaced (see CREDENTIAL_SHAPES, redactOwnCredentials). */
export function redactCredentials(text: string): string {
  let out = redactSecrets(text)
  for (const shape of CREDENTIAL_SHAPES) out = out.replace(shape, REDACTED)
  return maskAccounts(out)
}

/**
 * Every string in a JSON value redacted, at any depth; a value under a credential-like key
 * (`AccessKeySecret`, `SecurityToken`, `Authorization`, …) replaced whole, object or not.
 */
export function redactValue(value: unknown): unknown {
  if (typeof value === 'string') {
    // A cause is often JSON sent as a string (an FC payload): its keys count as keys, and its
    // escapes are undone before the text is searched.
    const nested = jsonContainer(value)
    return nested === undefined ? redactCredentials(value) : JSON.stringify(redactValue(nested))
  }
  if (Array.isArray(value)) return value.map(redactValue)
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) {
      out[redactCredentials(key)] = CREDENTIAL_KEY.test(key) ? REDACTED : redactValue(v)
    }
    return out
  }
  return value
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
      out[redactCredentials(key)] = REDACTED
      continue
    }
    // A kept field's text (an error, a cause, a message), and every string nested in it.
    out[key] = CREDENTIAL_KEY.test(key) ? REDACTED : redactValue(v)
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
  const only = Object.fromEntries(kept.map(([k, v]) => [k, redactCredentials(v as string)]))
  return text ? JSON.stringify(only) : only
}

/** Every field of the event: a step name or a time can carry a credential as well as a cause. */
export function redactEvent(e: HistoryEvent): HistoryEvent {
  const text = (v: string | undefined): string => redactCredentials(v ?? '')
  return {
    EventId: e.EventId,
    Type: text(e.Type),
    StepName: text(e.StepName),
    Time: text(e.Time),
    ScheduleEventId: e.ScheduleEventId,
    EventDetail: redactDetail(e.EventDetail)
  }
}

/** The execution fields a replay needs; input, output and the definition are dropped. */
export function redactExecution(e: Execution): Execution {
  const out: Execution = {
    Name: redactCredentials(e.Name),
    FlowName: redactCredentials(e.FlowName),
    Status: e.Status
  }
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
