/**
 * Which credentials the step uses: the key inputs, then OIDC (inputs or environment), then keys
 * from the environment, taken one spelling whole, then the credentials file, then what the
 * runner's machine gives (the official chain's order).
 */
import type { Credentials } from '../fnf/types.js'
import { InputError, type Env } from './errors.js'
import { describeMachine, machineSources, type MachineConfig } from './machine.js'
import type { OidcConfig } from './oidc.js'
import { readProfile } from './profile-file.js'

/**
 * Exactly one source of credentials: static keys, OIDC (the action assumes the role, masks and
 * renews the credentials itself), or the runner's machine (asked in order when the step connects,
 * renewed too). Tagged by which of the three fields is present.
 */
export type CredentialsConfig =
  | { credentials: Credentials; oidc?: never; machine?: never }
  | { oidc: OidcConfig; credentials?: never; machine?: never }
  | { machine: MachineConfig; credentials?: never; oidc?: never }

/** What to set when no source gives credentials; the end of every "No credentials" message. */
export const CREDENTIALS_ADVICE =
  'give the "role-to-assume" and "oidc-provider-arn" inputs (keyless OIDC, with "permissions: ' +
  'id-token: write"; docs/keyless-setup.md), or the "access-key-id" and "access-key-secret" ' +
  'inputs (from secrets), or run aliyun/configure-aliyun-credentials-action first so ' +
  'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are set. On a self-hosted ' +
  'runner they may also come from a credentials file (ALIBABA_CLOUD_CREDENTIALS_FILE, ' +
  '~/.alibabacloud/credentials), the ECS instance RAM role or ALIBABA_CLOUD_CREDENTIALS_URI.'

const ENV_CREDENTIALS = [
  {
    prefix: 'ALIBABA_CLOUD',
    id: 'ALIBABA_CLOUD_ACCESS_KEY_ID',
    secret: 'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    token: 'ALIBABA_CLOUD_SECURITY_TOKEN'
  },
  {
    prefix: 'ALIBABACLOUD',
    id: 'ALIBABACLOUD_ACCESS_KEY_ID',
    secret: 'ALIBABACLOUD_ACCESS_KEY_SECRET',
    token: 'ALIBABACLOUD_SECURITY_TOKEN'
  },
  {
    prefix: 'ALICLOUD',
    id: 'ALICLOUD_ACCESS_KEY',
    secret: 'ALICLOUD_SECRET_KEY',
    token: 'ALICLOUD_SECURITY_TOKEN'
  }
] as const

/** Inputs first, then one environment spelling taken whole: an id is never paired with another set's secret. */
export function resolveCredentials(
  get: (name: string) => string,
  env: Env
): { auth: CredentialsConfig; source: string } {
  const id = get('access-key-id')
  const secret = get('access-key-secret')
  const token = get('security-token')
  if (id || secret) {
    if (!id || !secret) {
      const missing = id ? 'access-key-secret' : 'access-key-id'
      throw new InputError(
        `Input "${missing}" is empty but "${id ? 'access-key-id' : 'access-key-secret'}" is set: ` +
          'give both, or neither to use the ALIBABA_CLOUD_* environment variables.'
      )
    }
    return keys(id, secret, token, 'the access-key-id and access-key-secret inputs')
  }
  if (token) {
    throw new InputError(
      'Input "security-token" is set without "access-key-id" and "access-key-secret": an STS token is ' +
        'used with the temporary key pair it was issued with.'
    )
  }
  for (const names of ENV_CREDENTIALS) {
    const envId = env[names.id]?.trim()
    const envSecret = env[names.secret]?.trim()
    const envToken = env[names.token]?.trim()
    if (!envId && !envSecret) continue
    if (!envId || !envSecret) {
      throw new InputError(
        `Environment variable ${envId ? names.secret : names.id} is empty but ` +
          `${envId ? names.id : names.secret} is set: set both (configure-aliyun-credentials-action does).`
      )
    }
    return keys(envId, envSecret, envToken, `the ${names.prefix}_* environment variables`)
  }
  const profile = readProfile(env)
  if (profile?.kind === 'keys') {
    return { auth: { credentials: profile.credentials }, source: `the ${profile.source}` }
  }
  const machine = machineSources(env, profile)
  if (machine) return { auth: { machine }, source: describeMachine(machine) }
  throw new InputError(`No credentials: ${CREDENTIALS_ADVICE}`)
}

function keys(
  accessKeyId: string,
  accessKeySecret: string,
  securityToken: string | undefined,
  source: string
): { auth: CredentialsConfig; source: string } {
  const credentials = { accessKeyId, accessKeySecret, ...(securityToken ? { securityToken } : {}) }
  return { auth: { credentials }, source }
}
