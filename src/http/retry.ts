/** Which failures are worth another attempt, and how long to wait before it. Pure. */
import { REQUEST_TIMEOUT, type ServiceError } from './errors.js'

/** Errors that say nothing about the request itself: the same request may well succeed later. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  REQUEST_TIMEOUT
])

/**
 * Retry 429, 5xx and transient network failures. Other 4xx never, with two exceptions that are a
 * 429 or a 5xx in spirit: the Alibaba API gateway reports throttling as HTTP 400 `Throttling.*`,
 * and FnF's StopExecution documents 409 `ConcurrentUpdateError` as "Update conflict, please retry."
 */
export function isRetryableFailure(status: number, code: string): boolean {
  if (status === 0) return RETRYABLE_NETWORK_CODES.has(code)
  if (isThrottled(status, code) || (status >= 500 && status <= 599)) return true
  return status === 409 && code === 'ConcurrentUpdateError'
}

/** A 429, or the gateway's HTTP 400 `Throttling.*`: refused before anything was done. */
function isThrottled(status: number, code: string): boolean {
  return status === 429 || (status === 400 && code.startsWith('Throttling'))
}

/** Connection failures that come before anything is sent: the request never reached a server. */
const UNSENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT'
])

/**
 * For a request that must not act twice: only a refusal that surely did nothing is worth another
 * attempt (a throttle, or a connection never made). A reset, a 5xx or a timeout may come after
 * the service acted on it.
 */
export function isRetryableRefusal(status: number, code: string): boolean {
  if (status === 0) return UNSENT_NETWORK_CODES.has(code)
  return isThrottled(status, code)
}

/** Works on our FnfError (status + code) and on raw Node/undici errors (code, maybe on cause). */
export function isRetryable(err: unknown): boolean {
  return retryableAt(err, 0)
}

function retryableAt(err: unknown, depth: number): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false
  const { status, code, cause } = err as { status?: unknown; code?: unknown; cause?: unknown }
  if (typeof status === 'number' && typeof code === 'string') {
    return isRetryableFailure(status, code)
  }
  if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code)) return true
  // fetch-style wrappers ("fetch failed") carry the socket error as their cause.
  return retryableAt(cause, depth + 1)
}

export interface BackoffOptions {
  baseMs: number
  capMs: number
}

/**
 * Full jitter: uniform in [0, min(cap, base * 2^attempt)). Spreads retries of many runners
 * hitting the same throttle instead of having them return in lockstep.
 * `attempt` is 0 for the first retry.
 */
export function backoffDelay(
  attempt: number,
  { baseMs, capMs }: BackoffOptions,
  random: () => number = Math.random
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt))
  return Math.floor(random() * ceiling)
}

/** The Node/undici error code of a failed request, looking through `cause`; `NetworkError` if none. */
export function networkCode(err: unknown): string {
  for (let e: unknown = err, depth = 0; depth < 4; depth++) {
    if (typeof e !== 'object' || e === null) break
    const { code, cause } = e as { code?: unknown; cause?: unknown }
    if (typeof code === 'string' && code) return code
    e = cause
  }
  return 'NetworkError'
}

/** A failed attempt, and how long the server asked us to wait before the next. */
export interface Failed<E extends ServiceError> {
  ok: false
  error: E
  retryAfterMs?: number | undefined
}

export interface RetryLoop<E extends ServiceError, F extends Failed<E> = Failed<E>> {
  /** Names the call in retry lines, e.g. the API action. */
  label: string
  /** Attempts, the first included. */
  maxAttempts: number
  backoff: BackoffOptions
  random?: (() => number) | undefined
  now: () => number
  /** Epoch ms: no retry or backoff sleep starts past it. */
  deadline?: number | undefined
  sleep: (ms: number) => Promise<void>
  log: (line: string) => void
  /**
   * Past the deadline before an attempt: the error to throw (`last` is the previous attempt's),
   * or undefined to send it anyway.
   */
  pastDeadline: (last: E | undefined) => E | undefined
  /** Fixes a failure without a backoff (a skewed clock): true retries at once, not counted. */
  repair?: (failure: F) => boolean
  /** Before each backoff sleep. */
  onRetry?: () => void
}

/**
 * Sends `attempt` until it succeeds, fails in a way a retry cannot fix, runs out of attempts or
 * would sleep past the deadline; then throws the last failure. Waits a jittered backoff, or
 * longer when the server said so.
 */
export async function retrying<T, E extends ServiceError, F extends Failed<E> = Failed<E>>(
  loop: RetryLoop<E, F>,
  attempt: () => Promise<{ ok: true; value: T } | F>
): Promise<T> {
  let last: E | undefined
  for (let n = 1; ; n++) {
    if (loop.deadline !== undefined && loop.now() > loop.deadline) {
      const stop = loop.pastDeadline(last)
      if (stop) throw stop
    }
    const outcome = await attempt()
    if (outcome.ok) return outcome.value
    const { error } = outcome
    last = error
    if (loop.repair?.(outcome)) {
      n-- // not counted against maxAttempts
      continue
    }
    if (!error.retryable || n >= loop.maxAttempts) throw error
    const backoff = backoffDelay(n - 1, loop.backoff, loop.random)
    const delay = Math.max(backoff, outcome.retryAfterMs ?? 0)
    if (loop.deadline !== undefined && loop.now() + delay > loop.deadline) throw error
    loop.onRetry?.()
    loop.log(
      `${loop.label}: ${error.reason}; retry ${n} of ${loop.maxAttempts - 1} in ${(delay / 1000).toFixed(1)}s`
    )
    await loop.sleep(delay)
  }
}
