/**
 * The ECS instance RAM role's credentials from the instance metadata service, as the official
 * chain asks for them (aliyun/credentials-nodejs src/providers/ecs_ram_role.ts): a session token
 * first (`PUT /latest/api/token`, IMDSv2, the "security hardening mode"), then the role's name
 * unless given and its credentials, with the token on each request. Without a token (an instance
 * that does not give one) the same requests go without it (IMDSv1), unless
 * ALIBABA_CLOUD_IMDSV1_DISABLED (or _DISABLE) forbids it.
 */
import type { Dispatcher } from 'undici'
import { ROLE_NAME, type EcsRoleConfig } from '../config/machine.js'
import { INVALID_RESPONSE } from '../http/errors.js'
import {
  MachineCredentialsError,
  plainRequest,
  readMachineAnswer,
  type MachineCredentials
} from './machine-source.js'

/** The metadata service of every ECS instance. */
export const METADATA_ORIGIN = 'http://100.100.100.200'
/** The token's lifetime the chain asks for: 6 hours, the most the service gives. */
export const METADATA_TOKEN_TTL_SECONDS = 21_600
/** A link-local service answers at once; the chain waits 1 s, a loaded runner gets a little more. */
const METADATA_TIMEOUT_MS = 2000
const CREDENTIALS_PATH = '/latest/meta-data/ram/security-credentials/'

export interface EcsRoleRequest {
  config: EcsRoleConfig
  /** METADATA_ORIGIN but in tests. */
  origin: string
  dispatcher?: Dispatcher | undefined
  /** The first time: a metadata service that does not answer means this is no ECS instance. */
  first: boolean
  /** Masks the session token before it is used. */
  setSecret: (secret: string) => void
}

export interface EcsRoleCredentials extends MachineCredentials {
  roleName: string
  /** Whether the session token was used (IMDSv2). */
  withToken: boolean
}

/** One fetch of the role's credentials; every failure comes back as a value. */
export async function fetchEcsRole(
  r: EcsRoleRequest
): Promise<EcsRoleCredentials | MachineCredentialsError> {
  const source = `the ECS metadata service at ${r.origin}`
  let token: string | undefined
  const request = (path: string, method: 'GET' | 'PUT', headers: Record<string, string>) =>
    plainRequest({
      url: new URL(path, r.origin),
      method,
      headers,
      timeoutMs: METADATA_TIMEOUT_MS,
      dispatcher: r.dispatcher,
      source,
      first: r.first && method === 'PUT',
      redact: (text) => (token ? text.split(token).join('***') : text)
    })

  const put = await request('/latest/api/token', 'PUT', {
    'x-aliyun-ecs-metadata-token-ttl-seconds': String(METADATA_TOKEN_TTL_SECONDS)
  })
  if (typeof put === 'string') {
    token = put.trim()
    r.setSecret(token)
  } else if (put.unreachable || !r.config.imdsV1) {
    // Nothing answered: a request without a token would go to the same nobody.
    return put.withAdvice(put.unreachable ? NOT_ECS : IMDSV1_OFF)
  }
  // As the chain: a request whose token is refused is tried once more without it (IMDSv1). Only
  // a refusal (401, 403): a 404 or a 5xx would say the same without the token.
  const get = async (path: string): Promise<string | MachineCredentialsError> => {
    const headers: Record<string, string> = token ? { 'x-aliyun-ecs-metadata-token': token } : {}
    const withToken = await request(path, 'GET', headers)
    const refused = typeof withToken !== 'string' && [401, 403].includes(withToken.status)
    return refused && token && r.config.imdsV1 ? request(path, 'GET', {}) : withToken
  }

  let roleName = r.config.roleName
  if (!roleName) {
    const listed = await get(CREDENTIALS_PATH)
    if (typeof listed !== 'string') {
      return listed.status === 404 ? listed.withAdvice(NO_ROLE, true) : listed
    }
    const name = listed.trim()
    if (!ROLE_NAME.test(name)) {
      return new MachineCredentialsError({
        status: 200,
        code: INVALID_RESPONSE,
        detail: name ? 'the role it names is not a RAM role name' : 'it names no RAM role',
        source,
        hint: NO_ROLE,
        retryable: false
      })
    }
    roleName = name
  }
  const answer = await get(`${CREDENTIALS_PATH}${encodeURIComponent(roleName)}`)
  if (typeof answer !== 'string') {
    const from = r.config.roleFrom ? ` (${r.config.roleFrom})` : ''
    const hint =
      answer.status === 404
        ? `No RAM role ${roleName}${from} is attached to this instance: attach it in the ECS ` +
          'console (Instance, Bind/Unbind RAM Role), or name the role that is.'
        : undefined
    return hint ? answer.withAdvice(hint, true) : answer
  }
  const read = readMachineAnswer(answer, source, true)
  if (read instanceof MachineCredentialsError) return read
  return { ...read, roleName, withToken: token !== undefined }
}

const NO_ROLE =
  'No RAM role is attached to this ECS instance: attach one in the ECS console (Instance, ' +
  'Bind/Unbind RAM Role), or give credentials another way.'
const IMDSV1_OFF =
  'ALIBABA_CLOUD_IMDSV1_DISABLED (or _DISABLE) is true, so no request goes without the session ' +
  'token: check that the instance gives one (its metadata access mode), or unset the variable.'

const NOT_ECS =
  'This runner does not look like an ECS instance (nothing answered): set ' +
  'ALIBABA_CLOUD_ECS_METADATA_DISABLED=true so fnf-wait does not ask, and give credentials ' +
  'another way.'
