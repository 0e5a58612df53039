/**
 * Reads `EventDetail` strings. The API documents no failure sample, so every field is optional and
 * every shape is tolerated: the result is what could be found, never an exception.
 */
import { redactSecrets } from '../base/secrets.js'
import { keep } from './text.js'

export interface DetailLimits {
  /** Max chars kept for an error name/code. */
  error: number
  /** Max chars kept for a cause and for the raw fallback. */
  cause: number
}

export const DEFAULT_DETAIL_LIMITS: DetailLimits = { error: 512, cause: 4096 }

export interface ErrorDetail {
  /** Whether the detail parsed as JSON (`false` also for an empty detail). */
  json: boolean
  error?: string
  /** The readable cause: the message out of a JSON cause payload, or the cause itself. */
  cause?: string
  /** The original cause, kept only when `cause` was extracted from a JSON payload. */
  causeRaw?: string
  /** `errorType` (or similar) from a JSON cause payload, e.g. a Function Compute error type. */
  causeType?: string
  /**
   * The detail itself (truncated) when it held no error or cause we could find, so a failure never
   * shows up empty: a non-JSON detail, or JSON with unfamiliar field names.
   */
  raw?: string
}

// Looked up in this order, whatever their case (`Error`, `ERROR_CODE`…): the service's own
// spelling (`error`/`cause`) first, then CloudFlow `Fail` states (`Code`/`Detail`), then Function
// Compute errors (`errorType`/`errorMessage`).
const ERROR_KEYS = ['error', 'errorcode', 'code', 'errortype'] as const
const CAUSE_KEYS = ['cause', 'detail', 'errormessage', 'message'] as const
const MESSAGE_KEYS = ['errormessage', 'message', 'cause', 'detail'] as const
const TYPE_KEYS = ['errortype', 'errorcode', 'code', 'type'] as const

/** The error fields a node, an attempt, a cause or the report carry. */
export interface ErrorFields {
  error?: string
  cause?: string
  causeRaw?: string
  causeType?: string
}

/** Copies the error fields that are set (the report never holds `undefined` values). */
export function copyError(target: ErrorFields, source: ErrorFields): void {
  if (source.error !== undefined) target.error = source.error
  if (source.cause !== undefined) target.cause = source.cause
  if (source.causeRaw !== undefined) target.causeRaw = source.causeRaw
  if (source.causeType !== undefined) target.causeType = source.causeType
}

/**
 * Deeper JSON is read as text, not parsed: JSON.parse copes, but every later walk of the value
 * (JSON.stringify included) recurses, and a cause nested 100,000 deep would overflow the stack.
 */
export const MAX_JSON_DEPTH = 64

/**
 * Parses a JSON object, or returns undefined for anything else (invalid JSON, arrays, scalars, a
 * non-string, nesting deeper than MAX_JSON_DEPTH).
 */
export function parseJsonObject(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined
  const trimmed = text.trim()
  if (!trimmed.startsWith('{') || deeperThan(trimmed, MAX_JSON_DEPTH)) return undefined
  try {
    const value: unknown = JSON.parse(trimmed)
    return isRecord(value) ? value : undefined
  } catch {
    return undefined
  }
}

/** Extracts error/cause from an event detail (failures, stops, timeouts). */
export function parseErrorDetail(
  detail: string | undefined,
  limits: DetailLimits = DEFAULT_DETAIL_LIMITS
): ErrorDetail {
  // The API says string; an object (or anything else) sent instead is read as its JSON text.
  // Redacted as it enters, before anything is cut: half a secret would survive a later redaction.
  const text = redactSecrets(typeof detail === 'string' ? detail : detailText(detail))
  const obj = parseJsonObject(text)
  if (obj === undefined) {
    return text.trim() === '' ? { json: false } : { json: false, raw: keep(text, limits.cause) }
  }
  let error = pickString(obj, ERROR_KEYS, 'skip')
  let cause = pickString(obj, CAUSE_KEYS)
  // `{"error": {"code": …, "message": …}}`: some services nest the pair.
  const nested = firstRecord(obj, ERROR_KEYS)
  if (nested !== undefined) {
    error = pickString(nested, TYPE_KEYS) ?? error
    cause ??= pickString(nested, MESSAGE_KEYS)
    if (error === undefined && cause === undefined) cause = detailText(nested)
  }
  const out: ErrorDetail = { json: true }
  if (error !== undefined) out.error = keep(error, limits.error)
  if (cause !== undefined) Object.assign(out, readCause(cause, limits))
  if (error === undefined && cause === undefined && text.trim() !== '{}') {
    out.raw = keep(text, limits.cause)
  }
  return out
}

