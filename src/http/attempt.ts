/**
 * One HTTP request, the only place the step sends one: through a dispatcher (proxy-aware by
 * default), bounded in time, ended at once by the caller's abort, its body read up to a cap.
 * Everything that can go wrong comes back as a value; the FnF, STS and GitHub clients decide
 * what it means for them (retry, error, warning).
 */
import type { Dispatcher } from 'undici'
import { sharedDispatcher } from './dispatcher.js'
import { errorMessage } from '../base/error-text.js'
import { REQUEST_TIMEOUT } from './errors.js'
import { BodyTooLargeError, formatBytes, readCapped, RESPONSE_TOO_LARGE } from './response.js'
import { networkCode } from './retry.js'
import { timerDelay } from '../base/timers.js'

export type ResponseHeaders = Dispatcher.ResponseData['headers']

export interface AttemptRequest {
  /** `https://host:port`. */
  origin: string
  /** Path and query, e.g. `/?Action=…`. */
  path: string
  method: 'GET' | 'POST' | 'PUT' | 'PATCH'
  headers: Record<string, string>
  body?: string | undefined
  /** Headers and the whole body must arrive within this, or the attempt is a `timeout`. */
  timeoutMs: number
  /** Bytes of body read at most; past them the connection is dropped (`too-large`). */
  capBytes: number
  /** The caller's: aborting ends the attempt at once (`aborted`), before or while it runs. */
  signal?: AbortSignal | undefined
  /** Default: the shared pool (sharedDispatcher). */
  dispatcher?: Dispatcher | undefined
}

export type AttemptResult =
  { ok: true; status: number; headers: ResponseHeaders; text: string } | AttemptFailure

export type AttemptFailure =
  | { ok: false; kind: 'aborted'; reason: unknown }
  | { ok: false; kind: 'timeout'; timeoutMs: number }
  | { ok: false; kind: 'too-large'; capBytes: number }
  /** `message` is safe text (errorMessage) that may still hold the request's own secrets. */
  | { ok: false; kind: 'network'; code: string; message: string }

export async function sendAttempt(req: AttemptRequest): Promise<AttemptResult> {
  const { signal } = req
  if (signal?.aborted) return { ok: false, kind: 'aborted', reason: signal.reason }
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timerDelay(req.timeoutMs))
  const forwardAbort = (): void => controller.abort()
  signal?.addEventListener('abort', forwardAbort, { once: true })
  try {
    const res = await (req.dispatcher ?? sharedDispatcher()).request({
      origin: req.origin,
      path: req.path,
      method: req.method,
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
      signal: controller.signal,
      // Our timer decides; undici's own limits (300 s by default) only as a far backstop.
      headersTimeout: req.timeoutMs + 1000,
      bodyTimeout: req.timeoutMs + 1000
    })
    const text = await readCapped(res.body, req.capBytes)
    return { ok: true, status: res.statusCode, headers: res.headers, text }
  } catch (error) {
    if (signal?.aborted) return { ok: false, kind: 'aborted', reason: signal.reason }
    if (error instanceof BodyTooLargeError) {
      return { ok: false, kind: 'too-large', capBytes: error.limitBytes }
    }
    if (timedOut) return { ok: false, kind: 'timeout', timeoutMs: req.timeoutMs }
    // No `cause` kept: the raw error could carry a signed URL into a debug dump.
    return { ok: false, kind: 'network', code: networkCode(error), message: errorMessage(error) }
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', forwardAbort)
  }
}

/** A response header's first value. */
export function header(headers: ResponseHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v
}

/**
 * A failed attempt as a service error's status 0, code and detail. `tooLargeFor` ends the
 * too-large sentence (what the service really sends, what to check); `redact` hides the
 * request's own secrets in a network error's text.
 */
export function attemptFailure(
  failure: Exclude<AttemptFailure, { kind: 'aborted' }>,
  tooLargeFor: string,
  redact: (text: string) => string = (text) => text
): { status: 0; code: string; detail: string } {
  switch (failure.kind) {
    case 'too-large':
      return {
        status: 0,
        code: RESPONSE_TOO_LARGE,
        detail: `the answer was larger than ${formatBytes(failure.capBytes)}, ${tooLargeFor}`
      }
    case 'timeout':
      return {
        status: 0,
        code: REQUEST_TIMEOUT,
        detail: `no complete response within ${(failure.timeoutMs / 1000).toFixed(1)}s`
      }
    case 'network':
      return { status: 0, code: failure.code, detail: `network error: ${redact(failure.message)}` }
  }
}
