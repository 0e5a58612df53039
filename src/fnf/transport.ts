/**
 * The FnF RPC transport: each call's attempts, each paced by the rate limiter, signed afresh with
 * the current credentials and sent as one HTTP attempt; retries with jittered backoff inside the
 * caller's deadline, and the one-off repair of a skewed clock. Knows no API but by its action.
 */
import { setTimeout as sleepFor } from 'node:timers/promises'
import type { Dispatcher } from 'undici'
import { sendAttempt } from '../http/attempt.js'
import type { JsonObject } from '../http/response.js'
import { retrying } from '../http/retry.js'
import { registerSecret } from '../base/secrets.js'
import { DEFAULT_USER_AGENT } from '../http/user-agent.js'
import { DEADLINE_EXCEEDED, FnfError } from './errors.js'
import { RateLimitDeadlineError, type RateLimiter } from './rate-limiter.js'
import { signedRpc, type RpcCall } from './rpc-request.js'
import { readRpcResult, redactor, type RpcFailure, type RpcOutcome } from './rpc-response.js'
import type { CredentialsProvider } from './types.js'

export interface CallOptions {
  /** Epoch ms (same clock as `now`): no attempt or backoff sleep starts past it. */
  deadline?: number
  /** Aborting rejects promptly with `signal.reason`; an abort is never retried. */
  signal?: AbortSignal
}

export interface TransportOptions {
  /** Base URL from resolveEndpoint, e.g. `https://cn-hangzhou.fnf.aliyuncs.com`. */
  endpoint: string
  /** Called before every attempt. */
  credentials: CredentialsProvider
  /** Default: the shared pool (keep-alive; honours HTTP(S)_PROXY / NO_PROXY). */
  dispatcher?: Dispatcher
  /** Attempts per call, first one included. Default 10; `deadline` also bounds them. */
  maxAttempts?: number
  /** Default 500. */
  baseDelayMs?: number
  /** Default 20000. */
  maxDelayMs?: number
  /** Default 20000, added on top of WaitTimeSeconds so long polls are never cut short. */
  requestTimeoutMs?: number
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  now?: () => number
  random?: () => number
  /** One line per retry. */
  log?: (line: string) => void
  /** Paces every attempt (retries included) to stay under the service's rate limit. */
  limiter?: RateLimiter
  userAgent?: string
}

export interface TransportStats {
  /** Attempts sent. */
  requests: number
  /** Attempts that were retries (including a clock-skew retry). */
  retries: number
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  sleepFor(ms, undefined, signal ? { signal } : {})

export class RpcTransport {
  readonly stats: TransportStats = { requests: 0, retries: 0 }
  readonly now: () => number

  private readonly endpoint: string
  private readonly origin: string
  private readonly options: TransportOptions
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  private readonly log: (line: string) => void
  private readonly maxAttempts: number
  /** Server time minus local time, learnt from a RequestTimeTooSkewed response. */
  private clockOffsetMs = 0
  /** Some attempt got an HTTP answer: from then on a refused connection is a restart, retried. */
  private answered = false
  /** Connections refused before anything answered (every call of the step counts). */
  private refusedFirst = 0

