/**
 * STS AssumeRoleWithOIDC as the official credentials library sends it: an unsigned POST with the
 * common parameters in the query and the OIDC ones in a form body. Transient failures are retried
 * with jittered backoff; the ones a user must fix get a message that says what to change.
 */
import { setTimeout as sleepFor } from 'node:timers/promises'
import type { Dispatcher } from 'undici'
import { attemptFailure, sendAttempt } from '../http/attempt.js'
import {
  describeFailure,
  INVALID_RESPONSE,
  ServiceError,
  type ServiceErrorInit
} from '../http/errors.js'
import { bodyExcerpt, parseObject, stringField } from '../http/response.js'
import { isRetryableFailure, retrying } from '../http/retry.js'
import { registerSecret } from '../base/secrets.js'
import { DEFAULT_USER_AGENT } from '../http/user-agent.js'
import { canonicalQuery, rpcTimestamp } from '../fnf/signer.js'
import { claimText, decodeJwtClaims } from './id-token.js'

/** An AssumeRoleWithOIDC answer is well under 8 KiB (a token of a few KiB); anything past this is not STS. */
export const STS_RESPONSE_CAP_BYTES = 64 * 1024

export const STS_VERSION = '2015-04-01'
export const ACTION = 'AssumeRoleWithOIDC'

export interface AssumeRoleWithOidcParams {
  /** Base URL, e.g. `https://sts.aliyuncs.com`. */
  endpoint: string
  roleArn: string
  oidcProviderArn: string
  oidcToken: string
  roleSessionName: string
  durationSeconds: number
}

export interface StsCredentials {
  accessKeyId: string
  accessKeySecret: string
  securityToken: string
  /** Epoch ms, from the response's `Expiration` (STS's clock). */
  expiration: number
}

export interface StsOptions {
  /** Default: the shared pool the FnF client also uses by default. */
  dispatcher?: Dispatcher
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** One line per retry. */
  log?: (line: string) => void
  /** Epoch ms: no retry or backoff sleep starts past it (the first attempt always goes out). */
  deadline?: number
  /** Attempts, first included. Default 5. */
  maxAttempts?: number
  /** Per attempt. Default 15000. */
  requestTimeoutMs?: number
  userAgent?: string
}

export interface StsErrorInit extends ServiceErrorInit {
  endpoint: string
}

export class StsError extends ServiceError {
  constructor(init: StsErrorInit) {
    const hint = init.hint ? ` ${init.hint}` : ''
    super(`${ACTION} at ${init.endpoint} failed: ${reasonOf(init)}.${hint}`, init)
    this.name = 'StsError'
  }

  /** Without the endpoint or advice: short enough for a retry log line. */
  override get reason(): string {
    return reasonOf(this)
  }
}

function reasonOf(e: {
  status: number
  code: string
  detail: string
  requestId?: string | undefined
}): string {
  return describeFailure({ ...e, detail: e.detail.replace(/\.$/, '') })
}

const defaultSleep = (ms: number): Promise<void> => sleepFor(ms)

export async function assumeRoleWithOidc(
  params: AssumeRoleWithOidcParams,
  options: StsOptions = {}
): Promise<StsCredentials> {
  const now = options.now ?? Date.now
  const sleep = options.sleep ?? defaultSleep
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? 5))
  return retrying(
    {
      label: ACTION,
      maxAttempts,
      backoff: { baseMs: 500, capMs: 10_000 },
      random: options.random,
      now,
      deadline: options.deadline,
      sleep,
      log: options.log ?? (() => {}),
      // The first attempt always goes out.
      pastDeadline: (last: StsError | undefined) => last
    },
    async () => {
      const outcome = await send(params, options, now)
      return outcome instanceof StsError
        ? { ok: false as const, error: outcome }
        : { ok: true as const, value: outcome }
    }
  )
}

/** One attempt; every failure comes back as an StsError rather than thrown. */
async function send(
  p: AssumeRoleWithOidcParams,
  o: StsOptions,
  now: () => number
): Promise<StsCredentials | StsError> {
  const endpoint = p.endpoint.replace(/\/+$/, '')
  registerSecret(p.oidcToken)
  const redact = (text: string): string =>
    p.oidcToken ? text.split(p.oidcToken).join('***') : text
  const query = canonicalQuery({
    Version: STS_VERSION,
    Action: ACTION,
    Format: 'JSON',
    Timestamp: rpcTimestamp(now())
  })
  const body = canonicalQuery({
    OIDCProviderArn: p.oidcProviderArn,
    OIDCToken: p.oidcToken,
    RoleArn: p.roleArn,
    RoleSessionName: p.roleSessionName,
    DurationSeconds: String(p.durationSeconds)
  })
  const fail = (f: Omit<StsErrorInit, 'endpoint' | 'retryable'>): StsError =>
    new StsError({ ...f, endpoint, retryable: isRetryableFailure(f.status, f.code) })

  const url = new URL(`${endpoint}/?${query}`)
  const result = await sendAttempt({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: 'POST',
    headers: {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': o.userAgent ?? DEFAULT_USER_AGENT
    },
    body,
    timeoutMs: o.requestTimeoutMs ?? 15_000,
    capBytes: STS_RESPONSE_CAP_BYTES,
    dispatcher: o.dispatcher
  })
  if (!result.ok) {
    // No caller signal, so never `aborted`; the check keeps the compiler sure of it.
    if (result.kind === 'aborted') throw result.reason
    const tooLarge =
      'far more than STS sends; the request was aborted (check "sts-endpoint" and HTTPS_PROXY / NO_PROXY)'
    return fail(attemptFailure(result, tooLarge, redact))
  }
  const { status, text } = result

  const json = parseObject(text)
  if (status >= 200 && status <= 299) {
    const credentials = json && readCredentials(json)
    if (credentials) return credentials
    // No excerpt: a half-formed success could still carry a secret.
    return fail({
      status,
      code: INVALID_RESPONSE,
      detail: json
        ? 'the response has no complete Credentials (AccessKeyId, AccessKeySecret, SecurityToken and a parsable Expiration)'
        : 'the response is not JSON; check "sts-endpoint" and HTTPS_PROXY / NO_PROXY'
    })
  }
  const code = stringField(json, 'Code', 'code') ?? `HTTP${status}`
  const detail = json
    ? redact(stringField(json, 'Message', 'message') ?? '')
    : `not the JSON error STS returns: ${bodyExcerpt(redact(text))}`
  const requestId = stringField(json, 'RequestId', 'requestId')
  const hint = adviceFor(code, detail, p)
  return fail({
    status,
    code,
    detail,
    ...(requestId ? { requestId } : {}),
    ...(hint ? { hint } : {})
  })
}

