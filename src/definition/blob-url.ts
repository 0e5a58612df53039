/**
 * The link to a definition's lines on GitHub: `{server}/{repo}/blob/{sha}/{path}#L{start}-L{end}`.
 * Pure: the runner's values in (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_SHA`, the event
 * payload of `GITHUB_EVENT_PATH`), a URL or the reason there is none out. Anything odd is refused
 * rather than linked: a server URL with credentials, a path, a query or a fragment; a repository
 * or SHA not of GitHub's form; a file path with an empty, `.` or `..` segment or a control
 * character. Path segments are percent-encoded.
 */

export interface BlobUrlInput {
  serverUrl: string | undefined
  repository: string | undefined
  sha: string | undefined
  /** The event payload: a pull request's head commit is what its author pushed. */
  event?: unknown
  /** Workspace-relative, `/`-separated. */
  file: string
  startLine: number
  endLine: number
}

export type BlobUrl = { kind: 'url'; url: string } | { kind: 'refused'; reason: string }

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

export function blobUrl(input: BlobUrlInput): BlobUrl {
  const server = origin(input.serverUrl)
  if (server === undefined) return refused('GITHUB_SERVER_URL is not a plain http(s) origin')
  const repository = input.repository ?? ''
  if (!REPOSITORY.test(repository) || /\/\.\.?$/.test(repository)) {
    return refused('GITHUB_REPOSITORY is not of the form owner/name')
  }
  const commit = commitOf(input.sha, input.event)
  if (commit.kind === 'refused') return commit
  const path = encodePath(input.file)
  if (path === undefined) return refused('the file path is not a plain workspace-relative path')
  const { startLine, endLine } = input
  if (
    !Number.isInteger(startLine) ||
    !Number.isInteger(endLine) ||
    startLine < 1 ||
    endLine < startLine
  ) {
    return refused('the line range is not 1 ≤ start ≤ end')
  }
  return {
    kind: 'url',
    url: `${server}/${repository}/blob/${commit.sha}/${path}#L${startLine}-L${endLine}`
  }
}

/** The pull request's head SHA when the event is a pull request's, else `GITHUB_SHA`. */
export function commitOf(
  sha: string | undefined,
  event: unknown
): { kind: 'sha'; sha: string } | { kind: 'refused'; reason: string } {
  const pull = field(event, 'pull_request')
  if (pull !== undefined) {
    const head = field(field(pull, 'head'), 'sha')
    return typeof head === 'string' && SHA.test(head)
      ? { kind: 'sha', sha: head }
      : refused("the pull request event's head SHA is not a commit SHA")
  }
  return sha !== undefined && SHA.test(sha)
    ? { kind: 'sha', sha }
    : refused('GITHUB_SHA is not a commit SHA')
}

function origin(serverUrl: string | undefined): string | undefined {
  if (serverUrl === undefined) return undefined
  let url: URL
  try {
    url = new URL(serverUrl)
  } catch {
    return undefined
  }
  const plain =
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    !serverUrl.includes('?') &&
    !serverUrl.includes('#')
  return plain ? url.origin : undefined
}

function encodePath(file: string): string | undefined {
  const segments = file.split('/')
  const odd = (s: string): boolean =>
    // eslint-disable-next-line no-control-regex
    s === '' || s === '.' || s === '..' || /[\u0000-\u001f\u007f]/.test(s)
  return segments.some(odd) ? undefined : segments.map(encodeURIComponent).join('/')
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined
}

function refused(reason: string): { kind: 'refused'; reason: string } {
  return { kind: 'refused', reason }
}
