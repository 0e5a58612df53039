import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici'

/**
 * One keep-alive connection pool for every request of the step. EnvHttpProxyAgent reads
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), which self-hosted runners behind a proxy set.
 */
export function createDispatcher(): Dispatcher {
  return new EnvHttpProxyAgent({ keepAliveTimeout: 65_000, keepAliveMaxTimeout: 600_000 })
}

let shared: Dispatcher | undefined

/**
 * The pool of every request made without a dispatcher of its own. Created on first use, so that
 * merely importing a client opens nothing; idle sockets do not hold the process open.
 */
export function sharedDispatcher(): Dispatcher {
  shared ??= createDispatcher()
  return shared
}

let direct: Dispatcher | undefined

/**
 * For the runner's own machine (its metadata service, a local credentials server): never through
 * the proxy, as the official credential chain asks them. No keep-alive, so nothing is left open.
 */
export function directDispatcher(): Dispatcher {
  direct ??= new Agent({ pipelining: 0 })
  return direct
}
