/**
 * The OIDC inputs (`role-to-assume`, `oidc-provider-arn`, …) and their environment defaults, validated
 * into an OidcConfig before any request is made.
 */
import { resolveStsEndpoint } from './endpoint.js'
import { InputError, type Env, type InputReader } from './errors.js'

export interface OidcConfig {
  /** `acs:ram::<account>:role/<name>` */
  roleArn: string
  /** `acs:ram::<account>:oidc-provider/<name>` */
  oidcProviderArn: string
  /** Audience asked of GitHub for the ID token; must be a Client ID of the OIDC provider. */
  audience: string
  roleSessionName: string
  durationSeconds: number
  /** Base URL without trailing slash, e.g. `https://sts.aliyuncs.com`. */
  stsEndpoint: string
  /** ALIBABA_CLOUD_OIDC_TOKEN_FILE: read the ID token from this file instead of asking GitHub. */
  tokenFile?: string
  /** Where the settings came from, for the log (never secret). */
  source: string
}

export const DEFAULT_AUDIENCE = 'sts.aliyuncs.com'
export const DEFAULT_DURATION_SECONDS = 3600
/** STS accepts 900 s up to the role's MaxSessionDuration, which can be at most 12 hours. */
export const MIN_DURATION_SECONDS = 900
export const MAX_DURATION_SECONDS = 43_200

const SESSION_NAME_RULE = '2 to 64 characters from letters, digits and ". _ @ -"'
const SESSION_NAME = /^[A-Za-z0-9._@-]{2,64}$/
const ROLE_ARN = /^acs:ram::\d+:role\/\S+$/i
const PROVIDER_ARN = /^acs:ram::\d+:oidc-provider\/\S+$/i

/**
 * Returns undefined when OIDC is not configured, or when the `access-key-id` / `access-key-secret`
 * inputs are set: explicit keys win over OIDC, and OIDC wins over the environment's keys.
 * `read` returns '' for an unset input.
 */
export function parseOidcInputs(read: InputReader, env: Env): OidcConfig | undefined {
  const get = (name: string): string => read(name).trim()
  const roleInput = get('role-to-assume')
  const providerInput = get('oidc-provider-arn')

  const keyInput = ['access-key-id', 'access-key-secret'].find((name) => get(name) !== '')
  if (keyInput !== undefined) {
    const oidcInput = roleInput ? 'role-to-assume' : providerInput ? 'oidc-provider-arn' : ''
    // Silently ignoring one of two explicit choices would leave the user guessing which one ran.
    if (oidcInput) {
      throw new InputError(
        `Inputs "${keyInput}" and "${oidcInput}" are both set: use either an access key or ` +
          '"role-to-assume" with "oidc-provider-arn", not both.'
      )
    }
    return undefined
  }

  const role = pick(roleInput, 'role-to-assume', env, 'ALIBABA_CLOUD_ROLE_ARN')
  const provider = pick(providerInput, 'oidc-provider-arn', env, 'ALIBABA_CLOUD_OIDC_PROVIDER_ARN')
  if (!role && !provider) return undefined
  if (!role || !provider) {
    const missing = role
      ? 'Input "oidc-provider-arn" (or ALIBABA_CLOUD_OIDC_PROVIDER_ARN)'
      : 'Input "role-to-assume" (or ALIBABA_CLOUD_ROLE_ARN)'
    throw new InputError(
      `${missing} is empty but ${(role ?? provider)?.label} is set: OIDC needs both the RAM role ARN ` +
        '("acs:ram::<account>:role/<name>") and the OIDC provider ARN ' +
        '("acs:ram::<account>:oidc-provider/<name>").'
    )
  }
  checkArn(role, ROLE_ARN, 'role', 'acs:ram::<account>:role/<name>')
  checkArn(provider, PROVIDER_ARN, 'OIDC provider', 'acs:ram::<account>:oidc-provider/<name>')

  const audience = get('audience') || DEFAULT_AUDIENCE
  if (/\s/.test(audience)) {
    throw new InputError(
      `Input "audience" is "${audience}", which contains white space: use the Client ID of the ` +
        `RAM OIDC provider exactly (default "${DEFAULT_AUDIENCE}").`
    )
  }

  const sessionInput = get('role-session-name')
  const roleSessionName = sessionInput || sessionNameFromRun(env)
  if (!SESSION_NAME.test(roleSessionName)) {
    throw new InputError(
      `Input "role-session-name" is "${roleSessionName}", which is not a valid STS session name: ` +
        `use ${SESSION_NAME_RULE}.`
    )
  }

  const durationSeconds = parseDurationSeconds(get('role-duration-seconds'))
  const stsEndpoint = resolveStsEndpoint(get('sts-endpoint'), env)
  const tokenFile = env.ALIBABA_CLOUD_OIDC_TOKEN_FILE?.trim() || undefined

  return {
    roleArn: role.value,
    oidcProviderArn: provider.value,
    audience,
    roleSessionName,
    durationSeconds,
    stsEndpoint,
    ...(tokenFile ? { tokenFile } : {}),
    source:
      `OIDC: role ${role.value} (${role.label}) through ${provider.value}, ` +
      (tokenFile
        ? `ID token from ALIBABA_CLOUD_OIDC_TOKEN_FILE (${tokenFile})`
        : `GitHub ID token for audience "${audience}"`)
  }
}

