/**
 * GitHub's REST API as the step calls it: JSON under GITHUB_API_URL (github.com, or a GHES base
 * path), the token in the Authorization header, each request one HTTP attempt (the runner's proxy
 * through the dispatcher) with its answer read up to a cap, and all of them inside one deadline.
 * Every answer, a failed one included, is a value.
 */
import type { Dispatcher } from 'undici'
import { attemptFailure, sendAttempt, type ResponseHeaders } from '../http/attempt.js'
import { stringField, type JsonObject } from '../http/response.js'
import { DEFAULT_USER_AGENT } from '../http/user-agent.js'
import { wireText } from '../base/wire-text.js'

/** A page of 100 comments of at most 65,536 characters (UTF-8: up to 4 bytes each), plus JSON. */
export const GITHUB_RESPONSE_CAP_BYTES = 32 * 1024 * 1024

export interface GitHubRestOptions {
  token: string
  /** REST base URL, e.g. `process.env.GITHUB_API_URL` (`https://api.github.com` or GHES). */
  apiUrl: string
  /** Epoch ms: no request outlasts it (each one gets the time left). */
  deadline: number
  /** Default: the shared pool, which honours HTTP(S)_PROXY / NO_PROXY. */
  dispatcher?: Dispatcher | undefined
  /** Aborting ends the request under way at once, like the deadline. */
  signal?: AbortSignal | undefined
  now?: () => number
  userAgent?: string
}

export type RestResult =
  { ok: true; status: number; headers: ResponseHeaders; data: unknown } | RestFailure

export type RestFailure =
  /** GitHub answered with an error status; `message` is its own, made safe. */
  | { ok: false; kind: 'http'; status: number; headers: ResponseHeaders; message: string }
  /** The deadline came first. */
  | { ok: false; kind: 'deadline' }
  /** No answer to read: a network error, or one far larger than GitHub sends. */
  | { ok: false; kind: 'unanswered'; code: string; detail: string }

export class GitHubRest {
  /** Protocol, host and port of the API: the only place the token is sent. */
  readonly origin: string
  /** The API's path on its host: empty for api.github.com, `/api/v3` on GHES. */
  private readonly basePath: string
  private readonly options: GitHubRestOptions
  private readonly now: () => number

  constructor(options: GitHubRestOptions) {
    this.options = options
    const base = new URL(options.apiUrl)
    this.origin = base.origin
    this.basePath = base.pathname.replace(/\/+$/, '')
    this.now = options.now ?? Date.now
  }

  /**
   * `target` is a path under the API (`/repos/…`, its parts already encoded) or an absolute URL
   * the caller has checked is on `origin`.
   */
  async request(
    method: 'GET' | 'POST' | 'PATCH',
    target: string,
    body?: unknown
  ): Promise<RestResult> {
    const url = new URL(target.startsWith('/') ? `${this.basePath}${target}` : target, this.origin)
    if (url.origin !== this.origin) throw new Error(`not a GitHub API URL: ${url.origin}`)
    const left = this.options.deadline - this.now()
    if (left <= 0) return { ok: false, kind: 'deadline' }
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      authorization: `token ${this.options.token}`,
      'user-agent': this.options.userAgent ?? DEFAULT_USER_AGENT
    }
    if (body !== undefined) headers['content-type'] = 'application/json; charset=utf-8'
    const result = await sendAttempt({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: left,
      capBytes: GITHUB_RESPONSE_CAP_BYTES,
      signal: this.options.signal,
      dispatcher: this.options.dispatcher
    })
    if (!result.ok) {
      if (result.kind === 'timeout' || result.kind === 'aborted')
        return { ok: false, kind: 'deadline' }
      const tooLarge = 'far more than GitHub sends; the request was aborted'
      return { ok: false, kind: 'unanswered', ...attemptFailure(result, tooLarge) }
    }
    const { status, headers: got, text } = result
    const data = parseJson(text)
    if (status >= 200 && status <= 299) return { ok: true, status, headers: got, data }
    const answer = typeof data === 'object' && data !== null ? (data as JsonObject) : undefined
    const message = stringField(answer, 'message') ?? ''
    return { ok: false, kind: 'http', status, headers: got, message: wireText(message, 500) }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A response's `Link` header, several of them joined as one list. */
export function linkHeader(headers: ResponseHeaders): string | undefined {
  const v = headers['link']
  return Array.isArray(v) ? v.join(', ') : v
}

/** The `rel="next"` URL of a Link header, only if it is on `origin` (protocol, host and port). */
export function nextLink(link: string | undefined, origin: string): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part)
    if (m === null || !/\brel="?next"?/.test(m[2] ?? '')) continue
    try {
      const url = new URL(m[1] ?? '')
      return url.origin === origin ? url.toString() : undefined
    } catch {
      return undefined
    }
  }
  return undefined
}
