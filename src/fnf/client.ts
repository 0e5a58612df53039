/**
 * FnF (Serverless Workflow, API 2019-03-15) RPC client: signing, retries, clock-skew repair.
 * Knows nothing about GitHub Actions; progress goes to the `log` callback.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleepFor } from 'node:timers/promises'
import type { Dispatcher } from 'undici'
import { createDispatcher } from '../http/dispatcher.js'
import { errorMessage, INVALID_RESPONSE, REQUEST_TIMEOUT } from '../http/errors.js'
import {
  bodyExcerpt,
  BodyTooLargeError,
  formatBytes,
  parseObject,
  readCapped,
  RESPONSE_TOO_LARGE,
  stringField,
  type JsonObject
} from '../http/response.js'
import { registerSecret } from '../http/secrets.js'
import { wireText } from '../http/wire-text.js'
import { timerDelay } from '../http/timers.js'
import { DEFAULT_USER_AGENT } from '../http/user-agent.js'
import { DEADLINE_EXCEEDED, FnfError, hintFor, type HintContext } from './errors.js'
import { RateLimitDeadlineError, type RateLimiter } from './rate-limiter.js'
import { isRetryableFailure, networkCode, retrying, type Failed } from '../http/retry.js'
import { canonicalQuery, percentEncode, rpcTimestamp, signRpc } from './signer.js'
import type {
  Credentials,
  CredentialsProvider,
  Execution,
  ExecutionPage,
  ExecutionStatus,
  Flow,
  HistoryPage
} from './types.js'

export const API_VERSION = '2019-03-15'
/** A Retry-After beyond this is treated as this, so a bogus header cannot park the job. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000

/**
 * Events per GetExecutionHistory page that the step asks for. No byte cap per page is documented
 * and a CloudFlow event may hold 64 KiB, so 999 events could make one answer ~62 MiB; 100 keeps a
 * page to ~6 MiB of event text at worst, at the cost of 50 pages for the largest (5,000-event)
 * history, well inside the API's 5 requests/s.
 */
export const HISTORY_PAGE_LIMIT = 100

/**
 * Largest body read per API; past it the request is aborted with ResponseTooLarge. Sized from
 * what the service can really send, JSON escaping included: an execution carries Input and Output
 * of up to 1 MiB each (the service's per-request limit); a history page holds up to `Limit` events
 * of up to 64 KiB each (escaped, up to 4× in the worst case) plus the envelope.
 */
export function responseCapBytes(action: string, limit?: number): number {
  const MiB = 1024 * 1024
  if (action === 'GetExecutionHistory') {
    const events = Math.min(999, Math.max(1, limit ?? 60))
    return events * 256 * 1024 + MiB
  }
  return 16 * MiB
}

export interface CallOptions {
  /** Epoch ms (same clock as `now`): no attempt or backoff sleep starts past it. */
  deadline?: number
  /** Aborting rejects promptly with `signal.reason`; an abort is never retried. */
  signal?: AbortSignal
}

