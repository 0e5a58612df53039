import * as core from '@actions/core'
import type { Dispatcher } from 'undici'
import { createOidcCredentials } from './auth/oidc-provider.js'
import { FnfClient } from './fnf/client.js'
import { resolveEndpoint } from './fnf/endpoint.js'
import type { RateLimiter } from './fnf/rate-limiter.js'
import type { CredentialsProvider } from './fnf/types.js'
import type { Config } from './inputs.js'

/**
 * The FnF client for the main and post steps: static keys masked at once, or OIDC credentials
 * that the provider assumes, masks and renews before they expire.
 */
export function connect(
  config: Config,
  dispatcher: Dispatcher,
  limiter?: RateLimiter
): { client: FnfClient; usesOidc: boolean } {
  const log = (line: string): void => core.info(line)
  let credentials: CredentialsProvider
  if (config.oidc) {
    credentials = createOidcCredentials(config.oidc, { dispatcher, log }).provider
  } else if (config.credentials) {
    const keys = config.credentials
    for (const secret of [keys.accessKeySecret, keys.accessKeyId, keys.securityToken]) {
      if (secret) core.setSecret(secret)
    }
    credentials = () => keys
  } else {
    throw new Error('No credentials configured.')
  }
  if (config.githubToken) core.setSecret(config.githubToken)
  const client = new FnfClient({
    endpoint: resolveEndpoint(config),
    credentials,
    dispatcher,
    log,
    ...(limiter ? { limiter } : {})
  })
  return { client, usesOidc: config.oidc !== undefined }
}
