import { EnvHttpProxyAgent, type Dispatcher } from 'undici'

/**
 * One keep-alive connection pool for every request of the step. EnvHttpProxyAgent reads
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), which self-hosted runners behind a proxy set.
 */
export function createDispatcher(): Dispatcher {
  return new EnvHttpProxyAgent({ keepAliveTimeout: 65_000, keepAliveMaxTimeout: 600_000 })
}
