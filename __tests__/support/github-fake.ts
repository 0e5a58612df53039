/**
 * A local fake of the GitHub REST API, enough for issue comments: list (paginated with a Link
 * header, like GitHub), create, update. Listens on 127.0.0.1 on a random port; tests point
 * `apiUrl` at `fake.url`. Records every request and can be told to fail a route.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface FakeComment {
  id: number
  body: string
  user: { login: string; type: string }
  html_url: string
  created_at: string
  updated_at: string
}

export interface RecordedRequest {
  method: string
  /** Path without the query string (and without basePath). */
  path: string
  query: Record<string, string>
  headers: http.IncomingHttpHeaders
  body: unknown
}

interface Failure {
  method: string
  path: RegExp
  status: number
  body: unknown
  headers: Record<string, string>
  times: number
}

export interface GitHubFake {
  /** Base URL to pass as `apiUrl` (includes basePath). */
  url: string
  requests: RecordedRequest[]
  /** Comments of one issue, oldest first (the store itself: tests may inspect it). */
  comments(owner: string, repo: string, issue: number): FakeComment[]
  addComment(owner: string, repo: string, issue: number, body: string, login?: string): FakeComment
  /**
   * The token's identity for `GET /user` and for comments it creates. Undefined (the default):
   * GET /user answers 403 as it does for the workflow's GITHUB_TOKEN, and comments are by
   * github-actions[bot].
   */
  setUser(login: string | undefined): void
  /** Requests matching method and path get no answer at all (the socket stays open). */
  hang(method: string, path: RegExp): void
  /** Extra `Link` entries for the comment list, e.g. a `next` on another host. */
  extraLink(link: string | undefined): void
  /** Answer `status` to requests matching method and path, `times` times (default: always). */
  failWith(
    method: string,
    path: RegExp,
    status: number,
    opts?: { body?: unknown; headers?: Record<string, string>; times?: number }
  ): void
  close(): Promise<void>
}

export async function startGitHubFake(opts: { basePath?: string } = {}): Promise<GitHubFake> {
  const basePath = (opts.basePath ?? '').replace(/\/+$/, '')
  const store = new Map<string, FakeComment[]>()
  const requests: RecordedRequest[] = []
  const failures: Failure[] = []
  let nextId = 1000
  let baseUrl = ''
  let user: string | undefined
  let extraLink: string | undefined
  const hangs: Array<{ method: string; path: RegExp }> = []

  const key = (owner: string, repo: string, issue: number): string => `${owner}/${repo}#${issue}`
  const list = (owner: string, repo: string, issue: number): FakeComment[] => {
    const k = key(owner, repo, issue)
    let l = store.get(k)
    if (l === undefined) store.set(k, (l = []))
    return l
  }
  const create = (owner: string, repo: string, issue: number, body: string, login: string) => {
    const id = nextId++
    const now = new Date().toISOString()
    const c: FakeComment = {
      id,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      created_at: now,
      updated_at: now
    }
    list(owner, repo, issue).push(c)
    return c
  }

  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {}
  ): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(body === undefined ? '' : JSON.stringify(body))
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const method = req.method ?? 'GET'
      if (!url.pathname.startsWith(basePath)) return send(res, 404, { message: 'Not Found' })
      const path = url.pathname.slice(basePath.length)
      const raw = Buffer.concat(chunks).toString('utf8')
      let body: unknown = undefined
      try {
        body = raw === '' ? undefined : JSON.parse(raw)
      } catch {
        return send(res, 400, { message: 'Problems parsing JSON' })
      }
      requests.push({
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body
      })

      if (hangs.some((h) => h.method === method && h.path.test(path))) return
      const failure = failures.find((f) => f.method === method && f.path.test(path) && f.times > 0)
      if (failure !== undefined) {
        failure.times -= 1
        return send(res, failure.status, failure.body, failure.headers)
      }
      if (!/^(token|Bearer) \S+/.test(req.headers.authorization ?? '')) {
        return send(res, 401, { message: 'Requires authentication' })
      }

      if (method === 'GET' && path === '/user') {
        if (user === undefined) {
          return send(res, 403, { message: 'Resource not accessible by integration' })
        }
        return send(res, 200, { login: user, type: 'User' })
      }
      let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(path)
      if (m !== null) {
        const [owner, repo, issue] = [m[1]!, m[2]!, Number(m[3])]
        if (method === 'GET') {
          const all = list(owner, repo, issue)
          const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)))
          const page = Math.max(1, Number(url.searchParams.get('page') ?? 1))
          const last = Math.max(1, Math.ceil(all.length / perPage))
          const links: string[] = []
          const pageUrl = (p: number): string => {
            const u = new URL(`${baseUrl}${path}`)
            u.searchParams.set('per_page', String(perPage))
            u.searchParams.set('page', String(p))
            return u.toString()
          }
          if (page < last)
            links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`)
          if (page > 1)
            links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`)
          if (extraLink !== undefined) links.unshift(extraLink)
          const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {}
          return send(res, 200, all.slice((page - 1) * perPage, page * perPage), headers)
        }
        if (method === 'POST') {
          const text = (body as { body?: unknown } | undefined)?.body
          if (typeof text !== 'string') return send(res, 422, { message: 'body is missing' })
          return send(res, 201, create(owner, repo, issue, text, user ?? 'github-actions[bot]'))
        }
      }
      m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(path)
      if (m !== null && method === 'PATCH') {
        const id = Number(m[3])
        const prefix = `${m[1]}/${m[2]}#`
        for (const [k, comments] of store) {
          if (!k.startsWith(prefix)) continue
          const c = comments.find((x) => x.id === id)
          if (c === undefined) continue
          const text = (body as { body?: unknown } | undefined)?.body
          if (typeof text !== 'string') return send(res, 422, { message: 'body is missing' })
          c.body = text
          c.updated_at = new Date().toISOString()
          return send(res, 200, c)
        }
      }
      return send(res, 404, { message: 'Not Found' })
    })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  baseUrl = `http://127.0.0.1:${port}${basePath}`

  return {
    url: baseUrl,
    requests,
    comments: (owner, repo, issue) => list(owner, repo, issue),
    addComment: (owner, repo, issue, body, login = 'someone') =>
      create(owner, repo, issue, body, login),
    setUser(login) {
      user = login
    },
    hang(method, path) {
      hangs.push({ method, path })
    },
    extraLink(link) {
      extraLink = link
    },
    failWith(method, path, status, o = {}) {
      failures.push({
        method,
        path,
        status,
        body: o.body ?? { message: 'Resource not accessible by integration' },
        headers: o.headers ?? {},
        times: o.times ?? Infinity
      })
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}

/**
 * A GitHub API that accepts every connection and never answers, with the pull_request event the
 * runner would give: `asked` settles at the first request, `env` points the action at both.
 */
export async function startHangingGitHub(): Promise<{
  env: Record<string, string>
  asked: Promise<unknown>
  close: () => Promise<void>
}> {
  const server = http.createServer(() => {})
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const event = join(mkdtempSync(join(tmpdir(), 'fnf-wait-ev-')), 'event.json')
  writeFileSync(
    event,
    JSON.stringify({ number: 7, repository: { name: 'app', owner: { login: 'octo' } } })
  )
  return {
    env: {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    },
    asked: new Promise((r) => server.once('request', r)),
    close: async () => {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    }
  }
}