function readCredentials(json: Record<string, unknown>): StsCredentials | undefined {
  const c = json['Credentials']
  if (typeof c !== 'object' || c === null) return undefined
  const { AccessKeyId, AccessKeySecret, SecurityToken, Expiration } = c as Record<string, unknown>
  if (
    typeof AccessKeyId !== 'string' ||
    typeof AccessKeySecret !== 'string' ||
    typeof SecurityToken !== 'string' ||
    typeof Expiration !== 'string' ||
    !AccessKeyId ||
    !AccessKeySecret ||
    !SecurityToken
  ) {
    return undefined
  }
  const expiration = Date.parse(Expiration)
  if (!Number.isFinite(expiration)) return undefined
  return {
    accessKeyId: AccessKeyId,
    accessKeySecret: AccessKeySecret,
    securityToken: SecurityToken,
    expiration
  }
}

/** What the user should change, for the failures a retry cannot fix. */
export function adviceFor(
  code: string,
  message: string,
  p: Pick<AssumeRoleWithOidcParams, 'roleArn' | 'oidcProviderArn' | 'oidcToken'>
): string | undefined {
  const lower = code.toLowerCase()
  const claims = decodeJwtClaims(p.oidcToken)
  const sub = claimText(claims, 'sub')
  const aud = claimText(claims, 'aud')
  const iss = claimText(claims, 'iss')

  if (lower.includes('audience') || lower.includes('invalidaud')) {
    return (
      `The ID token's audience${aud ? ` ("${aud}")` : ''} is not a Client ID of OIDC provider ` +
      `${p.oidcProviderArn}: the "audience" input must match one of the provider's Client IDs ` +
      '(RAM console, SSO, OIDC tab; the input defaults to "sts.aliyuncs.com"), or add ' +
      `${aud ? `"${aud}"` : 'the audience'} to those Client IDs.`
    )
  }
  if (/no such oidc provider/i.test(message) || lower.startsWith('entitynotexist.oidcprovider')) {
    return (
      `There is no OIDC provider ${p.oidcProviderArn}: check "oidc-provider-arn" (account id and ` +
      'provider name) against the RAM console.'
    )
  }
  if (lower.includes('nopermission') || lower.startsWith('entitynotexist.role')) {
    return (
      `Role ${p.roleArn} cannot be assumed with this token. Check that "role-to-assume" names an ` +
      `existing role, and that the role's trust policy lets OIDC provider ${p.oidcProviderArn} ` +
      'assume it with a condition on "oidc:sub" that matches this token' +
      (sub ? `'s sub claim "${sub}"` : '') +
      (aud ? ` (and on "oidc:aud", if any, its aud "${aud}")` : '') +
      '. GitHub sets sub from the repository and ref or environment, e.g. ' +
      '"repo:OWNER/REPO:ref:refs/heads/main" or "repo:OWNER/REPO:environment:NAME".'
    )
  }
  if (lower.includes('issuer')) {
    return (
      `The issuer URL of OIDC provider ${p.oidcProviderArn} must be the token's issuer` +
      `${iss ? ` "${iss}"` : ''} (for github.com, https://token.actions.githubusercontent.com).`
    )
  }
  if (lower.startsWith('authenticationfail.oidctoken.expired')) {
    return (
      'The ID token had expired when STS checked it: the runner clock may be wrong, or the file ' +
      'named by ALIBABA_CLOUD_OIDC_TOKEN_FILE holds a stale token.'
    )
  }
  if (lower.includes('invalidsignature') || lower.includes('httpsurlinvalid')) {
    return (
      `STS could not verify the token against OIDC provider ${p.oidcProviderArn}: update the ` +
      "provider's certificate fingerprint in the RAM console."
    )
  }
  if (lower.includes('durationseconds')) {
    return (
      'Lower "role-duration-seconds" to at most the role\'s maximum session duration (default ' +
      '3600), or raise that maximum: fnf-wait renews its credentials, so long waits need no long ' +
      'sessions.'
    )
  }
  if (lower.includes('rolesessionname')) {
    return 'Set "role-session-name" to 2–64 characters from letters, digits and ". _ @ -".'
  }
  return undefined
}
