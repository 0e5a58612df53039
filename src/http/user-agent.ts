import pkg from '../../package.json' with { type: 'json' }

/** Sent by both transports, so the service's logs name the action and its version. */
export const DEFAULT_USER_AGENT = `${pkg.name}/${pkg.version}`