export interface FnfClientOptions {
  /** Base URL from resolveEndpoint, e.g. `https://cn-hangzhou.fnf.aliyuncs.com`. */
  endpoint: string
  /** Called before every attempt. */
  credentials: CredentialsProvider
  /** Default: one shared undici EnvHttpProxyAgent (keep-alive; honours HTTP(S)_PROXY / NO_PROXY). */
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

export interface DescribeExecutionParams {
  flowName: string
  executionName: string
  /** 0–60: the server holds the request until the execution ends or this many seconds pass. */
  waitTimeSeconds?: number
  /**
   * Epoch ms: instead of waitTimeSeconds, hold for min(60 s, time left until this) as of when
   * each attempt is actually sent.
   */
  holdUntil?: number
}

export interface GetExecutionHistoryParams {
  flowName: string
  executionName: string
  nextToken?: string
  /** 1–999. */
  limit?: number
}

export interface ListExecutionsParams {
  flowName: string
  nextToken?: string
  /** 1–100. */
  limit?: number
  status?: ExecutionStatus
  executionNamePrefix?: string
  /** RFC 3339 UTC: only executions started at or after (before) this. */
  startedTimeBegin?: string
  startedTimeEnd?: string
  /** Leave out Input, Output and the definition. */
  metadataOnly?: boolean
}

export interface StartExecutionParams {
  flowName: string
  /** Omitted: the service generates one. */
  executionName?: string
  /** JSON object as a string. */
  input?: string
}

export interface StopExecutionParams {
  flowName: string
  executionName: string
  /** 1–128 characters. */
  error?: string
  /** 1–4096 characters. */
  cause?: string
}

export interface ClientStats {
  /** Attempts sent. */
  requests: number
  /** Attempts that were retries (including a clock-skew retry). */
  retries: number
}

type Method = 'GET' | 'POST'

interface RpcRequest {
  action: string
  method: Method
  params: Record<string, string | number | undefined>
  /** Seconds the server may hold the request; a function is read at send time (see holdUntil). */
  waitTimeSeconds?: number | (() => number) | undefined
  context: Omit<HintContext, 'action' | 'endpoint'>
}

interface Failure extends Failed<FnfError> {
  /** The server's clock (its Date header), to repair a skewed one. */
  serverTimeMs?: number
}
type Outcome = { ok: true; value: JsonObject } | Failure

let sharedDispatcher: Dispatcher | undefined

/** Created on first use so that merely importing this module opens nothing. */
function defaultDispatcher(): Dispatcher {
  sharedDispatcher ??= createDispatcher()
  return sharedDispatcher
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  sleepFor(ms, undefined, signal ? { signal } : {})

export class FnfClient {
  readonly stats: ClientStats = { requests: 0, retries: 0 }

  private readonly endpoint: string
  private readonly origin: string
  private readonly credentials: CredentialsProvider
  private readonly dispatcher: Dispatcher
  private readonly maxAttempts: number
  private readonly baseDelayMs: number
  private readonly maxDelayMs: number
  private readonly requestTimeoutMs: number
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  private readonly now: () => number
  private readonly random: () => number
  private readonly log: (line: string) => void
  private readonly userAgent: string
  private readonly limiter: RateLimiter | undefined
  /** Server time minus local time, learnt from a RequestTimeTooSkewed response. */
  private clockOffsetMs = 0

  constructor(options: FnfClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '')
    this.origin = new URL(this.endpoint).origin
    this.credentials = options.credentials
    this.dispatcher = options.dispatcher ?? defaultDispatcher()
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 10))
    this.baseDelayMs = options.baseDelayMs ?? 500
    this.maxDelayMs = options.maxDelayMs ?? 20_000
    this.requestTimeoutMs = options.requestTimeoutMs ?? 20_000
    this.sleep = options.sleep ?? defaultSleep
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
    this.log = options.log ?? (() => {})
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT
    this.limiter = options.limiter
  }

  async describeExecution(p: DescribeExecutionParams, o: CallOptions = {}): Promise<Execution> {
    const wait = p.waitTimeSeconds
    if (wait !== undefined && !(Number.isInteger(wait) && wait >= 0 && wait <= 60)) {
      throw new RangeError(`waitTimeSeconds must be an integer from 0 to 60, got ${wait}`)
    }
    const { holdUntil } = p
    const action = 'DescribeExecution'
    const body = await this.call(
      {
        action,
        method: 'GET',
        params: { FlowName: p.flowName, ExecutionName: p.executionName },
        // With holdUntil, the hold is worked out when the attempt is sent: a request that
        // queued behind the rate limiter or a retry must still not outlast the caller's deadline.
        waitTimeSeconds:
          holdUntil === undefined
            ? wait
            : () => Math.max(0, Math.min(60, Math.floor((holdUntil - this.now()) / 1000))),
        context: { flowName: p.flowName, executionName: p.executionName }
      },
      o
    )
    requireString(action, body, 'Status')
    return safeExecution(body)
  }

  async getExecutionHistory(
    p: GetExecutionHistoryParams,
    o: CallOptions = {}
  ): Promise<HistoryPage> {
    const action = 'GetExecutionHistory'
    const body = await this.call(
      {
        action,
        method: 'GET',
        params: {
          FlowName: p.flowName,
          ExecutionName: p.executionName,
          NextToken: p.nextToken,
          Limit: p.limit
        },
        context: { flowName: p.flowName, executionName: p.executionName }
      },
      o
    )
    const events = body['Events'] ?? []
    if (!Array.isArray(events)) throw invalidShape(action, 'Events is not an array')
    const token = body['NextToken']
    // The token is documented as the last ScheduleEventId, so tolerate it arriving as a number.
    const page: HistoryPage = { ...body, Events: events }
    if (typeof token === 'number') page.NextToken = String(token)
    return page
  }

  async listExecutions(p: ListExecutionsParams, o: CallOptions = {}): Promise<ExecutionPage> {
    const action = 'ListExecutions'
    const body = await this.call(
      {
        action,
        method: 'GET',
        params: {
          FlowName: p.flowName,
          NextToken: p.nextToken,
          Limit: p.limit,
          Status: p.status,
          ExecutionNamePrefix: p.executionNamePrefix,
          StartedTimeBegin: p.startedTimeBegin,
          StartedTimeEnd: p.startedTimeEnd,
          MetadataOnly: p.metadataOnly === undefined ? undefined : String(p.metadataOnly)
        },
        context: { flowName: p.flowName }
      },
      o
    )
    const executions = body['Executions'] ?? []
    if (!Array.isArray(executions)) throw invalidShape(action, 'Executions is not an array')
    for (const e of executions) {
      if (typeof e !== 'object' || e === null || typeof (e as JsonObject)['Name'] !== 'string') {
        throw invalidShape(action, 'an execution has no Name')
      }
      requireString(action, e as JsonObject, 'Status')
    }
    const page: ExecutionPage = {
      ...body,
      Executions: executions.map((e) => safeExecution(e as JsonObject))
    }
    return page
  }

  async startExecution(p: StartExecutionParams, o: CallOptions = {}): Promise<Execution> {
    const action = 'StartExecution'
    const body = await this.call(
      {
        action,
        method: 'POST',
        params: { FlowName: p.flowName, ExecutionName: p.executionName, Input: p.input },
        context: { flowName: p.flowName, executionName: p.executionName }
      },
      o
    )
    // The caller needs the name when the service generated it.
    requireString(action, body, 'Name')
    return safeExecution(body)
  }

  async stopExecution(p: StopExecutionParams, o: CallOptions = {}): Promise<Execution> {
    const body = await this.call(
      {
        action: 'StopExecution',
        method: 'POST',
        params: {
          FlowName: p.flowName,
          ExecutionName: p.executionName,
          Error: p.error,
          Cause: p.cause
        },
        context: { flowName: p.flowName, executionName: p.executionName }
      },
      o
    )
    return safeExecution(body)
  }

  async describeFlow(p: { name: string }, o: CallOptions = {}): Promise<Flow> {
    const body = await this.call(
      {
        action: 'DescribeFlow',
        method: 'GET',
        params: { Name: p.name },
        context: { flowName: p.name }
      },
      o
    )
    return body as unknown as Flow
  }

  /** Attempts, retries with backoff, and the one-off clock-skew repair. */
  private async call(req: RpcRequest, { deadline, signal }: CallOptions): Promise<JsonObject> {
    let skewRepaired = false
    return retrying<JsonObject, FnfError, Failure>(
      {
        label: req.action,
        maxAttempts: this.maxAttempts,
        backoff: { baseMs: this.baseDelayMs, capMs: this.maxDelayMs },
        random: this.random,
        now: this.now,
        deadline,
        sleep: (ms) => this.pause(ms, signal),
        log: this.log,
        pastDeadline: (last) => last ?? this.deadlineError(req),
        repair: ({ error, serverTimeMs }) => {
          if (error.code !== 'RequestTimeTooSkewed' || skewRepaired) return false
          if (serverTimeMs === undefined) return false
          // A skewed clock fails every request the same way, so fix it rather than back off.
          skewRepaired = true
          this.clockOffsetMs = serverTimeMs - this.now()
          this.stats.retries++
          this.log(
            `${req.action}: ${error.reason}; local clock is ${describeOffset(this.clockOffsetMs)}, retrying with a corrected Timestamp`
          )
          return true
        },
        onRetry: () => this.stats.retries++
      },
      () => this.send(req, signal, deadline)
    )
  }

  /** One signed attempt. Only a caller abort (or a credentials failure) throws. */
  private async send(
    req: RpcRequest,
    signal: AbortSignal | undefined,
    deadline: number | undefined
  ): Promise<Outcome> {
    signal?.throwIfAborted()
    try {
      await this.limiter?.acquire(req.action, signal, deadline)
    } catch (error) {
      // Its turn under the rate limit would come too late: as good as a passed deadline.
      if (error instanceof RateLimitDeadlineError) throw this.deadlineError(req)
      throw error
    }
    const creds = await this.credentials()
    signal?.throwIfAborted()
    // Whoever made the credentials, they are redacted from anything the step prints.
    registerSecret(creds.accessKeySecret)
    registerSecret(creds.securityToken)
    const redact = redactor(creds)

    // New nonce and timestamp every attempt: the service rejects a replayed nonce.
    const common: Record<string, string> = {
      Action: req.action,
      Version: API_VERSION,
      Format: 'JSON',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      Timestamp: rpcTimestamp(this.now() + this.clockOffsetMs),
      AccessKeyId: creds.accessKeyId
    }
    if (creds.securityToken) common['SecurityToken'] = creds.securityToken
    const waitTimeSeconds =
      typeof req.waitTimeSeconds === 'function' ? req.waitTimeSeconds() : req.waitTimeSeconds
    const api = definedParams({ ...req.params, WaitTimeSeconds: waitTimeSeconds })
    const signature = signRpc(req.method, { ...common, ...api }, creds.accessKeySecret)
    // darabonba layout: for POST, common parameters in the query and API parameters in the
    // form body, with one signature over both.
    const query = req.method === 'GET' ? { ...common, ...api } : common
    const path = `/?${canonicalQuery(query)}&Signature=${percentEncode(signature)}`
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.userAgent
    }
    let body: string | undefined
    if (req.method === 'POST') {
      body = canonicalQuery(api)
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }

    const timeoutMs = (waitTimeSeconds ?? 0) * 1000 + this.requestTimeoutMs
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timerDelay(timeoutMs))
    const forwardAbort = (): void => controller.abort()
    signal?.addEventListener('abort', forwardAbort, { once: true })
    this.stats.requests++
    try {
      const res = await this.dispatcher.request({
        origin: this.origin,
        path,
        method: req.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
        // Our timer decides; undici's own limits (300 s by default) only as a far backstop.
        headersTimeout: timeoutMs + 1000,
        bodyTimeout: timeoutMs + 1000
      })
      const cap = responseCapBytes(req.action, Number(req.params['Limit']) || undefined)
      const text = await readCapped(res.body, cap)
      return this.interpret(req, res.statusCode, res.headers, text, redact)
    } catch (err) {
      if (signal?.aborted) throw signal.reason
      if (err instanceof BodyTooLargeError) {
        return this.failure(req, {
          status: 0,
          code: RESPONSE_TOO_LARGE,
          detail: `the answer was larger than ${formatBytes(err.limitBytes)}, more than the service sends for ${req.action}; the request was aborted (a proxy or endpoint that is not the FnF API?)`
        })
      }
      if (timedOut) {
        return this.failure(req, {
          status: 0,
          code: REQUEST_TIMEOUT,
          detail: `no complete response within ${seconds(timeoutMs)}`
        })
      }
      return this.failure(req, {
        status: 0,
        code: networkCode(err),
        // No `cause`: the raw error could carry the signed URL into a debug dump.
        detail: `network error: ${redact(errorMessage(err))}`
      })
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', forwardAbort)
    }
  }

  private interpret(
    req: RpcRequest,
    status: number,
    headers: Dispatcher.ResponseData['headers'],
    text: string,
    redact: (s: string) => string
  ): Outcome {
    const headerRequestId = header(headers, 'x-acs-request-id')
    const json = parseObject(text)
    if (json === undefined) {
      return this.failure(req, {
        status,
        code: INVALID_RESPONSE,
        detail: `expected a JSON object, got ${bodyExcerpt(redact(text))}`,
        requestId: headerRequestId
      })
    }
    if (status >= 200 && status <= 299) return { ok: true, value: json }

    const code = stringField(json, 'Code', 'code') ?? `HTTP${status}`
    const outcome = this.failure(req, {
      status,
      code,
      detail: redact(stringField(json, 'Message', 'message') ?? ''),
      requestId: stringField(json, 'RequestId', 'requestId') ?? headerRequestId
    })
    const retryAfterMs = retryAfter(headers, this.now())
    if (retryAfterMs !== undefined)
      outcome.retryAfterMs = Math.min(retryAfterMs, MAX_RETRY_AFTER_MS)
    const date = Date.parse(header(headers, 'date') ?? '')
    if (Number.isFinite(date)) outcome.serverTimeMs = date
    return outcome
  }

  private failure(
    req: RpcRequest,
    f: { status: number; code: string; detail: string; requestId?: string | undefined }
  ): Failure {
    const hint = hintFor(f.code, { action: req.action, endpoint: this.endpoint, ...req.context })
    const error = new FnfError({
      action: req.action,
      ...f,
      ...(hint === undefined ? {} : { hint }),
      retryable: isRetryableFailure(f.status, f.code)
    })
    return { ok: false, error }
  }

  private deadlineError(req: RpcRequest): FnfError {
    return new FnfError({
      action: req.action,
      status: 0,
      code: DEADLINE_EXCEEDED,
      detail:
        'not sent: the deadline had passed, or would have before its turn under the rate limit',
      retryable: false
    })
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

function definedParams(params: RpcRequest['params']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = String(v)
  return out
}

/**
 * Replaces the secret and token, raw and percent-encoded once or twice, with `***`. The
 * service's SignatureNotMatch message and proxy error pages can echo the signed query.
 */
function redactor(creds: Credentials): (text: string) => string {
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

function header(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** `x-acs-retry-after` is in milliseconds (Alibaba SDKs); `Retry-After` in seconds or a date. */
function retryAfter(headers: Dispatcher.ResponseData['headers'], now: number): number | undefined {
  const acs = Number(header(headers, 'x-acs-retry-after'))
  if (Number.isFinite(acs) && acs > 0) return acs
  const std = header(headers, 'retry-after')?.trim()
  if (!std) return undefined
  if (/^\d+$/.test(std)) return Number(std) * 1000
  const at = Date.parse(std)
  return Number.isFinite(at) && at > now ? at - now : undefined
}

/** Fields the step prints (status, times, names, request id), made safe as they arrive. */
const PRINTED_FIELDS = ['Status', 'StartedTime', 'StoppedTime', 'Name', 'FlowName', 'RequestId']

function safeExecution(body: JsonObject): Execution {
  const safe: JsonObject = { ...body }
  for (const field of PRINTED_FIELDS) {
    const value = safe[field]
    if (typeof value === 'string') safe[field] = wireText(value, 256)
  }
  return safe as unknown as Execution
}

function requireString(action: string, body: JsonObject, field: string): void {
  if (typeof body[field] !== 'string') throw invalidShape(action, `the response has no ${field}`)
}

function invalidShape(action: string, detail: string): FnfError {
  return new FnfError({
    action,
    status: 200,
    code: INVALID_RESPONSE,
    detail,
    hint: hintFor(INVALID_RESPONSE, { action }),
    retryable: false
  })
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`
}

function describeOffset(offsetMs: number): string {
  const s = Math.round(Math.abs(offsetMs) / 1000)
  return offsetMs >= 0 ? `${s}s behind the server` : `${s}s ahead of the server`
}
