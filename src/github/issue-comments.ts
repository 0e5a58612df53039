/**
 * One comment per marker on a pull request, updated in place on every run: found again by the
 * marker that opens its body and by who wrote it, else created. A GitHub API that refuses (403)
 * or never answers costs a warning, never the job.
 */
import type { Dispatcher } from 'undici'
import type { PrTarget } from './pr-target.js'
import { GitHubRest, linkHeader, nextLink, type RestFailure } from './rest.js'

/**
 * A GitHub API that never answers must not hold the step: the comment as a whole (listing,
 * identity, write) gets 30 s, then the step goes on with a warning.
 */
export const PR_COMMENT_BUDGET_MS = 30_000
/** Pages of 100 comments read looking for ours; past them a new comment is made. */
export const MAX_COMMENT_PAGES = 10
/**
 * Who writes with the workflow's GITHUB_TOKEN. `GET /user` fails for installation tokens (it
 * needs a user), so when it does, this is the identity the comment must have been written by.
 */
export const GITHUB_ACTIONS_BOT = 'github-actions[bot]'

export interface UpsertCommentParams extends PrTarget {
  token: string
  /** REST base URL, e.g. `process.env.GITHUB_API_URL` (`https://api.github.com` or GHES). */
  apiUrl: string
  /** Opens the body of our comment: how a later run finds it. */
  marker: string
  /** The whole comment, opening with the marker, within GitHub's size limit. */
  body: string
  /** Default: the shared pool, which honours the runner's proxy settings. */
  dispatcher?: Dispatcher
  /** The whole comment (every request) gets this long; default PR_COMMENT_BUDGET_MS. */
  budgetMs?: number
  /** Aborting ends the request under way at once (a job being cancelled). */
  signal?: AbortSignal
}

export type UpsertCommentResult =
  | { ok: true; action: 'created' | 'updated'; commentId: number; url?: string }
  | { ok: false; status: number; warning: string }

/**
 * Creates the comment on the PR, or updates the one an earlier run left. A 403 (the token may not
 * write comments, e.g. a fork PR or missing `permissions`) and a budget run out are returned as
 * warnings: a missing comment must not fail the job. Any other failure is thrown.
 */
export async function upsertComment(params: UpsertCommentParams): Promise<UpsertCommentResult> {
  const target = `${params.owner}/${params.repo}#${params.issueNumber}`
  if (params.token === '') {
    throw new Error(`PR comment on ${target}: no GitHub token to write it with`)
  }
  const budgetMs = params.budgetMs ?? PR_COMMENT_BUDGET_MS
  const rest = new GitHubRest({
    token: params.token,
    apiUrl: params.apiUrl,
    deadline: Date.now() + budgetMs,
    dispatcher: params.dispatcher,
    signal: params.signal
  })
  const repo = `/repos/${encodeURIComponent(params.owner)}/${encodeURIComponent(params.repo)}`
  const found = await findOwnComment(
    rest,
    `${repo}/issues/${params.issueNumber}/comments`,
    params.marker
  )
  if (!found.ok) return refused(found, target, budgetMs)
  const body = { body: params.body }
  const res =
    found.id === undefined
      ? await rest.request('POST', `${repo}/issues/${params.issueNumber}/comments`, body)
      : await rest.request('PATCH', `${repo}/issues/comments/${found.id}`, body)
  if (!res.ok) return refused(res, target, budgetMs)
  const data = (res.data ?? {}) as { id?: unknown; html_url?: unknown }
  return {
    ok: true,
    action: found.id === undefined ? 'created' : 'updated',
    commentId: Number(data.id),
    ...(typeof data.html_url === 'string' ? { url: data.html_url } : {})
  }
}

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
  rest: GitHubRest,
  listPath: string,
  marker: string
): Promise<{ ok: true; id: number | undefined } | RestFailure> {
  let identity: Promise<string | RestFailure> | undefined
  let next = `${listPath}?per_page=100`
  for (let page = 0; page < MAX_COMMENT_PAGES; page++) {
    const res = await rest.request('GET', next)
    if (!res.ok) return res
    const comments = Array.isArray(res.data) ? (res.data as ListedComment[]) : []
    for (const c of comments) {
      // The marker must open the body: a reply quoting our comment ("> <!-- …") is not ours.
      if (!(c.body ?? '').trimStart().startsWith(marker)) continue
      identity ??= ownLogin(rest)
      const login = await identity
      if (typeof login !== 'string') return login
      if (c.user?.login === login) return { ok: true, id: c.id }
    }
    const link = nextLink(linkHeader(res.headers), rest.origin)
    if (link === undefined) break
    next = link
  }
  return { ok: true, id: undefined }
}

/** The token's login; for an installation token (GITHUB_TOKEN) GET /user fails: the Actions bot. */
async function ownLogin(rest: GitHubRest): Promise<string | RestFailure> {
  const res = await rest.request('GET', '/user')
  // Network or budget: not an answer about identity.
  if (!res.ok) return res.kind === 'http' ? GITHUB_ACTIONS_BOT : res
  const login = (res.data as { login?: unknown } | undefined)?.login
  return typeof login === 'string' && login !== '' ? login : GITHUB_ACTIONS_BOT
}

/** A failure as the warning it is worth, or thrown when it is not one we expect. */
function refused(failure: RestFailure, target: string, budgetMs: number): UpsertCommentResult {
  switch (failure.kind) {
    case 'deadline':
      return {
        ok: false,
        status: 0,
        warning: `Could not comment on ${target}: the GitHub API did not finish within ${budgetMs / 1000}s; the step went on without the comment.`
      }
    case 'http':
      if (failure.status === 403) {
        return { ok: false, status: 403, warning: forbiddenWarning(failure, target) }
      }
      throw Object.assign(
        new Error(`PR comment on ${target} failed (HTTP ${failure.status}): ${failure.message}`),
        { status: failure.status }
      )
    case 'unanswered':
      throw new Error(`PR comment on ${target} failed: ${failure.code}: ${failure.detail}`)
  }
}

function forbiddenWarning(failure: { headers: Record<string, unknown> }, target: string): string {
  if (failure.headers['x-ratelimit-remaining'] === '0') {
    return `Could not comment on ${target}: GitHub API rate limit reached (HTTP 403).`
  }
  return (
    `Could not comment on ${target} (HTTP 403: the token may not write PR comments). ` +
    'To get the comment, add `permissions: pull-requests: write` (or `issues: write`) to the job; ' +
    'PRs from forks get a read-only token and cannot be commented on this way.'
  )
}
