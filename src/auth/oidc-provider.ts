/**
 * A CredentialsProvider that assumes a RAM role with a GitHub ID token and assumes it again before
 * the STS credentials expire (renewing.ts), so a wait may outlast any one role session.
 */
import * as core from '@actions/core'
import { info } from '../base/log.js'
import type { Dispatcher } from 'undici'
import { errorMessage } from '../base/error-text.js'
import type { CredentialsProvider } from '../fnf/types.js'
import { createIdTokenSource, type IdTokenSource } from './id-token.js'
import type { OidcConfig } from '../config/oidc.js'
import { assumeRoleWithOidc, type AssumeRoleWithOidcParams, type StsCredentials } from './sts.js'
import { registerSecret } from '../base/secrets.js'
import { DEFAULT_MIN_MARGIN_MS, isoSeconds, renewingProvider, sessionFrom } from './renewing.js'

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
  const provider = renewingProvider({
    now,
    async renew(current) {
      const startedAt = now()
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
      // Measured from before the request on the local clock: never later than the real expiry,
      // whichever way the runner's clock is off (when it is ahead by more than the session,
      // Expiration looks past and only the requested duration is left to go by).
      const requested = startedAt + config.durationSeconds * 1000
      const expiresAt =
        issued.expiration > startedAt ? Math.min(issued.expiration, requested) : requested
      const credentials = {
        accessKeyId: issued.accessKeyId,
        accessKeySecret: issued.accessKeySecret,
        securityToken: issued.securityToken
      }
      const session = sessionFrom(credentials, startedAt, expiresAt, minMarginMs)
      log(
        `${current ? 'Renewed' : 'Got'} STS credentials for role ${config.roleArn} (session ` +
          `${config.roleSessionName}): valid until ${isoSeconds(session.expiresAt)}, renewed after ` +
          `${isoSeconds(session.renewAt)}.`
      )
      return session
    },
    onKept(error, current) {
      stats.failedRenewals++
      log(
        `Could not renew the STS credentials (${errorMessage(error)}); the current ones stay in ` +
          `use until ${isoSeconds(current.usableUntil)}, and the next request tries again.`
      )
    }
  })
  return { provider, stats }
}
