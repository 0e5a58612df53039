/**
 * One FnF RPC attempt as it goes on the wire: the common parameters, a fresh nonce, the
 * signature, and the darabonba layout (GET: everything in the query; POST: the common parameters
 * in the query and the API's in a form body, one signature over both).
 */
import { randomUUID } from 'node:crypto'
import type { HintContext } from './errors.js'
import { canonicalQuery, percentEncode, rpcTimestamp, signRpc } from './signer.js'
import type { Credentials } from './types.js'

export const API_VERSION = '2019-03-15'

/** One call of an FnF API, before it is signed. */
export interface RpcCall {
  action: string
  method: 'GET' | 'POST'
  params: Record<string, string | number | undefined>
  /**
   * Seconds the server may hold the request; a function is read as each attempt is sent
   * (holdUntil), by the transport, which signs the number it gives.
   */
  waitTimeSeconds?: number | (() => number) | undefined
  /**
   * The server holds the request until the execution ends, at most this long (StartSyncExecution):
   * the attempt may take that plus the usual margin, but never runs past the call's deadline.
   */
  heldUpToMs?: number
  /**
   * false: every attempt that reaches the service may start something (StartSyncExecution starts
   * a new execution each time), so only a refusal that surely did nothing is retried.
   */
  idempotent?: boolean
  /** Largest body read (responseCapBytes). */
  capBytes: number
  /** What a hint may name besides the action and endpoint. */
  context: Omit<HintContext, 'action' | 'endpoint'>
}

export interface SignedRpc {
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  body?: string
  /** What the server was told it may hold the request, to extend the attempt's timeout. */
  waitTimeSeconds: number | undefined
}

/** A call as it is signed: its hold, if any, worked out for this attempt. */
export type AttemptCall = Omit<RpcCall, 'waitTimeSeconds'> & {
  waitTimeSeconds?: number | undefined
}

/**
 * The attempt for `call`, signed with `creds` at `timestampMs` (local time corrected for a
 * known clock skew). A new nonce every time: the service rejects a replayed one.
 */
export function signedRpc(
  call: AttemptCall,
  creds: Credentials,
  timestampMs: number,
  userAgent: string
): SignedRpc {
  const common: Record<string, string> = {
    Action: call.action,
    Version: API_VERSION,
    Format: 'JSON',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: rpcTimestamp(timestampMs),
    AccessKeyId: creds.accessKeyId
  }
  if (creds.securityToken) common['SecurityToken'] = creds.securityToken
  const { waitTimeSeconds } = call
  const api = definedParams({ ...call.params, WaitTimeSeconds: waitTimeSeconds })
  const signature = signRpc(call.method, { ...common, ...api }, creds.accessKeySecret)
  const query = call.method === 'GET' ? { ...common, ...api } : common
  const signed: SignedRpc = {
    method: call.method,
    path: `/?${canonicalQuery(query)}&Signature=${percentEncode(signature)}`,
    headers: { accept: 'application/json', 'user-agent': userAgent },
    waitTimeSeconds
  }
  if (call.method === 'POST') {
    signed.body = canonicalQuery(api)
    signed.headers['content-type'] = 'application/x-www-form-urlencoded'
  }
  return signed
}

function definedParams(params: RpcCall['params']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = String(v)
  return out
}
