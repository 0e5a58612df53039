/**
 * The two machine sources of credentials a self-hosted runner may have, each its own server on
 * 127.0.0.1: the ECS instance metadata service (`PUT /latest/api/token`, then the RAM role's name
 * and credentials under `/latest/meta-data/ram/security-credentials/`) and a server behind
 * ALIBABA_CLOUD_CREDENTIALS_URI. Both give credentials that expire when the test says
 * (`expiresAt`), and new ones only when it says (`rotate`), handed to `onMint` so the FnF emulator
 * can accept them. README, "Machine credentials", names the source of each behaviour.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { listenOnLoopback } from './loopback.js'
import { formatRfc3339 } from './rfc3339.js'
import type { EmulatorCredential } from './types.js'

export interface MachineCredential extends EmulatorCredential {
  securityToken: string
  /** Epoch ms: what `Expiration` says (to the second). */
  expiresAt: number
}

export interface MachineRequestRecord {
  method: string
  path: string
  /** The session token the request carried (`X-aliyun-ecs-metadata-token`). */
  token?: string
  /** `X-aliyun-ecs-metadata-token-ttl-seconds` of a token request. */
  ttl?: string
  status: number
}

export type MachineFault = { status: number; count?: number } | { kind: 'reset'; count?: number }

interface Common {
  /** `Expiration` of the first credentials. Default: 6 hours from now. */
  expiresAt?: number
  onMint?: (credential: MachineCredential) => void
  /** Default 0: a free port. */
  port?: number
}

export interface EcsMetadataFakeOptions extends Common {
  /** The instance's RAM role; without one, the role list is 404. */
  roleName?: string
  /**
   * `normal` (default): requests with or without a session token; `hardened`: only with one;
   * `no-tokens`: an instance that gives no session token (the token request is 404).
   */
  mode?: 'normal' | 'hardened' | 'no-tokens'
}

export interface MachineFake {
  url: string
  requests: MachineRequestRecord[]
  /** Every credential given out, in order; the last is the one given now. */
  minted: MachineCredential[]
  /** From now on, new credentials that expire at `expiresAt` (the instance's rotation). */
  rotate(expiresAt: number): MachineCredential
  /** Applies to the next requests (a token request counts), before any check. */
  fail(fault: MachineFault): void
  close(): Promise<void>
}

const TOKEN_PATH = '/latest/api/token'
const ROLE_PATH = '/latest/meta-data/ram/security-credentials/'
const SIX_HOURS_MS = 6 * 3_600_000

export async function startEcsMetadataFake(
  opts: EcsMetadataFakeOptions = {}
): Promise<MachineFake> {
  const mode = opts.mode ?? 'normal'
  /** Session token → real epoch ms when it stops being accepted. */
  const tokens = new Map<string, number>()
  return serve(opts, (req, record) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    if (path === TOKEN_PATH) {
      if (req.method !== 'PUT') return { status: 405, body: 'Method Not Allowed' }
      if (mode === 'no-tokens') return { status: 404, body: 'Not Found' }
      const ttl = header(req, 'x-aliyun-ecs-metadata-token-ttl-seconds')
      if (ttl !== undefined) record.ttl = ttl
      const seconds = Number(ttl)
      if (!Number.isInteger(seconds) || seconds < 1 || seconds > 21_600) {
        return { status: 400, body: 'Bad Request' }
      }
      const token = randomBytes(24).toString('base64url')
      tokens.set(token, Date.now() + seconds * 1000)
      return { status: 200, body: token }
    }
    if (req.method !== 'GET') return { status: 405, body: 'Method Not Allowed' }
    const token = header(req, 'x-aliyun-ecs-metadata-token')
    if (token !== undefined) {
      record.token = token
      if ((tokens.get(token) ?? 0) <= Date.now()) return { status: 401, body: 'Unauthorized' }
    } else if (mode === 'hardened') {
      return { status: 403, body: 'Forbidden' }
    }
    if (!path.startsWith(ROLE_PATH) || !opts.roleName) return { status: 404, body: 'Not Found' }
    const asked = decodeURIComponent(path.slice(ROLE_PATH.length))
    if (asked === '') return { status: 200, body: opts.roleName }
    if (asked !== opts.roleName) return { status: 404, body: 'Not Found' }
    return 'credentials'
  })
}

/** A server behind ALIBABA_CLOUD_CREDENTIALS_URI: `GET` anything answers the credentials. */
export async function startCredentialsUriFake(opts: Common = {}): Promise<MachineFake> {
  return serve(opts, (req) =>
    req.method === 'GET' ? 'credentials' : { status: 405, body: 'Method Not Allowed' }
  )
}

/** A plain answer, or the current credentials as JSON. */
type Answer = { status: number; body: string } | 'credentials'

/** The server both share. */
async function serve(
  opts: Common,
  route: (req: http.IncomingMessage, record: MachineRequestRecord) => Answer
): Promise<MachineFake> {
  const requests: MachineRequestRecord[] = []
  const minted: MachineCredential[] = []
  const faults: MachineFault[] = []
  const mint = (expiresAt: number): MachineCredential => {
    // `Expiration` is to the second; the emulator is told exactly that instant.
    const credential: MachineCredential = {
      accessKeyId: `STS.NMachine${minted.length + 1}${randomBytes(6).toString('hex')}`,
      accessKeySecret: randomBytes(20).toString('base64url'),
      securityToken: `CAIS${randomBytes(48).toString('base64')}`,
      expiresAt: Math.floor(expiresAt / 1000) * 1000
    }
    minted.push(credential)
    opts.onMint?.(credential)
    return credential
  }
  mint(opts.expiresAt ?? Date.now() + SIX_HOURS_MS)

  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const record: MachineRequestRecord = {
        method: req.method ?? '',
        path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
        status: 0
      }
      requests.push(record)
      const fault = faults[0]
      if (fault) {
        if ((fault.count ?? 1) <= 1) faults.shift()
        else fault.count = (fault.count ?? 1) - 1
        if ('kind' in fault) {
          req.socket.destroy()
          return
        }
        record.status = fault.status
        res.writeHead(fault.status, { 'content-type': 'text/plain' })
        res.end('injected')
        return
      }
      const answer = route(req, record)
      record.status = answer === 'credentials' ? 200 : answer.status
      if (answer !== 'credentials') {
        res.writeHead(answer.status, { 'content-type': 'text/plain' })
        res.end(answer.body)
        return
      }
      const current = minted.at(-1)!
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          AccessKeyId: current.accessKeyId,
          AccessKeySecret: current.accessKeySecret,
          Expiration: formatRfc3339(current.expiresAt),
          SecurityToken: current.securityToken,
          LastUpdated: formatRfc3339(Date.now()),
          Code: 'Success'
        })
      )
    })
  })
  // Longer than any client keeps an idle connection: the client, never this server, closes it.
  server.keepAliveTimeout = 120_000
  const { url, close } = await listenOnLoopback(server, opts.port)
  return {
    url,
    requests,
    minted,
    rotate: mint,
    fail(fault) {
      faults.push({ ...fault })
    },
    close
  }
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}
