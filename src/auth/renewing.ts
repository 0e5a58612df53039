/**
 * Credentials that expire, renewed before they do: when to renew (a share of their lifetime), one
 * renewal shared by every caller that arrives while it runs, and a failed renewal kept quiet while
 * the current credentials still work. Renewal happens only when the provider is called (the FnF
 * client calls it before every attempt), so a request in flight is never signed with credentials
 * swapped under it. OIDC (oidc-provider.ts) and the runner's machine (machine-provider.ts) renew
 * through it.
 */
import type { Credentials, CredentialsProvider } from '../fnf/types.js'

export interface Session {
  credentials: Credentials
  /** Local epoch ms. */
  expiresAt: number
  /** From here on, a call renews first. */
  renewAt: number
  /** Past this, a failed renewal is an error instead of a warning. */
  usableUntil: number
}

export const DEFAULT_MIN_MARGIN_MS = 5 * 60_000
/** Share of the lifetime kept in reserve, so a 12-hour session is renewed well before its end too. */
const MARGIN_SHARE = 0.2
/** Clock drift between the runner and Alibaba Cloud that a last-moment use still survives. */
const MAX_GUARD_MS = 60_000

/**
 * The session of credentials got at `startedAt` (local clock, before the request) that expire at
 * `expiresAt` (local clock too; never later than the real expiry): renewed once less than
 * max(`minMarginMs`, 20% of the lifetime) is left, but never before half of it has gone by, so a
 * session shorter than the margin (an STS that grants less than asked, a metadata service that has
 * not rotated yet) is still used for a while instead of renewed on every request.
 */
export function sessionFrom(
  credentials: Credentials,
  startedAt: number,
  expiresAt: number,
  minMarginMs: number = DEFAULT_MIN_MARGIN_MS
): Session {
  const lifetime = expiresAt - startedAt
  const margin = Math.min(Math.max(minMarginMs, lifetime * MARGIN_SHARE), lifetime / 2)
  return {
    credentials,
    expiresAt,
    renewAt: expiresAt - margin,
    usableUntil: expiresAt - Math.min(MAX_GUARD_MS, margin / 4)
  }
}

export interface Renewal {
  now: () => number
  /** A new session; `current` is the one in use (undefined the first time). */
  renew: (current: Session | undefined) => Promise<Session>
  /** `renew` failed while `current` still works: it stays in use (the log should say so). */
  onKept: (error: unknown, current: Session) => void
}

export function renewingProvider(renewal: Renewal): CredentialsProvider {
  const { now } = renewal
  let session: Session | undefined
  /** Shared by every caller that arrives while it runs: one renewal, not one per request. */
  let renewing: Promise<Credentials> | undefined

  async function renew(): Promise<Credentials> {
    const current = session
    try {
      session = await renewal.renew(current)
      return session.credentials
    } catch (error) {
      if (current && now() < current.usableUntil) {
        renewal.onKept(error, current)
        return current.credentials
      }
      throw error
    }
  }

  return () => {
    if (session && now() < session.renewAt) return session.credentials
    renewing ??= renew().finally(() => {
      renewing = undefined
    })
    return renewing
  }
}

/** An epoch-ms time as the log shows it, to the second. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
