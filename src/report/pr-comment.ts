/**
 * One PR comment per flow, updated in place on every run: found again by a hidden marker.
 *
 * Uses `@actions/github`'s `getOctokit`, which works under jest ESM (checked) and routes through
 * the runner's proxy settings. `baseUrl` is passed explicitly so GHES (`GITHUB_API_URL`) and the
 * tests' local fake both work. It is imported only when a comment is written: Octokit is most of
 * the bundle, and every other run would pay for loading it (ncc emits it as a separate chunk).
 */
import type { getOctokit } from '@actions/github'
import { causeSection, statusSection } from './sections.js'
import type { ExecutionView } from './view.js'
import { escapeHtml } from './markdown.js'
import { renderGantt } from './gantt.js'
import { errorMessage } from '../http/errors.js'
import { formatBytes } from '../http/response.js'

/** GitHub rejects comment bodies over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536

export interface PrTarget {
  owner: string
  repo: string
  issueNumber: number
}

export interface UpsertPrCommentParams extends PrTarget {
  token: string
  /** REST base URL, e.g. `process.env.GITHUB_API_URL` (`https://api.github.com` or GHES). */
  apiUrl: string
  flowName: string
  /** Markdown (see renderPrComment); the marker is prepended here. */
  body: string
  /**
   * Replaces the fetch Octokit uses. Leave it out in production: the default one honours the
   * runner's proxy settings.
   */
  fetch?: typeof globalThis.fetch
  /** The whole comment (every request) gets this long; default PR_COMMENT_BUDGET_MS. */
  budgetMs?: number
}

export type UpsertPrCommentResult =
  | { ok: true; action: 'created' | 'updated'; commentId: number; url?: string }
  | { ok: false; status: number; warning: string }

/**
 * A GitHub API that never answers must not hold the step: the comment as a whole (listing,
 * identity, write) gets 30 s, then the step goes on with a warning.
 */
export const PR_COMMENT_BUDGET_MS = 30_000
/** Pages of 100 comments read looking for ours; past them a new comment is made. */
export const MAX_COMMENT_PAGES = 10
/** A page of 100 comments of at most 65,536 characters (UTF-8: up to 4 bytes each), plus JSON. */
export const GITHUB_RESPONSE_CAP_BYTES = 32 * 1024 * 1024
/**
 * Who writes with the workflow's GITHUB_TOKEN. `GET /user` fails for installation tokens (it
 * needs a user), so when it does, this is the identity the comment must have been written by.
 */
export const GITHUB_ACTIONS_BOT = 'github-actions[bot]'

/**
 * `<!-- fnf-wait:flow=<name> -->`. The name is percent-encoded, including `-`, `!` and the other
 * characters encodeURIComponent leaves alone, so no flow name can end the comment (`-->`), put
 * `--` inside it, or look like another flow's marker.
 */