  constructor(options: TransportOptions) {
    this.options = options
    this.endpoint = options.endpoint.replace(/\/+$/, '')
    this.origin = new URL(this.endpoint).origin
    this.now = options.now ?? Date.now
    this.sleep = options.sleep ?? defaultSleep
    this.log = options.log ?? (() => {})
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 10))
  }

  /** The call's JSON answer, or the FnfError of its last attempt. */
  async call(call: RpcCall, { deadline, signal }: CallOptions): Promise<JsonObject> {
    let skewRepaired = false
    return retrying<JsonObject, FnfError, RpcFailure>(
      {
        label: call.action,
        maxAttempts: this.maxAttempts,
        backoff: {
          baseMs: this.options.baseDelayMs ?? 500,
          capMs: this.options.maxDelayMs ?? 20_000
        },
        random: this.options.random,
        now: this.now,
        deadline,
        sleep: (ms) => this.pause(ms, signal),
        log: this.log,
        pastDeadline: (last) => last ?? deadlineError(call.action),
        repair: ({ error, serverTimeMs }) => {
          if (error.code !== 'RequestTimeTooSkewed' || skewRepaired) return false
          if (serverTimeMs === undefined) return false
          // A skewed clock fails every request the same way, so fix it rather than back off.
          skewRepaired = true
          this.clockOffsetMs = serverTimeMs - this.now()
          this.stats.retries++
          this.log(
            `${call.action}: ${error.reason}; local clock is ${describeOffset(this.clockOffsetMs)}, retrying with a corrected Timestamp`
          )
          return true
        },
        onRetry: () => this.stats.retries++
      },
      () => this.send(call, signal, deadline)
    )
  }

  /** One signed attempt. Only a caller abort (or a credentials failure) throws. */
  private async send(
    call: RpcCall,
    signal: AbortSignal | undefined,
    deadline: number | undefined
  ): Promise<RpcOutcome> {
    signal?.throwIfAborted()
    try {
      await this.options.limiter?.acquire(call.action, signal, deadline)
    } catch (error) {
      // Its turn under the rate limit would come too late: as good as a passed deadline.
      if (error instanceof RateLimitDeadlineError) throw deadlineError(call.action)
      throw error
    }
    const creds = await this.options.credentials()
    signal?.throwIfAborted()
    // Whoever made the credentials, they are redacted from anything the step prints.
    registerSecret(creds.accessKeySecret)
    registerSecret(creds.securityToken)
    // A hold given as a function (holdUntil) is worked out as the attempt leaves: it may have
    // queued behind the rate limiter or been retried, and must not outlast the caller's deadline.
    const hold = call.waitTimeSeconds
    const signed = signedRpc(
      { ...call, waitTimeSeconds: typeof hold === 'function' ? hold() : hold },
      creds,
      this.now() + this.clockOffsetMs,
      this.options.userAgent ?? DEFAULT_USER_AGENT
    )
    this.stats.requests++
    const result = await sendAttempt({
      origin: this.origin,
      path: signed.path,
      method: signed.method,
      headers: signed.headers,
      body: signed.body,
      timeoutMs: this.attemptTimeoutMs(call, signed.waitTimeSeconds, deadline),
      capBytes: call.capBytes,
      signal,
      dispatcher: this.options.dispatcher
    })
    if (!result.ok && result.kind === 'aborted') throw result.reason
    if (result.ok) this.answered = true
    const outcome = readRpcResult(result, {
      call,
      endpoint: this.endpoint,
      now: this.now(),
      redact: redactor(creds)
    })
    return this.refusedBeforeAnyAnswer(outcome)
  }

  /**
   * A connection refused when nothing at the endpoint has ever answered is most often a wrong
   * `endpoint` (a port nobody listens on), not a restart: after a quick retry or two it is the
   * verdict, with the hint, instead of ten attempts over a minute. Once anything answered, a
   * refusal is a restarting server or proxy, and is retried in full.
   */
  private refusedBeforeAnyAnswer(outcome: RpcOutcome): RpcOutcome {
    if (outcome.ok || this.answered || outcome.error.code !== 'ECONNREFUSED') return outcome
    this.refusedFirst++
    if (this.refusedFirst < REFUSED_BEFORE_VERDICT) return outcome
    const { error } = outcome
    return {
      ...outcome,
      error: new FnfError({
        action: error.action,
        status: error.status,
        code: error.code,
        detail: error.detail,
        retryable: false,
        hint:
          `Nothing has accepted a connection at ${this.endpoint} (${REFUSED_BEFORE_VERDICT} ` +
          'tries) and nothing there has answered yet. Check the `endpoint` input (its host and ' +
          'port) and that the server there runs, and HTTPS_PROXY / NO_PROXY if the runner uses ' +
          'a proxy.'
      })
    }
  }

  /**
   * A long poll may take its hold plus the margin; a request held until an execution ends
   * (StartSyncExecution) as long as that may take, cut at the caller's deadline: the HTTP deadline
   * follows the hold, inside the step's `timeout`.
   */
  private attemptTimeoutMs(
    call: RpcCall,
    waitTimeSeconds: number | undefined,
    deadline: number | undefined
  ): number {
    const margin = this.options.requestTimeoutMs ?? 20_000
    if (call.heldUpToMs === undefined) return (waitTimeSeconds ?? 0) * 1000 + margin
    const untilDeadline = deadline === undefined ? Infinity : deadline - this.now()
    return Math.max(1, Math.min(call.heldUpToMs + margin, untilDeadline))
  }

  private async pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.sleep(ms, signal)
    } catch (err) {
      if (signal?.aborted) throw signal.reason
      throw err
    }
    signal?.throwIfAborted()
  }
}

/** Attempts whose connection is refused, before any answer, that make the verdict: 2 quick retries. */
const REFUSED_BEFORE_VERDICT = 3

function deadlineError(action: string): FnfError {
  return new FnfError({
    action,
    status: 0,
    code: DEADLINE_EXCEEDED,
    detail: 'not sent: the deadline had passed, or would have before its turn under the rate limit',
    retryable: false
  })
}

function describeOffset(offsetMs: number): string {
  const s = Math.round(Math.abs(offsetMs) / 1000)
  return offsetMs >= 0 ? `${s}s behind the server` : `${s}s ahead of the server`
}
