/**
 * Advice for a wait that outlived fixed STS credentials (configure-aliyun-credentials-action's
 * default session is 30 minutes): the failure names the cause and both ways out.
 */

/** Codes FnF and the API gateway use for an STS token past its expiry. */
const EXPIRED = /^(InvalidSecurityToken\.Expired|SecurityTokenExpired|SecurityToken\.Expired)$/i

/**
 * Undefined unless `error` (or an error in its `cause` chain) carries an expired-token code.
 * Meant for fixed credentials; with `role-to-assume` fnf-wait renews its own and this should not
 * arise.
 */
export function expiredTokenAdvice(error: unknown): string | undefined {
  if (!hasExpiredCode(error, 0)) return undefined
  return (
    'The STS security token expired during the wait: fixed STS credentials (such as those ' +
    'aliyun/configure-aliyun-credentials-action exports, valid 30 minutes unless asked otherwise) ' +
    'cannot outlast their role session. Either raise "role-session-expiration" in ' +
    'configure-aliyun-credentials-action above the "timeout" of this step (up to the role\'s ' +
    'maximum session duration), or give fnf-wait "role-to-assume" and "oidc-provider-arn" ' +
    '(with "permissions: id-token: write") so it gets its own credentials and renews them while ' +
    'it waits.'
  )
}

function hasExpiredCode(error: unknown, depth: number): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false
  const { code, cause } = error as { code?: unknown; cause?: unknown }
  if (typeof code === 'string' && EXPIRED.test(code)) return true
  return hasExpiredCode(cause, depth + 1)
}
