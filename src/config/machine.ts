/**
 * The sources of credentials a self-hosted runner's machine may have, after every other one: the
 * ECS instance RAM role through the metadata service, then ALIBABA_CLOUD_CREDENTIALS_URI, in the
 * official chain's order and with its variables (aliyun/credentials-nodejs
 * src/providers/default.ts, ecs_ram_role.ts, uri.ts). Which of them answers is known only once
 * they are asked (auth/machine-provider.ts); here they are only read and checked.
 */
import { InputError, type Env } from './errors.js'
import { isGitHubHosted } from './hosted-limit.js'

export interface MachineConfig {
  /** The ECS instance RAM role, unless turned off or on a GitHub-hosted runner. */
  ecs?: EcsRoleConfig
  /** ALIBABA_CLOUD_CREDENTIALS_URI: a URL that answers credentials as JSON. */
  uri?: string
}

export interface EcsRoleConfig {
  /** The role to ask for; without one, the role the metadata service names. */
  roleName?: string
  /** Where the role name came from, for the log. */
  roleFrom?: string
  /**
   * False with ALIBABA_CLOUD_IMDSV1_DISABLED=true (or ALIBABA_CLOUD_IMDSV1_DISABLE, as some of the
   * official pages and SDKs spell it): only the token-authenticated (IMDSv2) path.
   */
  imdsV1: boolean
}

/**
 * RAM role names: letters, digits, `.`, `-` (and `_`, which older roles have), 1 to 64. The name
 * goes into a metadata URL, so nothing else passes.
 */
export const ROLE_NAME = /^[A-Za-z0-9._-]{1,64}$/

export function checkRoleName(name: string, from: string): void {
  if (ROLE_NAME.test(name)) return
  throw new InputError(
    `The ${from} is "${name}", which is not a RAM role name: use the role's name (1 to 64 ` +
      'letters, digits, ".", "-" or "_"), not its ARN.'
  )
}

/**
 * The machine's sources, in order, or undefined when there is none: the metadata service is not
 * asked when ALIBABA_CLOUD_ECS_METADATA_DISABLED is true, nor on a GitHub-hosted runner
 * (RUNNER_ENVIRONMENT=github-hosted, never an ECS instance) unless ALIBABA_CLOUD_ECS_METADATA names
 * a role. `profileRole` is a credentials-file profile of type ecs_ram_role, which goes first.
 */
export function machineSources(
  env: Env,
  profileRole?: { roleName?: string; source: string }
): MachineConfig | undefined {
  const disabled = isTrue(env.ALIBABA_CLOUD_ECS_METADATA_DISABLED)
  const envRole = env.ALIBABA_CLOUD_ECS_METADATA?.trim() || undefined
  if (profileRole && disabled) {
    throw new InputError(
      `The ${profileRole.source} has type ecs_ram_role, but ALIBABA_CLOUD_ECS_METADATA_DISABLED ` +
        'is true: unset one of them.'
    )
  }
  if (envRole) checkRoleName(envRole, 'environment variable ALIBABA_CLOUD_ECS_METADATA')
  const hosted = isGitHubHosted(env)
  // The Go and Rust chains read _DISABLED; the Node.js chain and several pages read _DISABLE.
  const imdsV1 =
    !isTrue(env.ALIBABA_CLOUD_IMDSV1_DISABLED) && !isTrue(env.ALIBABA_CLOUD_IMDSV1_DISABLE)
  const role = profileRole
    ? profileRole.roleName
      ? { roleName: profileRole.roleName, roleFrom: `role_name of the ${profileRole.source}` }
      : {}
    : envRole
      ? { roleName: envRole, roleFrom: 'ALIBABA_CLOUD_ECS_METADATA' }
      : {}
  const asksMetadata = !disabled && (profileRole !== undefined || envRole !== undefined || !hosted)
  const uri = credentialsUri(env)
  if (!asksMetadata && uri === undefined) return undefined
  return {
    ...(asksMetadata ? { ecs: { ...role, imdsV1 } } : {}),
    ...(uri === undefined ? {} : { uri })
  }
}

/** Where the credentials will come from, for the log. */
export function describeMachine(machine: MachineConfig): string {
  const sources = [
    machine.ecs &&
      `the ECS instance RAM role${machine.ecs.roleName ? ` ${machine.ecs.roleName}` : ''}`,
    machine.uri !== undefined && 'ALIBABA_CLOUD_CREDENTIALS_URI'
  ].filter(Boolean)
  return `the runner's machine: ${sources.join(', then ')}${sources.length > 1 ? ', the first that gives them' : ''}`
}

function credentialsUri(env: Env): string | undefined {
  const value = env.ALIBABA_CLOUD_CREDENTIALS_URI?.trim()
  if (!value) return undefined
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InputError(
      'Environment variable ALIBABA_CLOUD_CREDENTIALS_URI is not an http:// or https:// URL: ' +
        'give the URL of the server that answers the credentials, or unset it.'
    )
  }
  return url.href
}

/** The chain reads these flags as `true`, any case. */
function isTrue(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true'
}
