/**
 * The base URLs fnf-wait talks to: FnF from the `region` / `endpoint` inputs, STS from
 * `sts-endpoint` or the credential chain's variables. One set of rules for both hosts.
 */
import { InputError, type Env } from './errors.js'

export interface EndpointInput {
  /** e.g. `cn-hangzhou`; the caller falls back to ALIBABA_CLOUD_REGION_ID before calling. */
  region?: string | undefined
  /** Where `region` came from, as an error names it: `Input "region"` (default) or an env variable. */
  regionSource?: string
  /** Overrides `region`; `host`, `host:port` or `https://host[:port]`, no path. */
  endpoint?: string | undefined
}

// cn-hangzhou, ap-southeast-1, cn-heyuan-acdr-1: every region id has at least one hyphen.
const REGION = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/

export const DEFAULT_STS_ENDPOINT = 'https://sts.aliyuncs.com'

/** Base URL without trailing slash, e.g. `https://cn-hangzhou.fnf.aliyuncs.com`. */
export function resolveEndpoint(input: EndpointInput): string {
  const endpoint = input.endpoint?.trim()
  if (endpoint) return normalizeHost(endpoint, FNF_RULES)
  const region = input.region?.trim()
  if (region) return `https://${checkRegion(region, input.regionSource)}.fnf.aliyuncs.com`
  throw new InputError(
    'No FnF region or endpoint given: set the `region` input (or the ALIBABA_CLOUD_REGION_ID environment variable) to the region of the flow, e.g. cn-hangzhou, or set `endpoint`.'
  )
}

/**
 * The input, else the official credential chain's ALIBABA_CLOUD_STS_REGION (with
 * ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED for the VPC endpoint), else the central endpoint.
 */
export function resolveStsEndpoint(input: string, env: Env): string {
  if (input) return normalizeHost(input, STS_RULES)
  const region = env.ALIBABA_CLOUD_STS_REGION?.trim()
  if (!region) return DEFAULT_STS_ENDPOINT
  if (!REGION.test(region)) {
    throw new InputError(
      `Environment variable ALIBABA_CLOUD_STS_REGION is "${region}", which is not a region id ` +
        '(e.g. cn-hangzhou); set the "sts-endpoint" input to give a host instead.'
    )
  }
  const vpc = /^(true|1)$/i.test(env.ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED?.trim() ?? '')
  return `https://${vpc ? 'sts-vpc' : 'sts'}.${region}.aliyuncs.com`
}

function checkRegion(region: string, source = 'Input "region"'): string {
  if (REGION.test(region)) return region
  const looksLikeHost = /[.:/]/.test(region)
  const advice = looksLikeHost
    ? 'To give a host name or URL, use the `endpoint` input instead.'
    : 'Use the region id the flow was created in, e.g. cn-hangzhou or ap-southeast-1.'
  throw new InputError(
    `${source} is "${region}", which is not a region id: a region id is lowercase letters, digits and hyphens, like cn-hangzhou or ap-southeast-1. ${advice}`
  )
}

/** What each host's input says when a rule is broken (the rules themselves are shared). */
interface HostRules {
  input: string
  notAUrl: string
  /** A user or password in the URL; undefined: reported with the path rule. */
  userInfo?: string
  bareHost: (host: string) => string
  plainHttp: (host: string) => string
}

const FNF_RULES: HostRules = {
  input: 'endpoint',
  notAUrl:
    'not a valid host or URL. Give a host like cn-hangzhou.fnf.aliyuncs.com or a URL like https://cn-hangzhou.fnf.aliyuncs.com, or set `region` instead.',
  userInfo: 'it must not contain a user name or password; credentials go in their own inputs.',
  bareHost: (host) =>
    `it must be a bare host without path, query or fragment (the API lives at "/"), e.g. https://${host}.`,
  plainHttp: (host) =>
    `plain http is only allowed for a local emulator (localhost, 127.0.0.0/8, ::1): the access key id and STS token travel in the query string. Use https://${host}.`
}

const STS_RULES: HostRules = {
  input: 'sts-endpoint',
  notAUrl:
    'not a valid host or URL. Give a host like sts.cn-hangzhou.aliyuncs.com or a URL like ' +
    `${DEFAULT_STS_ENDPOINT}.`,
  bareHost: (host) => `it must be a bare host without user, path or query, e.g. https://${host}.`,
  plainHttp: (host) =>
    'plain http is only allowed for a local fake (localhost, 127.0.0.0/8, ::1): the ID token and ' +
    `the credentials STS returns would travel in clear. Use https://${host}.`
}

/** `host`, `host:port` or `scheme://host[:port]` → `scheme://host[:port]`; https unless on loopback. */
function normalizeHost(raw: string, rules: HostRules): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`
  // Never echo a password someone pasted into the URL.
  const shown = raw.replace(/^([^/]*\/\/)?[^/@]*@/, '$1***@')
  const bad = (rule: string): InputError =>
    new InputError(`Input "${rules.input}" is "${shown}", which is not usable: ${rule}`)

  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw bad(rules.notAUrl)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw bad(`the scheme must be https, not ${url.protocol.slice(0, -1)}.`)
  }
  const userInfo = Boolean(url.username || url.password)
  if (userInfo && rules.userInfo) throw bad(rules.userInfo)
  if (userInfo || url.pathname !== '/' || url.search || url.hash) {
    throw bad(rules.bareHost(url.host))
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw bad(rules.plainHttp(url.host))
  }
  return `${url.protocol}//${url.host}`
}

export function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost' || hostname === '[::1]') return true
  // URL has already normalized IPv4 forms such as 127.1 to dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}
