/**
 * STS AssumeRoleWithOIDC on 127.0.0.1, anonymous as the official credentials library calls it. It
 * checks the request as STS does (query Action/Version/Format/Timestamp, the form fields,
 * DurationSeconds, a known OIDC provider, a JWT whose `aud` is one of the provider's client ids and
 * whose `sub` the role trusts) and answers with STS's own error codes. Each assume mints new
 * credentials that expire, as STS's do, DurationSeconds later (or after `expiresInMs`, for tests
 * that outlive several), and hands them to `onMint` so the FnF emulator can accept, and later
 * expire, them. It never checks a token's signature: the tokens of ./id-token.ts are unsigned.
 * `npm run emulator` serves one (./keyless.ts); the tests start their own.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import http from 'node:http'
import { GITHUB_ISSUER } from './id-token.js'
import { listenOnLoopback } from './loopback.js'
import { formatRfc3339 } from './rfc3339.js'

export interface FakeOidcProvider {
  arn: string
  /** Accepted `aud` values. Default ['sts.aliyuncs.com']. */
  clientIds?: string[]
  /** Default GITHUB_ISSUER, the issuer of the runner's ID tokens. */
  issuer?: string
}

export interface FakeRole {
  arn: string
  /** The provider the trust policy names. */
  providerArn: string
  /** Trust policy condition on `oidc:sub`; a trailing `*` matches any rest. */
  subject: string
  /** Default 43200. */
  maxSessionDuration?: number
}

export interface MintedCredential {
  accessKeyId: string
  accessKeySecret: string
  securityToken: string
  /** Real epoch ms, exactly what `Expiration` says. */
  expiresAt: number
  oidcToken: string
  roleArn: string
  roleSessionName: string
}

export interface StsRequestRecord {
  method: string
  query: Record<string, string>
  form: Record<string, string>
  status: number
  code?: string
  /** Real epoch ms. */
  at: number
}

export type StsFault =
  | { status: number; code: string; message?: string; count?: number }
  | { kind: 'reset'; count?: number }

export interface StsFakeOptions {
  providers: FakeOidcProvider[]
  roles: FakeRole[]
  /** Lifetime of minted credentials in real ms. Default: DurationSeconds, as STS does. */
  expiresInMs?: number
  /**
   * The clock `Expiration` is counted on. Default Date.now; a test that moves its client's clock
   * moves this one with it, and then says itself when the FnF emulator stops accepting a
   * credential.
   */
  now?: () => number
  /** Default 0: a free port. */
  port?: number
  onMint?: (credential: MintedCredential) => void
}

export interface StsFake {
  url: string
  requests: StsRequestRecord[]
  minted: MintedCredential[]
  /** Applies to the next requests, before any check. */
  fail(fault: StsFault): void
  close(): Promise<void>
}

const REQUIRED = ['OIDCProviderArn', 'OIDCToken', 'RoleArn', 'RoleSessionName'] as const

class StsReject extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

