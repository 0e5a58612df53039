/** Turns the `region` / `endpoint` inputs into the base URL the client talks to. */

export interface EndpointInput {
  /** e.g. `cn-hangzhou`; the caller falls back to ALIBABA_CLOUD_REGION_ID before calling. */
  region?: string
  /** Overrides `region`; `host`, `host:port` or `https://host[:port]`, no path. */
  endpoint?: string
}

// cn-hangzhou, ap-southeast-1, cn-heyuan-acdr-1: every region id has at least one hyphen.
const REGION = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/

/** Base URL without trailing slash, e.g. `https://cn-hangzhou.fnf.aliyuncs.com`. */
export function resolveEndpoint(input: EndpointInput): string {
  const endpoint = input.endpoint?.trim()
  if (endpoint) return normalizeEndpoint(endpoint)
  const region = input.region?.trim()
  if (region) return `https://${checkRegion(region)}.fnf.aliyuncs.com`
  throw new Error(
    'No FnF region or endpoint given: set the `region` input (or the ALIBABA_CLOUD_REGION_ID environment variable) to the region of the flow, e.g. cn-hangzhou, or set `endpoint`.'
  )
}

function checkRegion(region: string): string {
  if (REGION.test(region)) return region
  const looksLikeHost = /[.:/]/.test(region)
  const advice = looksLikeHost
    ? 'To give a host name or URL, use the `endpoint` input instead.'
    : 'Use the region id the flow was created in, e.g. cn-hangzhou or ap-southeast-1.'
  throw new Error(
    `Input "region" is "${region}", which is not a region id: a region id is lowercase letters, digits and hyphens, like cn-hangzhou or ap-southeast-1. ${advice}`
  )
}

function normalizeEndpoint(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`
  // Never echo a password someone pasted into the URL.
  const shown = raw.replace(/^([^/]*\/\/)?[^/@]*@/, '$1***@')
  const bad = (rule: string): Error =>
    new Error(`Input "endpoint" is "${shown}", which is not usable: ${rule}`)

  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw bad(
      'not a valid host or URL. Give a host like cn-hangzhou.fnf.aliyuncs.com or a URL like https://cn-hangzhou.fnf.aliyuncs.com, or set `region` instead.'
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw bad(`the scheme must be https, not ${url.protocol.slice(0, -1)}.`)
  }
  if (url.username || url.password) {
    throw bad('it must not contain a user name or password; credentials go in their own inputs.')
  }
  if (url.pathname !== '/' || url.search || url.hash) {
    throw bad(
      `it must be a bare host without path, query or fragment (the API lives at "/"), e.g. https://${url.host}.`
    )
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw bad(
      `plain http is only allowed for a local emulator (localhost, 127.0.0.0/8, ::1): the access key id and STS token travel in the query string. Use https://${url.host}.`
    )
  }
  return `${url.protocol}//${url.host}`
}

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true
  // URL has already normalized IPv4 forms such as 127.1 to dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}
