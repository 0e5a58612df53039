/**
 * A CredentialsProvider that assumes a RAM role with a GitHub ID token and assumes it again before
 * the STS credentials expire, so a wait may outlast any one role session. Renewal happens only
 * when the provider is called (the FnF client calls it before every attempt), so a request in
 * flight is never signed with credentials swapped under it.
 */
import * as core from '@actions/core'
import { info } from '../base/log.js'
import type { Dispatcher } from 'undici'
import { errorMessage } from '../base/error-text.js'
import type { Credentials, CredentialsProvider } from '../fnf/types.js'
import { createIdTokenSource, type IdTokenSource } from './id-token.js'
import type { OidcConfig } from '../config/oidc.js'
import { assumeRoleWithOidc, type AssumeRoleWithOidcParams, type StsCredentials } from './sts.js'
import { registerSecret } from '../base/secrets.js'

export type AssumeRole = (
  params: AssumeRoleWithOidcParams,
  options: { deadline?: number }
) => Promise<StsCredentials>

export interface OidcDeps {
  now?: () => number
  /** Default log.info (base/log.ts). Never given a secret. */
  log?: (line: string) => void
  /** Default assumeRoleWithOidc with `dispatcher` and `log`. */
  sts?: AssumeRole
  /** Default: GitHub's token endpoint, or the config's token file. */
  idToken?: IdTokenSource
  /** Default core.setSecret. */
  setSecret?: (secret: string) => void
  /** For the default `sts`. */
  dispatcher?: Dispatcher
  /** Renew once less than max(this, 20% of the lifetime) is left. Default 5 minutes. */
  minMarginMs?: number
  /** How long a renewal may keep retrying STS while the current credentials still work. Default 30 s. */
  renewalBudgetMs?: number
}

export interface OidcStats {
  /** Successful AssumeRoleWithOIDC calls, the first one included. */
  assumes: number
  /** Renewals that failed while the current credentials were still good (so no request failed). */
  failedRenewals: number
}

interface Session {
  credentials: Credentials
  /** Local epoch ms. */
  expiresAt: number
  /** From here on, a call renews first. */
  renewAt: number
  /** Past this, a failed renewal is an error instead of a warning. */
  usableUntil: number
}

const DEFAULT_MIN_MARGIN_MS = 5 * 60_000
/** Share of the lifetime kept in reserve, so a 12-hour session is renewed well before its end too. */
const MARGIN_SHARE = 0.2
/** Clock drift between the runner and Alibaba Cloud that a last-moment use still survives. */
const MAX_GUARD_MS = 60_000

export function createOidcCredentials(
  config: OidcConfig,
  deps: OidcDeps = {}
): { provider: CredentialsProvider; stats: OidcStats } {
  const now = deps.now ?? Date.now
  const log = deps.log ?? info
  const setSecret = (secret: string): void => {
    // Masked in the log by the runner, and redacted (in any encoding) from all the step writes.
    registerSecret(secret)
    ;(deps.setSecret ?? core.setSecret)(secret)
  }
  const idToken =
    deps.idToken ??
    createIdTokenSource({
      audience: config.audience,
      ...(config.tokenFile ? { tokenFile: config.tokenFile } : {})
    })
  const sts: AssumeRole =
    deps.sts ??
    ((params, options) =>
      assumeRoleWithOidc(params, {
        ...options,
        log,
        ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {})
      }))
  const minMarginMs = deps.minMarginMs ?? DEFAULT_MIN_MARGIN_MS
  const renewalBudgetMs = deps.renewalBudgetMs ?? 30_000

  const stats: OidcStats = { assumes: 0, failedRenewals: 0 }
  let session: Session | undefined
  /** Shared by every caller that arrives while it runs: one renewal, not one per request. */
  let renewing: Promise<Credentials> | undefined

  async function renew(): Promise<Credentials> {
    const current = session
    const startedAt = now()
    try {
      // A fresh ID token each time: GitHub's expire within minutes, long before a wait ends.
      const oidcToken = await idToken()
      setSecret(oidcToken)
      const issued = await sts(
        {
          endpoint: config.stsEndpoint,
          roleArn: config.roleArn,
          oidcProviderArn: config.oidcProviderArn,
          oidcToken,
          roleSessionName: config.roleSessionName,
          durationSeconds: config.durationSeconds
        },
        current ? { deadline: Math.min(startedAt + renewalBudgetMs, current.usableUntil) } : {}
      )
      // Masked before anything else can print them.
      for (const secret of [issued.accessKeySecret, issued.securityToken, issued.accessKeyId]) {
        setSecret(secret)
      }
      stats.assumes++
      session = sessionFrom(issued, startedAt)
      log(
        `${current ? 'Renewed' : 'Got'} STS credentials for role ${config.roleArn} (session ` +
          `${config.roleSessionName}): valid until ${iso(session.expiresAt)}, renewed after ` +
          `${iso(session.renewAt)}.`
      )
      return session.credentials
    } catch (error) {
      if (current && now() < current.usableUntil) {
        stats.failedRenewals++
        log(
          `Could not renew the STS credentials (${errorMessage(error)}); the current ones stay in ` +
            `use until ${iso(current.usableUntil)}, and the next request tries again.`
        )
        return current.credentials
      }
      throw error
    }
  }

  function sessionFrom(issued: StsCredentials, startedAt: number): Session {
    // Measured from before the request on the local clock: never later than the real expiry,
    // whichever way the runner's clock is off (when it is ahead by more than the session,
    // Expiration looks past and only the requested duration is left to go by).
    const requested = startedAt + config.durationSeconds * 1000
    const expiresAt =
      issued.expiration > startedAt ? Math.min(issued.expiration, requested) : requested
    const lifetime = expiresAt - startedAt
    // Never more than half the lifetime: a session shorter than the minimum margin (an STS that
    // grants less than asked) is still used for a while instead of renewed on every request.
    const margin = Math.min(Math.max(minMarginMs, lifetime * MARGIN_SHARE), lifetime / 2)
    return {
      credentials: {
        accessKeyId: issued.accessKeyId,
        accessKeySecret: issued.accessKeySecret,
        securityToken: issued.securityToken
      },
      expiresAt,
      renewAt: expiresAt - margin,
      usableUntil: expiresAt - Math.min(MAX_GUARD_MS, margin / 4)
    }
  }

  const provider: CredentialsProvider = () => {
    if (session && now() < session.renewAt) return session.credentials
    renewing ??= renew().finally(() => {
      renewing = undefined
    })
    return renewing
  }
  return { provider, stats }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
