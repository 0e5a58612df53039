/**
 * A bare RPC client for tests and benchmarks: builds signed requests with Alibaba's own
 * `@alicloud/openapi-util` (never the action's signer), and lets a test break any part of them.
 */
import { randomUUID } from 'node:crypto'
import OpenApiUtil from '@alicloud/openapi-util'
import { API_VERSION, COMMON_PARAMS } from './auth.js'
import { formatRfc3339 } from './rfc3339.js'
import type { EmulatorCredential } from './types.js'

export interface RawCallOptions {
  method?: 'GET' | 'POST'
  /**
   * Where POST parameters go: 'split' = common ones in the query, API ones in the form body
   * (darabonba); 'body' = everything in the body (pop-core). Default 'split'.
   */
  layout?: 'split' | 'body'
  credential?: Pick<EmulatorCredential, 'accessKeyId' | 'accessKeySecret' | 'securityToken'>
  /** Request time, epoch ms (default now). */
  time?: number
  nonce?: string
  /** Replace or add parameters after the defaults, before signing. */
  override?: Record<string, string>
  /** Leave these parameters out (before signing; Signature after). */
  omit?: string[]
  /** Change parameters after signing (to break the signature). */
  tamper?: Record<string, string>
  /** Sign with this secret instead of the credential's. */
  signWith?: string
  signal?: AbortSignal
}

export interface RawResponse {
  status: number
  headers: Headers
  text: string
  /** The parsed JSON body, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined
}

/** `2016-02-23T12:46:24Z`: UTC without milliseconds, as the SDKs send it. */
export function rpcTimestamp(ms: number): string {
  return formatRfc3339(ms)
}

/** The signed parameter set (Signature included) of one request. */
export function signedParams(
  action: string,
  apiParams: Record<string, string>,
  opts: RawCallOptions & { credential: NonNullable<RawCallOptions['credential']> }
): Record<string, string> {
  const c = opts.credential
  const params: Record<string, string> = {
    Action: action,
    Version: API_VERSION,
    Format: 'JSON',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: opts.nonce ?? randomUUID(),
    Timestamp: rpcTimestamp(opts.time ?? Date.now()),
    AccessKeyId: c.accessKeyId,
    ...(c.securityToken !== undefined ? { SecurityToken: c.securityToken } : {}),
    ...apiParams,
    ...opts.override
  }
  for (const name of opts.omit ?? []) delete params[name]
  const secret = opts.signWith ?? c.accessKeySecret
  params.Signature = OpenApiUtil.default.getRPCSignature(params, opts.method ?? 'GET', secret)
  // Omitting Signature itself can only happen after signing.
  if (opts.omit?.includes('Signature')) delete params.Signature
  return { ...params, ...opts.tamper }
}

/** Parameters darabonba puts in the query string of a POST. */
const COMMON = new Set<string>([...COMMON_PARAMS, 'SecurityToken'])

/** Sends one signed request with fetch. */
export async function rawCall(
  endpoint: string,
  action: string,
  apiParams: Record<string, string>,
  opts: RawCallOptions & { credential: NonNullable<RawCallOptions['credential']> }
): Promise<RawResponse> {
  const method = opts.method ?? 'GET'
  const params = signedParams(action, apiParams, opts)
  let url = `${endpoint}/?${new URLSearchParams(params)}`
  let body: string | undefined
  if (method === 'POST') {
    const query: Record<string, string> = {}
    const form: Record<string, string> = {}
    for (const [k, v] of Object.entries(params)) {
      if (opts.layout !== 'body' && COMMON.has(k)) query[k] = v
      else form[k] = v
    }
    url = `${endpoint}/?${new URLSearchParams(query)}`
    body = new URLSearchParams(form).toString()
  }
  const res = await fetch(url, {
    method,
    ...(body === undefined ? {} : { body }),
    headers: body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' },
    ...(opts.signal ? { signal: opts.signal } : {})
  })
  const text = await res.text()
  let json: Record<string, unknown> | undefined
  try {
    json = JSON.parse(text) as Record<string, unknown>
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}