export function commentMarker(flowName: string): string {
  const encoded = encodeURIComponent(flowName).replace(
    /[-!'()*.~_]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
  return `<!-- fnf-wait:flow=${encoded} -->`
}

/** Where to comment: the PR of a `pull_request`/`pull_request_target` event, else undefined. */
export function prCommentTarget(eventName: string, payload: unknown): PrTarget | undefined {
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') return undefined
  const p = payload as
    | {
        number?: unknown
        pull_request?: { number?: unknown }
        repository?: { name?: unknown; owner?: { login?: unknown } }
      }
    | undefined
  const issueNumber = p?.pull_request?.number ?? p?.number
  const owner = p?.repository?.owner?.login
  const repo = p?.repository?.name
  if (typeof issueNumber !== 'number' || !Number.isSafeInteger(issueNumber) || issueNumber <= 0) {
    return undefined
  }
  if (typeof owner !== 'string' || owner === '' || typeof repo !== 'string' || repo === '') {
    return undefined
  }
  return { owner, repo, issueNumber }
}

/**
 * Creates the flow's comment on the PR, or updates it if an earlier run left one. A 403 (the
 * token may not write comments, e.g. a fork PR or missing `permissions`) is returned as a
 * warning: a missing comment must not fail the job. Any other HTTP error is thrown.
 */
export async function upsertPrComment(
  params: UpsertPrCommentParams
): Promise<UpsertPrCommentResult> {
  const marker = commentMarker(params.flowName)
  const body = withMarker(marker, params.body)
  const github = await import('@actions/github')
  const base = params.fetch ?? (await defaultFetch())
  const budgetMs = params.budgetMs ?? PR_COMMENT_BUDGET_MS
  const budget = new AbortController()
  const octokit = github.getOctokit(params.token, {
    baseUrl: params.apiUrl.replace(/\/+$/, ''),
    request: {
      fetch: cappedFetch(base, GITHUB_RESPONSE_CAP_BYTES),
      signal: budget.signal
    }
  })
  const where = { owner: params.owner, repo: params.repo }
  const target = `${params.owner}/${params.repo}#${params.issueNumber}`
  // Started only once nothing above can throw: a timer left behind would hold the process.
  const timer = setTimeout(() => budget.abort(), budgetMs)
  try {
    const existing = await findOwnComment(
      octokit,
      { ...where, issue_number: params.issueNumber },
      marker,
      params.apiUrl
    )
    if (existing !== undefined) {
      const res = await octokit.rest.issues.updateComment({ ...where, comment_id: existing, body })
      return { ok: true, action: 'updated', commentId: res.data.id, url: res.data.html_url }
    }
    const res = await octokit.rest.issues.createComment({
      ...where,
      issue_number: params.issueNumber,
      body
    })
    return { ok: true, action: 'created', commentId: res.data.id, url: res.data.html_url }
  } catch (error) {
    if (budget.signal.aborted) {
      return {
        ok: false,
        status: 0,
        warning: `Could not comment on ${target}: the GitHub API did not finish within ${budgetMs / 1000}s; the step went on without the comment.`
      }
    }
    const status = httpStatusOf(error)
    if (status === 403) return { ok: false, status, warning: forbiddenWarning(error, params) }
    throw Object.assign(
      new Error(`PR comment on ${target} failed (HTTP ${status ?? '?'}): ${errorMessage(error)}`),
      { status, cause: error }
    )
  } finally {
    clearTimeout(timer)
  }
}

type Octokit = ReturnType<typeof getOctokit>

interface ListedComment {
  id: number
  body?: string | null
  user?: { login?: string; type?: string } | null
}

/**
 * The first comment that opens with the marker AND was written by the token's own identity:
 * anyone can post a comment with the marker, and editing theirs would either fail (no report
 * at all) or put our report under their name. Pages are followed only through `Link: next`
 * URLs on the API's own origin (the token goes with them), at most MAX_COMMENT_PAGES.
 */
async function findOwnComment(
  octokit: Octokit,
  where: { owner: string; repo: string; issue_number: number },
  marker: string,
  apiUrl: string
): Promise<number | undefined> {
  const origin = new URL(apiUrl).origin
  let identity: Promise<string> | undefined
  let next: string | undefined
  for (let page = 0; page < MAX_COMMENT_PAGES; page++) {
    const res =
      next === undefined
        ? await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            ...where,
            per_page: 100
          })
        : await octokit.request({ method: 'GET', url: next })
    const comments = Array.isArray(res.data) ? (res.data as ListedComment[]) : []
    for (const c of comments) {
      // The marker must open the body: a reply quoting our comment ("> <!-- …") is not ours.
      if (!(c.body ?? '').trimStart().startsWith(marker)) continue
      identity ??= ownLogin(octokit)
      if (c.user?.login === (await identity)) return c.id
    }
    next = nextLink(res.headers.link, origin)
    if (next === undefined) return undefined
  }
  return undefined
}

