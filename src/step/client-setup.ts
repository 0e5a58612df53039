import * as core from '@actions/core'
import { info } from '../base/log.js'
import type { Dispatcher } from 'undici'
import { createOidcCredentials } from '../auth/oidc-provider.js'
import { FnfClient } from '../fnf/client.js'
import { registerSecret } from '../base/secrets.js'
import { RateLimiter } from '../fnf/rate-limiter.js'
import type { CredentialsProvider } from '../fnf/types.js'
import type { Config } from '../config/inputs.js'

/**
 * The FnF client for the main and post steps: static keys masked at once, or OIDC credentials
 * that the provider assumes, masks and renews before they expire.
 */
export function connect(
  config: Config,
  dispatcher: Dispatcher,
  // Every request of the step, retries and histories included, stays under the service's limit;
  // the caller keeps it to spend the reserve on a cancel's stops.
  limiter: RateLimiter = new RateLimiter()
): FnfClient {
  const log = info
  let credentials: CredentialsProvider
  if (config.oidc) {
    credentials = createOidcCredentials(config.oidc, { dispatcher, log }).provider
  } else {
    const keys = config.credentials
    for (const secret of [keys.accessKeySecret, keys.accessKeyId, keys.securityToken]) {
      if (secret) mask(secret)
    }
    credentials = () => keys
  }
  if (config.githubToken) mask(config.githubToken)
  return new FnfClient({
    endpoint: config.fnfEndpoint,
    credentials,
    dispatcher,
    log,
    limiter
  })
}

/** The runner masks the exact value in the log; the registry redacts it, in any encoding, everywhere. */
function mask(secret: string): void {
  core.setSecret(secret)
  registerSecret(secret)
}
