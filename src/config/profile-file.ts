/**
 * The official credential chain's credentials file (aliyun/credentials-nodejs
 * src/providers/profile.ts): ALIBABA_CLOUD_CREDENTIALS_FILE, else ~/.alibabacloud/credentials, an
 * INI file whose section ALIBABA_CLOUD_PROFILE (default `default`) says where the credentials are.
 * Read once, before any request; no message quotes a value from it but names, paths and types.
 */
import { readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Credentials } from '../fnf/types.js'
import { InputError, type Env } from './errors.js'
import { checkRoleName } from './machine.js'
import { fileKind } from './output-file.js'

export type ProfileCredentials =
  /** `type = access_key`: the profile's key pair. */
  | { kind: 'keys'; credentials: Credentials; source: string }
  /** `type = ecs_ram_role`: the ECS instance RAM role `role_name` (or the instance's one). */
  | { kind: 'ecs-role'; roleName?: string; source: string }

/** Types the chain supports, and what fnf-wait says of those it does not. */
const SUPPORTED = ['access_key', 'ecs_ram_role'] as const
const REFUSED: Record<string, string> = {
  ram_role_arn:
    'fnf-wait does not assume a role with AccessKeys (AssumeRole): use "role-to-assume" with ' +
    '"oidc-provider-arn" (keyless, no stored key), or an access_key profile'
}

/** A credentials file holds a few profiles; anything this large is not one. */
const MAX_FILE_BYTES = 1024 * 1024

/**
 * The profile's credentials, or undefined when there is no file at the default path (or it has no
 * `default` profile and none was asked for). A file or profile named by a variable that is not
 * there is an error, as is a profile of a type fnf-wait cannot use.
 */
export function readProfile(env: Env): ProfileCredentials | undefined {
  const named = env.ALIBABA_CLOUD_CREDENTIALS_FILE?.trim()
  const path = named || join(homeDir(env), '.alibabacloud', 'credentials')
  const where = named ? `${path} (ALIBABA_CLOUD_CREDENTIALS_FILE)` : path
  const askedProfile = env.ALIBABA_CLOUD_PROFILE?.trim()
  const profileName = askedProfile || 'default'

  const text = readIfFile(path, where)
  if (text === undefined) {
    if (named || askedProfile) {
      throw new InputError(
        `${named ? 'Environment variable ALIBABA_CLOUD_CREDENTIALS_FILE names' : `ALIBABA_CLOUD_PROFILE is "${profileName}" but there is no`} ` +
          `credentials file ${named ? `${path}, which does not exist` : `at ${path}`}: ` +
          'give the path of the INI file that holds the profile, or unset the variable.'
      )
    }
    return undefined
  }
  const sections = parseIni(text)
  const profile = sections.get(profileName)
  if (!profile) {
    if (!named && !askedProfile) return undefined
    const known = [...sections.keys()].map((name) => `"${name}"`).join(', ') || 'none'
    throw new InputError(
      `The credentials file ${where} has no profile "${profileName}"` +
        `${askedProfile ? ' (ALIBABA_CLOUD_PROFILE)' : ''}; its profiles: ${known}. Set ` +
        'ALIBABA_CLOUD_PROFILE to one of them.'
    )
  }
  const source = `profile "${profileName}" of ${where}`
  const type = profile.get('type') ?? ''
  if (type === 'access_key') {
    const accessKeyId = profile.get('access_key_id') ?? ''
    const accessKeySecret = profile.get('access_key_secret') ?? ''
    if (!accessKeyId || !accessKeySecret) {
      throw new InputError(
        `The ${source} has type access_key but no ${accessKeyId ? 'access_key_secret' : 'access_key_id'}: ` +
          'give both access_key_id and access_key_secret.'
      )
    }
    return { kind: 'keys', credentials: { accessKeyId, accessKeySecret }, source }
  }
  if (type === 'ecs_ram_role') {
    const roleName = profile.get('role_name') || undefined
    if (roleName) checkRoleName(roleName, `role_name of the ${source}`)
    return { kind: 'ecs-role', ...(roleName ? { roleName } : {}), source }
  }
  const why = REFUSED[type]
  throw new InputError(
    `The ${source} has ${type ? `type ${type}` : 'no type'}` +
      `${why ? `: ${why}.` : `, and fnf-wait reads these: ${SUPPORTED.join(', ')}.`}`
  )
}

/** HOME on Linux and macOS, USERPROFILE on Windows, as the job sees them. */
function homeDir(env: Env): string {
  return env.HOME?.trim() || env.USERPROFILE?.trim() || homedir()
}

function readIfFile(path: string, where: string): string | undefined {
  let stats
  try {
    stats = statSync(path)
  } catch {
    return undefined
  }
  const kind = fileKind(stats)
  if (kind !== 'file' || stats.size > MAX_FILE_BYTES) {
    throw new InputError(
      `The credentials file ${where} is ${kind === 'file' ? 'larger than 1 MiB' : kind}, not an ` +
        'INI file of profiles: point ALIBABA_CLOUD_CREDENTIALS_FILE at the credentials file.'
    )
  }
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new InputError(
      `The credentials file ${where} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): ` +
        'make it readable by the runner, or point ALIBABA_CLOUD_CREDENTIALS_FILE at another one.'
    )
  }
}

/**
 * INI as the chain reads it (the `ini` package): `[section]`, `key = value`, whole-line and
 * trailing `;` or `#` comments, quotes around a value dropped. A later key or section adds to an
 * earlier one of the same name.
 */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>()
  let current: Map<string, string> | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue
    const section = /^\[(.*)\]$/.exec(line)
    if (section) {
      const name = section[1]!.trim()
      current = sections.get(name) ?? new Map()
      sections.set(name, current)
      continue
    }
    const at = line.indexOf('=')
    if (at < 0 || current === undefined) continue
    current.set(line.slice(0, at).trim(), iniValue(line.slice(at + 1).trim()))
  }
  return sections
}

function iniValue(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value)
  if (quoted) return quoted[2]!
  return value.replace(/\s*[;#].*$/, '').trim()
}
