import * as core from '@actions/core'
import { info } from '../base/log.js'
import type { Dispatcher } from 'undici'
import { createMachineCredentials, type MachineDeps } from '../auth/machine-provider.js'
import { createOidcCredentials } from '../auth/oidc-provider.js'
import { FnfClient } from '../fnf/client.js'
import { registerSecret } from '../base/secrets.js'
import { RateLimiter } from '../fnf/rate-limiter.js'
import type { CredentialsProvider } from '../fnf/types.js'
import type { Config } from '../config/inputs.js'

/**
 * In-process tests only (run()'s options): where the ECS metadata service is and the clock that
 * renews the machine's credentials. The bundle never sets them.
 */
export type MachineSeams = Pick<MachineDeps, 'metadataOrigin' | 'now'>

/**
 * The FnF client for the main and post steps: static keys masked at once, or OIDC or machine
 * credentials that their provider gets, masks and renews before they expire.
 */
export function connect(
  config: Config,
  dispatcher: Dispatcher,
  // Every request of the step, retries and histories included, stays under the service's limit;
  // the caller keeps it to spend the reserve on a cancel's stops.
  limiter: RateLimiter = new RateLimiter(),
  machineSeams: MachineSeams = {}
): FnfClient {
  const log = info
  let credentials: CredentialsProvider
  if (config.oidc) {
    credentials = createOidcCredentials(config.oidc, { dispatcher, log }).provider
  } else if (config.machine) {
    credentials = createMachineCredentials(config.machine, { log, ...machineSeams }).provider
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
