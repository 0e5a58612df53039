import { timingSafeEqual } from 'node:crypto'
import OpenApiUtil from '@alicloud/openapi-util'
import type { Clock } from './clock.js'
import { ApiError } from './errors.js'
import type { Params } from './params.js'
import { formatRfc3339 } from './rfc3339.js'
import type { EmulatorCredential } from './types.js'

export const API_VERSION = '2019-03-15'

/** The common parameters every signed RPC request carries, in the order they are checked. */
export const COMMON_PARAMS = [
  'Action',
  'Version',
  'Format',
  'SignatureMethod',
  'SignatureVersion',
  'SignatureNonce',
  'Timestamp',
  'AccessKeyId',
  'Signature'
] as const

/** The gateway accepts request times within 15 minutes of its clock, and remembers nonces as long. */
const WINDOW_MS = 15 * 60 * 1000

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/

/**
 * Authenticates a request like the RPC gateway, in this order: common parameters, Version,
 * Action, AccessKeyId, Signature, Timestamp, nonce, SecurityToken. Throws an ApiError.
 */
export class Authenticator {
  private readonly credentials = new Map<string, EmulatorCredential>()
  /** `${AccessKeyId}\n${nonce}` -> real ms when it may be used again. Insertion order = expiry order. */
  private readonly nonces = new Map<string, number>()

  constructor(
    private readonly clock: Clock,
    private readonly actions: ReadonlySet<string>
  ) {}

  addCredential(c: EmulatorCredential): void {
    this.credentials.set(c.accessKeyId, { ...c })
  }

  /** Returns the AccessKeyId of an authentic request. */
  check(params: Params, method: string): string {
    for (const name of COMMON_PARAMS) {
      if (params[name] === undefined) throw new ApiError('MissingRequiredParams', name)
    }
    const p = params as Record<(typeof COMMON_PARAMS)[number], string>
    if (p.Version !== API_VERSION) throw new ApiError('APIVersionNotSupported', p.Version)
    if (!this.actions.has(p.Action)) throw new ApiError('ActionNotSupported', p.Action)
    // The emulator only speaks JSON and the HMAC-SHA1 v1.0 signature; anything else is a bad value.
    if (p.Format.toUpperCase() !== 'JSON') {
      throw new ApiError('InvalidArgument', `Format '${p.Format}' is not supported; use JSON.`)
    }
    if (p.SignatureMethod !== 'HMAC-SHA1') {
      throw new ApiError(
        'InvalidArgument',
        `SignatureMethod '${p.SignatureMethod}' is not supported.`
      )
    }
    if (p.SignatureVersion !== '1.0') {
      throw new ApiError(
        'InvalidArgument',
        `SignatureVersion '${p.SignatureVersion}' is not supported.`
      )
    }
    const credential = this.credentials.get(p.AccessKeyId)
    if (!credential) throw new ApiError('InvalidAccessKeyID', p.AccessKeyId)
    if (!signatureMatches(params, method, credential.accessKeySecret)) {
      throw new ApiError('SignatureNotMatch')
    }
    this.checkTimestamp(p.Timestamp)
    this.useNonce(p.AccessKeyId, p.SignatureNonce)
    checkSecurityToken(credential, params.SecurityToken)
    if (credential.deniedActions?.includes(p.Action) === true) {
      throw new ApiError('Forbidden.RAM', p.Action)
    }
    return p.AccessKeyId
  }

  private checkTimestamp(timestamp: string): void {
    const at = TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : NaN
    if (Number.isNaN(at)) {
      throw new ApiError('InvalidArgument', `Timestamp '${timestamp}' is not a UTC ISO 8601 time.`)
    }
    const server = this.clock.server()
    if (Math.abs(at - server) > WINDOW_MS) {
      throw new ApiError('RequestTimeTooSkewed', timestamp, formatRfc3339(server))
    }
  }

  private useNonce(accessKeyId: string, nonce: string): void {
    const now = Date.now()
    for (const [key, expiry] of this.nonces) {
      if (expiry > now) break
      this.nonces.delete(key)
    }
    const key = `${accessKeyId}\n${nonce}`
    if (this.nonces.has(key)) throw new ApiError('SignatureNonceUsed')
    this.nonces.set(key, now + WINDOW_MS)
  }
}

/** Recomputed with Alibaba's own util, so a bug in the action's signer cannot hide here. */
function signatureMatches(params: Params, method: string, secret: string): boolean {
  const signed: Record<string, string> = {}
  for (const key of Object.keys(params)) {
    if (key !== 'Signature') signed[key] = params[key] ?? ''
  }
  const expected = Buffer.from(OpenApiUtil.default.getRPCSignature(signed, method, secret))
  const given = Buffer.from(params.Signature ?? '')
  return expected.length === given.length && timingSafeEqual(expected, given)
}

function checkSecurityToken(credential: EmulatorCredential, token: string | undefined): void {
  if (credential.expiresAt !== undefined && Date.now() >= credential.expiresAt) {
    throw new ApiError('InvalidSecurityToken.Expired')
  }
  if (credential.securityToken === undefined) return
  if (token === undefined || token === '') throw new ApiError('InvalidSecurityToken.Malformed')
  if (token !== credential.securityToken) {
    throw new ApiError('InvalidSecurityToken.MismatchWithAccessKey')
  }
}