export async function startStsFake(opts: StsFakeOptions): Promise<StsFake> {
  const requests: StsRequestRecord[] = []
  const minted: MintedCredential[] = []
  const faults: StsFault[] = []
  let serial = 0

  const assume = (query: Record<string, string>, form: Record<string, string>): unknown => {
    if (query.Action !== 'AssumeRoleWithOIDC') {
      throw new StsReject(
        400,
        'InvalidAction.NotFound',
        `Specified api is not found: ${query.Action}`
      )
    }
    if (query.Version !== '2015-04-01') {
      throw new StsReject(400, 'InvalidVersion', `Specified version is not valid: ${query.Version}`)
    }
    if (query.Format !== 'JSON') throw new StsReject(400, 'InvalidParameter', 'Format must be JSON')
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(query.Timestamp ?? '')) {
      throw new StsReject(400, 'InvalidTimeStamp.Format', 'Specified time stamp is not valid.')
    }
    for (const name of REQUIRED) {
      if (!form[name]) {
        throw new StsReject(400, `Missing${name}`, `${name} is mandatory for this action.`)
      }
    }
    const f = form as Record<(typeof REQUIRED)[number], string> & Record<string, string>
    if (!/^[A-Za-z0-9._@-]{2,64}$/.test(f.RoleSessionName)) {
      throw new StsReject(
        400,
        'InvalidParameter.RoleSessionName',
        'The parameter RoleSessionName is wrongly formed.'
      )
    }
    const provider = opts.providers.find((p) => p.arn === f.OIDCProviderArn)
    if (!provider) {
      throw new StsReject(
        401,
        'AuthenticationFail.NoPermission',
        'No such OIDC Provider registered.'
      )
    }
    const claims = decode(f.OIDCToken)
    if (!claims) {
      throw new StsReject(
        401,
        'AuthenticationFail.OIDCToken.Invalid',
        "The number of Jwt field should be divided into 3 parts with '.' ."
      )
    }
    const clientIds = provider.clientIds ?? ['sts.aliyuncs.com']
    const auds = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
    if (!auds.some((a) => typeof a === 'string' && clientIds.includes(a))) {
      throw new StsReject(401, 'AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.')
    }
    if (claims.iss !== (provider.issuer ?? GITHUB_ISSUER)) {
      throw new StsReject(401, 'AuthenticationFail.OIDCToken.IssuerNotMatch', 'Invalid issuer.')
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) {
      throw new StsReject(
        401,
        'AuthenticationFail.OIDCToken.Expired',
        'This JsonWebToken is expired.'
      )
    }
    const role = opts.roles.find((r) => r.arn === f.RoleArn)
    if (!role) throw new StsReject(404, 'EntityNotExist.Role', `The role not exists: ${f.RoleArn}.`)
    const duration = f.DurationSeconds === undefined ? 3600 : Number(f.DurationSeconds)
    const max = role.maxSessionDuration ?? 43_200
    if (!Number.isInteger(duration) || duration < 900 || duration > max) {
      throw new StsReject(
        400,
        'InvalidParameter.DurationSeconds',
        `The Min/Max value of DurationSeconds is 15min/${max / 3600}hr.`
      )
    }
    const sub = typeof claims.sub === 'string' ? claims.sub : ''
    const allowed = role.subject.endsWith('*')
      ? sub.startsWith(role.subject.slice(0, -1))
      : sub === role.subject
    if (role.providerArn !== provider.arn || !allowed) {
      throw new StsReject(401, 'AuthenticationFail.NoPermission', 'There is no permission')
    }

    serial++
    // STS gives Expiration to the second; the emulator is told exactly that instant.
    const lifetimeMs = opts.expiresInMs ?? duration * 1000
    const now = opts.now ?? Date.now
    const expiration = formatRfc3339(now() + lifetimeMs)
    const credential: MintedCredential = {
      accessKeyId: `STS.NFake${serial}${randomBytes(6).toString('hex')}`,
      accessKeySecret: randomBytes(20).toString('base64url'),
      securityToken: `CAIS${randomBytes(48).toString('base64')}`,
      expiresAt: Date.parse(expiration),
      oidcToken: f.OIDCToken,
      roleArn: role.arn,
      roleSessionName: f.RoleSessionName
    }
    minted.push(credential)
    opts.onMint?.(credential)
    return {
      RequestId: randomUUID().toUpperCase(),
      AssumedRoleUser: {
        Arn: `${role.arn.replace(':role/', ':assumed-role/')}/${f.RoleSessionName}`,
        AssumedRoleId: `3${serial}:${f.RoleSessionName}`
      },
      Credentials: {
        AccessKeyId: credential.accessKeyId,
        AccessKeySecret: credential.accessKeySecret,
        SecurityToken: credential.securityToken,
        Expiration: expiration
      },
      OIDCTokenInfo: { Subject: sub, Issuer: claims.iss, ClientIds: auds.join(',') }
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const query = Object.fromEntries(url.searchParams)
      const isForm = (req.headers['content-type'] ?? '').startsWith(
        'application/x-www-form-urlencoded'
      )
      const form = isForm
        ? Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
        : {}
      const record: StsRequestRecord = {
        method: req.method ?? '',
        query,
        form,
        status: 0,
        at: Date.now()
      }
      requests.push(record)
      const reply = (status: number, body: unknown): void => {
        record.status = status
        res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' })
        res.end(JSON.stringify(body))
      }
      const fault = faults[0]
      if (fault) {
        if ((fault.count ?? 1) <= 1) faults.shift()
        else fault.count = (fault.count ?? 1) - 1
        if ('kind' in fault) {
          record.code = 'reset'
          req.socket.destroy()
          return
        }
        record.code = fault.code
        return reply(fault.status, errorBody(fault.code, fault.message ?? 'injected'))
      }
      try {
        if (req.method !== 'POST') throw new StsReject(400, 'InvalidParameter', 'Use POST.')
        if (url.pathname !== '/') throw new StsReject(404, 'InvalidAction.NotFound', url.pathname)
        reply(200, assume(query, form))
      } catch (error) {
        if (!(error instanceof StsReject)) throw error
        record.code = error.code
        reply(error.status, errorBody(error.code, error.message))
      }
    })
  })
  // Longer than any client keeps an idle connection (undici: the server's hint less 2 s), so the
  // client, never this server, closes one: a retry test never meets a socket closed under it.
  server.keepAliveTimeout = 120_000
  const { url, close } = await listenOnLoopback(server, opts.port)
  return {
    url,
    requests,
    minted,
    fail(fault) {
      faults.push({ ...fault })
    },
    close
  }
}

function errorBody(code: string, message: string): Record<string, string> {
  const requestId = randomUUID().toUpperCase()
  return {
    RequestId: requestId,
    HostId: 'sts.aliyuncs.com',
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=Sts&requestId=${requestId}`
  }
}

function decode(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'))
    return typeof claims === 'object' && claims !== null
      ? (claims as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
