import pkg from '../../package.json' with { type: 'json' }

/** Sent by every client (FnF, STS, GitHub), so the services' logs name the action and its version. */
export const DEFAULT_USER_AGENT = `${pkg.name}/${pkg.version}`
