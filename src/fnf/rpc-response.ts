/**
 * What one FnF RPC attempt came back with: the JSON object of a success, or an FnfError with its
 * hint, whether a retry may help, how long the server asked us to wait, and the server's clock.
 * Pure, given the time.
 */
import {
  attemptFailure,
  header,
  type AttemptResult,
  type ResponseHeaders
} from '../http/attempt.js'
import { INVALID_RESPONSE } from '../http/errors.js'
import { bodyExcerpt, parseObject, stringField, type JsonObject } from '../http/response.js'
import { isRetryableFailure, isRetryableRefusal, type Failed } from '../http/retry.js'
import { FnfError, hintFor } from './errors.js'
import type { RpcCall } from './rpc-request.js'
import { percentEncode } from './signer.js'
import type { Credentials } from './types.js'

/** A Retry-After beyond this is treated as this, so a bogus header cannot park the job. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000

export interface RpcFailure extends Failed<FnfError> {
  /** The server's clock (its Date header), to repair a skewed one. */
  serverTimeMs?: number
}
export type RpcOutcome = { ok: true; value: JsonObject } | RpcFailure

export interface RpcReading {
  call: RpcCall
  /** Base URL, named in hints so a wrong region shows. */
  endpoint: string
  now: number
  /** Hides the attempt's own secrets (redactor). */
  redact: (text: string) => string
}

/** An attempt the caller did not abort, as a value the retry loop reads. */
export function readRpcResult(
  result: Exclude<AttemptResult, { kind: 'aborted' }>,
  r: RpcReading
): RpcOutcome {
  if (!result.ok) {
    const tooLarge = `more than the service sends for ${r.call.action}; the request was aborted (a proxy or endpoint that is not the FnF API?)`
    return rpcFailure(r, attemptFailure(result, tooLarge, r.redact))
  }
  const { status, headers, text } = result
  const headerRequestId = header(headers, 'x-acs-request-id')
  const json = parseObject(text)
  if (json === undefined) {
    return rpcFailure(r, {
      status,
      code: INVALID_RESPONSE,
      detail: `expected a JSON object, got ${bodyExcerpt(r.redact(text))}`,
      requestId: headerRequestId
    })
  }
  if (status >= 200 && status <= 299) return { ok: true, value: json }

  const outcome = rpcFailure(r, {
    status,
    code: stringField(json, 'Code', 'code') ?? `HTTP${status}`,
    detail: r.redact(stringField(json, 'Message', 'message') ?? ''),
    requestId: stringField(json, 'RequestId', 'requestId') ?? headerRequestId
  })
  const retryAfterMs = retryAfter(headers, r.now)
  if (retryAfterMs !== undefined) outcome.retryAfterMs = Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)
  const date = Date.parse(header(headers, 'date') ?? '')
  if (Number.isFinite(date)) outcome.serverTimeMs = date
  return outcome
}

function rpcFailure(
  r: RpcReading,
  f: { status: number; code: string; detail: string; requestId?: string | undefined }
): RpcFailure {
  const { action, context } = r.call
  const hint = hintFor(f.code, { action, endpoint: r.endpoint, ...context })
  const error = new FnfError({
    action,
    ...f,
    ...(hint === undefined ? {} : { hint }),
    retryable:
      r.call.idempotent === false
        ? isRetryableRefusal(f.status, f.code)
        : isRetryableFailure(f.status, f.code)
  })
  return { ok: false, error }
}

/**
 * Replaces the secret and token, raw and percent-encoded once or twice, with `***`. The
 * service's SignatureNotMatch message and proxy error pages can echo the signed query.
 */
export function redactor(creds: Credentials): (text: string) => string {
  const found = new Set<string>()
  for (const secret of [creds.accessKeySecret, creds.securityToken]) {
    if (!secret) continue
    found.add(secret)
    try {
      const once = percentEncode(secret)
      found.add(once)
      found.add(percentEncode(once))
      found.add(encodeURIComponent(secret))
    } catch {
      // A lone surrogate cannot be encoded; signing will already have failed.
    }
  }
  // Longest first so a secret contained in another is not left half-masked.
  const secrets = [...found].sort((a, b) => b.length - a.length)
  return (text) => secrets.reduce((t, s) => t.split(s).join('***'), text)
}

/** `x-acs-retry-after` is in milliseconds (Alibaba SDKs); `Retry-After` in seconds or a date. */
function retryAfter(headers: ResponseHeaders, now: number): number | undefined {
  const acs = Number(header(headers, 'x-acs-retry-after'))
  if (Number.isFinite(acs) && acs > 0) return acs
  const std = header(headers, 'retry-after')?.trim()
  if (!std) return undefined
  if (/^\d+$/.test(std)) return Number(std) * 1000
  const at = Date.parse(std)
  return Number.isFinite(at) && at > now ? at - now : undefined
}
