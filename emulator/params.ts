/** Reading request parameters the way the RPC gateway does: query string plus form body. */

export type Params = Record<string, string>

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded'

/**
 * Query and (for a form body) body parameters. The SDKs sign `{...query, ...body}`, so a body value
 * wins over a query value of the same name. The object has no prototype, so a `__proto__`
 * parameter is just a parameter.
 */
export function parseParams(url: string, contentType: string | undefined, body: string): Params {
  const params: Params = Object.create(null) as Params
  const q = url.indexOf('?')
  if (q >= 0) add(params, new URLSearchParams(url.slice(q + 1)))
  if (body !== '' && (contentType ?? '').toLowerCase().startsWith(FORM_CONTENT_TYPE)) {
    add(params, new URLSearchParams(body))
  }
  return params
}

function add(params: Params, search: URLSearchParams): void {
  const seen = new Set<string>()
  for (const [k, v] of search) {
    // Within one source a repeated name keeps its first value.
    if (seen.has(k)) continue
    seen.add(k)
    params[k] = v
  }
}
