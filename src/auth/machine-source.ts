/**
 * What the runner machine's two sources share (ecs-metadata.ts, credentials-uri.ts): one plain
 * HTTP attempt that is never sent through the runner's proxy, the error it fails with, and the
 * credentials answer both give (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`).
 */
import type { Dispatcher } from 'undici'
import { attemptFailure, sendAttempt } from '../http/attempt.js'
import {
  describeFailure,
  INVALID_RESPONSE,
  ServiceError,
  type ServiceErrorInit
} from '../http/errors.js'
import { bodyExcerpt, parseObject } from '../http/response.js'
import { isRetryableFailure } from '../http/retry.js'
import { DEFAULT_USER_AGENT } from '../http/user-agent.js'
import type { Credentials } from '../fnf/types.js'

/** A credentials answer is well under 8 KiB; anything past this is not one. */
export const MACHINE_RESPONSE_CAP_BYTES = 64 * 1024

export interface MachineErrorInit extends ServiceErrorInit {
  /** e.g. `the ECS metadata service at http://100.100.100.200`. */
  source: string
  /**
   * Nothing answered at all (no HTTP response): on the first request, the source is not there
   * (this machine is no ECS instance, no credentials server listens), so it is not retried.
   */
  unreachable?: boolean
}

export class MachineCredentialsError extends ServiceError {
  readonly source: string
  readonly unreachable: boolean

  constructor(init: MachineErrorInit) {
    const hint = init.hint ? ` ${init.hint}` : ''
    super(`${init.source}: ${describeFailure(init)}.${hint}`, init)
    this.name = 'MachineCredentialsError'
    this.source = init.source
    this.unreachable = init.unreachable ?? false
  }

  /** The same failure with advice; `final`: no retry can change it. */
  withAdvice(hint: string | undefined, final = false): MachineCredentialsError {
    const advice = hint ?? this.hint
    return new MachineCredentialsError({
      status: this.status,
      code: this.code,
      detail: this.detail,
      source: this.source,
      unreachable: this.unreachable,
      retryable: final ? false : this.retryable,
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(advice ? { hint: advice } : {})
    })
  }
}

export interface PlainRequest {
  url: URL
  method: 'GET' | 'PUT'
  headers?: Record<string, string>
  timeoutMs: number
  dispatcher?: Dispatcher | undefined
  /** Names the source in the error. */
  source: string
  /** The first request to this source: a connection nobody answers ends the search here. */
  first: boolean
  /** Hides the request's own secrets (the metadata token) in a network error's text. */
  redact?: (text: string) => string
}

/** One attempt; its body on a 200, every other outcome as a MachineCredentialsError. */
export async function plainRequest(r: PlainRequest): Promise<string | MachineCredentialsError> {
  const result = await sendAttempt({
    origin: r.url.origin,
    path: `${r.url.pathname}${r.url.search}`,
    method: r.method,
    headers: { 'user-agent': DEFAULT_USER_AGENT, ...r.headers },
    timeoutMs: r.timeoutMs,
    capBytes: MACHINE_RESPONSE_CAP_BYTES,
    dispatcher: r.dispatcher
  })
  if (!result.ok) {
    // No caller signal, so never `aborted`; the check keeps the compiler sure of it.
    if (result.kind === 'aborted') throw result.reason
    const failure = attemptFailure(result, 'far more than a credentials answer', r.redact)
    const unreachable = result.kind === 'network' || result.kind === 'timeout'
    return new MachineCredentialsError({
      ...failure,
      source: r.source,
      unreachable,
      retryable: !(unreachable && r.first) && isRetryableFailure(failure.status, failure.code)
    })
  }
  if (result.status === 200) return result.text
  return new MachineCredentialsError({
    status: result.status,
    code: `HTTP${result.status}`,
    detail: bodyExcerpt(r.redact ? r.redact(result.text) : result.text),
    source: r.source,
    retryable: isRetryableFailure(result.status, '')
  })
}

export interface MachineCredentials {
  credentials: Credentials
  /** Epoch ms, from `Expiration` (the source's clock). */
  expiration: number
}

/**
 * The credentials in an answer, or an error that quotes none of it (a half-formed answer could
 * still carry a secret). `needsCode`: the metadata service also says `"Code": "Success"`.
 */
export function readMachineAnswer(
  text: string,
  source: string,
  needsCode: boolean
): MachineCredentials | MachineCredentialsError {
  const json = parseObject(text)
  const field = (name: string): string | undefined => {
    const value = json?.[name]
    return typeof value === 'string' && value !== '' ? value : undefined
  }
  const accessKeyId = field('AccessKeyId')
  const accessKeySecret = field('AccessKeySecret')
  const securityToken = field('SecurityToken')
  const expiration = Date.parse(field('Expiration') ?? '')
  const code = field('Code')
  if (accessKeyId && accessKeySecret && securityToken && Number.isFinite(expiration)) {
    if (!needsCode || code === 'Success') {
      return { credentials: { accessKeyId, accessKeySecret, securityToken }, expiration }
    }
  }
  return new MachineCredentialsError({
    status: 200,
    code: INVALID_RESPONSE,
    detail: !json
      ? 'the answer is not JSON'
      : needsCode && code !== undefined && code !== 'Success'
        ? 'the answer says the credentials are not ready (its Code is not "Success")'
        : 'the answer has no complete credentials (AccessKeyId, AccessKeySecret, SecurityToken and a parsable Expiration)',
    source,
    retryable: needsCode && code !== undefined && code !== 'Success'
  })
}