/**
 * A cause may itself be JSON, e.g. a Function Compute error payload
 * `{"errorMessage":"…","errorType":"…","stackTrace":[…]}`: show its message, keep the raw text.
 */
export function readCause(
  cause: string,
  limits: DetailLimits = DEFAULT_DETAIL_LIMITS
): Pick<ErrorDetail, 'cause' | 'causeRaw' | 'causeType'> {
  const payload = parseJsonObject(cause)
  const message = payload && pickString(payload, MESSAGE_KEYS)
  if (payload === undefined || message === undefined) return { cause: keep(cause, limits.cause) }
  const out: Pick<ErrorDetail, 'cause' | 'causeRaw' | 'causeType'> = {
    cause: keep(message, limits.cause),
    causeRaw: keep(cause, limits.cause)
  }
  const type = pickString(payload, TYPE_KEYS)
  if (type !== undefined) out.causeType = keep(type, limits.error)
  return out
}

/**
 * Reads one small integer field (`branchIndex`, `index`) without parsing details that are large:
 * Branch/Iteration details are tiny, but a hostile or unusual one should not cost a 32 KiB parse.
 */
export function readIndex(detail: string | undefined, keys: readonly string[]): number | undefined {
  if (typeof detail !== 'string') return undefined
  if (detail.length <= 4096) {
    const obj = parseJsonObject(detail)
    if (obj === undefined) return undefined
    for (const key of keys) {
      const value = obj[key]
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
      if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n
    }
    return undefined
  }
  for (const key of keys) {
    const match = new RegExp(`"${key}"\\s*:\\s*"?(\\d{1,9})`).exec(detail.slice(0, 4096))
    if (match?.[1] !== undefined) return Number(match[1])
  }
  return undefined
}

/**
 * The first non-empty value under `keys`, as a string. Objects and arrays are JSON-encoded, so a
 * structured cause reads as JSON rather than "[object Object]"; `nested: 'skip'` leaves objects to
 * the caller (an `error` object is read field by field instead).
 */
function pickString(
  obj: Record<string, unknown>,
  keys: readonly string[],
  nested: 'json' | 'skip' = 'json'
): string | undefined {
  for (const key of keys) {
    const value = valueOf(obj, key)
    if (value === undefined || value === null || value === '') continue
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    if (isRecord(value) && nested === 'skip') continue
    if (typeof value === 'object') return detailText(value)
  }
  return undefined
}

/** JSON text of a value that came from the wire; never throws (cycles cannot occur, depth can). */
function detailText(value: unknown): string {
  if (value === undefined || value === null) return ''
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Whether JSON text nests objects/arrays deeper than `max` (strings skipped). One pass, no parse. */
function deeperThan(text: string, max: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return false
}

/** The value under `key` (lower case, no underscores) in any spelling: `Error`, `error_code`. */
export function valueOf(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key]
  for (const k of Object.keys(obj)) {
    if (k.toLowerCase().replaceAll('_', '') === key) return obj[k]
  }
  return undefined
}

function firstRecord(
  obj: Record<string, unknown>,
  keys: readonly string[]
): Record<string, unknown> | undefined {
  for (const key of keys) {
    const value = valueOf(obj, key)
    if (isRecord(value)) return value
  }
  return undefined
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