/** The token's login; for an installation token (GITHUB_TOKEN) GET /user fails: the Actions bot. */
async function ownLogin(octokit: Octokit): Promise<string> {
  try {
    const res = await octokit.request('GET /user')
    const login = (res.data as { login?: unknown }).login
    return typeof login === 'string' && login !== '' ? login : GITHUB_ACTIONS_BOT
  } catch (error) {
    const status = httpStatusOf(error)
    if (status === undefined) throw error // network or budget: not an answer about identity
    return GITHUB_ACTIONS_BOT
  }
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

/** The runner's proxy-aware fetch that getOctokit uses by default. */
async function defaultFetch(): Promise<typeof globalThis.fetch> {
  const utils = await import('@actions/github/lib/utils')
  return (utils.defaults.request?.fetch as typeof globalThis.fetch | undefined) ?? fetch
}

/** A fetch whose bodies are read with a cap: a runaway answer is cut off with a clear error. */
function cappedFetch(inner: typeof globalThis.fetch, capBytes: number): typeof globalThis.fetch {
  return async (input, init) => {
    const res = await inner(input, init)
    if (res.body === null || res.status === 204 || res.status === 304) return res
    const chunks: Uint8Array[] = []
    let size = 0
    const reader = res.body.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > capBytes) {
        await reader.cancel().catch(() => undefined)
        throw new Error(`the GitHub API answered with more than ${formatBytes(capBytes)}`)
      }
      chunks.push(value)
    }
    return new Response(Buffer.concat(chunks), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers
    })
  }
}

function withMarker(marker: string, body: string): string {
  const text = body.trimStart().startsWith(marker) ? body : `${marker}\n${body}`
  if (text.length <= GITHUB_COMMENT_LIMIT) return text
  const note = '\n\n… (comment truncated to GitHub’s size limit)'
  return text.slice(0, GITHUB_COMMENT_LIMIT - note.length) + note
}

function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

function forbiddenWarning(error: unknown, params: PrTarget): string {
  const headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers
  const target = `${params.owner}/${params.repo}#${params.issueNumber}`
  if (headers?.['x-ratelimit-remaining'] === '0') {
    return `Could not comment on ${target}: GitHub API rate limit reached (HTTP 403).`
  }
  return (
    `Could not comment on ${target} (HTTP 403: the token may not write PR comments). ` +
    'To get the comment, add `permissions: pull-requests: write` (or `issues: write`) to the job; ' +
    'PRs from forks get a read-only token and cannot be commented on this way.'
  )
}

export interface PrCommentOptions {
  /** Link to the workflow run, where the full job summary is. */
  runUrl?: string
  /** Characters the comment may take; default 60,000 (GitHub allows 65,536 with the marker). */
  maxChars?: number
}

// Shorter than the summary: the root cause, a small timeline chart and a link; no table, no
// input/output.
const PR_LEVELS = [
  { inlineChars: 600, maxChars: 3000, raw: false, maxOthers: 5, maxRunning: 10, chartRows: 20 },
  { inlineChars: 200, maxChars: 200, raw: false, maxOthers: 0, maxRunning: 0, chartRows: 0 }
]

/** The PR comment's markdown (without the marker, which upsertPrComment adds). */
export function renderPrComment(view: ExecutionView, options: PrCommentOptions = {}): string {
  const { report } = view
  const limit = Math.min(options.maxChars ?? 60_000, GITHUB_COMMENT_LIMIT - 200)
  const link =
    options.runUrl !== undefined && /^https?:\/\//i.test(options.runUrl)
      ? `<a href="${escapeHtml(options.runUrl)}">Workflow run and full report</a>`
      : ''
  for (const level of PR_LEVELS) {
    const chart =
      report !== undefined && level.chartRows > 0
        ? renderGantt(report, { maxRows: level.chartRows, ...view.times })
        : ''
    const parts = [statusSection(view), causeSection(view, level), chart, link].filter(
      (p) => p !== ''
    )
    const text = parts.join('\n\n') + '\n'
    if (text.length <= limit) return text
  }
  return (
    statusSection({
      ...view,
      flowName: view.flowName.slice(0, 200),
      executionName: view.executionName.slice(0, 200)
    }).slice(0, limit) + '\n'
  )
}
