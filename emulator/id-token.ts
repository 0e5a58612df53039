/**
 * The runner's ID-token endpoint on 127.0.0.1, as `@actions/core`'s getIDToken calls it (actions/toolkit
 * packages/core/src/oidc-utils.ts): `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=…` with
 * `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN` answers `{"value": "<jwt>"}`, a new token
 * each time. The JWTs are well-formed but unsigned (nothing here verifies signatures).
 * `npm run emulator` serves one (./keyless.ts); the tests start their own.
 */
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import { listenOnLoopback } from './loopback.js'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
export const DEFAULT_SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main'

export interface IdTokenFakeOptions {
  /** The `sub` claim. Default DEFAULT_SUBJECT. */
  subject?: string
  /** Default 300: GitHub's tokens are short-lived too. */
  lifetimeSeconds?: number
  /** What ACTIONS_ID_TOKEN_REQUEST_TOKEN must be. Default: a new random one. */
  requestToken?: string
  /** Default 0: a free port. */
  port?: number
}

export interface IdTokenRequest {
  audience: string | undefined
  authorized: boolean
}

export interface IdTokenFake {
  url: string
  /** What a runner sets for a job with `permissions: id-token: write`. */
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string }
  requests: IdTokenRequest[]
  /** Every token handed out, in order. */
  issued: string[]
  /** Answer `status` to the next `count` requests. */
  failNext(status: number, count?: number): void
  close(): Promise<void>
}

/** An unsigned but well-formed JWT (header.payload.signature, base64url). */
export function makeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')
  const signature = Buffer.from(`fake-signature-${randomUUID()}`).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'fake' })}.${part(claims)}.${signature}`
}

/** A token as GitHub would issue it for `audience`. */
export function githubJwt(opts: {
  audience: string
  subject?: string
  lifetimeSeconds?: number
  now?: number
}): string {
  const iat = Math.floor((opts.now ?? Date.now()) / 1000)
  const subject = opts.subject ?? DEFAULT_SUBJECT
  return makeJwt({
    jti: randomUUID(),
    sub: subject,
    aud: opts.audience,
    iss: GITHUB_ISSUER,
    repository: subject.split(':')[1] ?? '',
    iat,
    nbf: iat - 5,
    exp: iat + (opts.lifetimeSeconds ?? 300)
  })
}

export async function startIdTokenFake(opts: IdTokenFakeOptions = {}): Promise<IdTokenFake> {
  const bearer = opts.requestToken ?? `runtime-${randomUUID()}`
  const requests: IdTokenRequest[] = []
  const issued: string[] = []
  const failures: number[] = []

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const authorized = req.headers.authorization === `Bearer ${bearer}`
    const audience = url.searchParams.get('audience') ?? undefined
    requests.push({ audience, authorized })
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const failure = failures.shift()
    if (failure !== undefined) return reply(failure, { message: 'injected failure' })
    if (req.method !== 'GET' || url.pathname !== '/idtoken') return reply(404, { message: 'nope' })
    if (url.searchParams.get('api-version') !== '2.0') return reply(400, { message: 'api-version' })
    if (!authorized) return reply(401, { message: 'Bad credentials' })
    // Like GitHub: without an audience, the token is for the repository owner's URL.
    const token = githubJwt({
      audience: audience ?? 'https://github.com/octo-org',
      ...(opts.subject ? { subject: opts.subject } : {}),
      ...(opts.lifetimeSeconds ? { lifetimeSeconds: opts.lifetimeSeconds } : {})
    })
    issued.push(token)
    reply(200, { count: 1, value: token })
  })
  const { url, close } = await listenOnLoopback(server, opts.port)
  return {
    url,
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: bearer
    },
    requests,
    issued,
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) failures.push(status)
    },
    close
  }
}
