/**
 * Alibaba Cloud RPC signature (HMAC-SHA1, SignatureVersion 1.0), as the official fnf SDK signs.
 * Pure functions: the caller supplies every parameter, including nonce and timestamp.
 */
import { createHmac } from 'node:crypto'

/**
 * RFC 3986 encoding: only `A-Z a-z 0-9 - _ . ~` stay literal. encodeURIComponent also leaves
 * `!'()*` alone, which the service would then decode differently from what we signed.
 * Throws URIError on a lone surrogate, exactly like the official SDKs: such a string has no
 * UTF-8 form, so there is nothing correct to sign.
 */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
}

// UTF-8 byte order is code-point order; plain sort() compares UTF-16 units, which puts
// U+E000..U+FFFF after astral characters.
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** `k=v&k=v` with keys sorted by code point and both sides percent-encoded. */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort(byCodePoint)
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k] ?? '')}`)
    .join('&')
}

/** `METHOD&%2F&encode(canonicalQuery)`: values end up encoded twice, which is intended. */
export function stringToSign(method: string, params: Readonly<Record<string, string>>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`
}

/**
 * Base64 HMAC-SHA1 of the string-to-sign with key `secret&`. `params` must hold every
 * parameter sent (query and form body) except `Signature` itself.
 */
export function signRpc(
  method: string,
  params: Readonly<Record<string, string>>,
  secret: string
): string {
  return createHmac('sha1', `${secret}&`)
    .update(stringToSign(method, params), 'utf8')
    .digest('base64')
}

/** UTC `YYYY-MM-DDTHH:mm:ssZ`: whole seconds, the form both official SDKs send. */
export function rpcTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