interface Picked {
  value: string
  /** How the user set it, for messages: `input "role-to-assume"` or an environment variable. */
  label: string
}

function pick(input: string, inputName: string, env: Env, envName: string): Picked | undefined {
  if (input) return { value: input, label: `input "${inputName}"` }
  const fromEnv = env[envName]?.trim()
  return fromEnv ? { value: fromEnv, label: `environment variable ${envName}` } : undefined
}

function checkArn(picked: Picked, pattern: RegExp, kind: string, shape: string): void {
  if (pattern.test(picked.value)) return
  // The two ARNs look alike; swapping them is the likeliest mistake.
  const swapped =
    kind === 'role' && PROVIDER_ARN.test(picked.value)
      ? ' It is an OIDC provider ARN: did you swap "role-to-assume" and "oidc-provider-arn"?'
      : kind !== 'role' && ROLE_ARN.test(picked.value)
        ? ' It is a role ARN: did you swap "role-to-assume" and "oidc-provider-arn"?'
        : ''
  const label = picked.label.charAt(0).toUpperCase() + picked.label.slice(1)
  throw new InputError(
    `${label} is "${picked.value}", which is not a RAM ${kind} ARN: use the form "${shape}", ` +
      `as shown in the RAM console.${swapped}`
  )
}

function parseDurationSeconds(text: string): number {
  if (text === '') return DEFAULT_DURATION_SECONDS
  const value = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(value >= MIN_DURATION_SECONDS && value <= MAX_DURATION_SECONDS)) {
    throw new InputError(
      `Input "role-duration-seconds" is "${text}", which is not a whole number of seconds from ` +
        `${MIN_DURATION_SECONDS} to ${MAX_DURATION_SECONDS} (and at most the role's maximum ` +
        'session duration). fnf-wait renews its credentials before they expire, so the default ' +
        `${DEFAULT_DURATION_SECONDS} suits waits of any length.`
    )
  }
  return value
}

/** One name per run attempt, so the RAM audit log ties each session to its workflow run. */
export function sessionNameFromRun(env: Env, now: () => number = Date.now): string {
  const runId = env.GITHUB_RUN_ID?.replace(/[^0-9]/g, '')
  if (!runId) return `fnf-wait-${now()}`
  const attempt = env.GITHUB_RUN_ATTEMPT?.replace(/[^0-9]/g, '') || '1'
  return `fnf-wait-${runId}-${attempt}`.slice(0, 64)
}
