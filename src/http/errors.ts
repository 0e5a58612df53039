/** What every client shares about failures: codes of our own and the error base. */
import { ERROR_TEXT_MAX } from '../base/error-text.js'
import { wireText } from '../base/wire-text.js'

/** Our own per-request timeout fired (status 0). */
export const REQUEST_TIMEOUT = 'RequestTimeout'
/** The body was not the JSON object the API returns, e.g. a proxy's HTML error page. */
export const INVALID_RESPONSE = 'InvalidResponse'

export interface ServiceErrorInit {
  /** HTTP status; 0 when no HTTP response was received. */
  status: number
  /** Service `Code`, a Node/undici error code, or one of the constants above. */
  code: string
  /** Service `Message` or our description; must already be free of secrets. */
  detail: string
  requestId?: string | undefined
  hint?: string | undefined
  retryable: boolean
}

/** A failed call to an Alibaba Cloud RPC service; the subclass writes the message. */
export abstract class ServiceError extends Error {
  readonly status: number
  readonly code: string
  readonly detail: string
  readonly requestId?: string
  readonly hint?: string
  readonly retryable: boolean

  /**
   * Code, detail and request id come from the wire: they are made safe here, once, so every later
   * use (retry lines, warnings, setFailed, the summary) prints safe text.
   */
  protected constructor(message: string, init: ServiceErrorInit, options?: ErrorOptions) {
    super(wireText(message, ERROR_TEXT_MAX), options)
    this.status = init.status
    this.code = wireText(init.code, 200)
    this.detail = wireText(init.detail)
    this.retryable = init.retryable
    if (init.requestId !== undefined) this.requestId = wireText(init.requestId, 200)
    if (init.hint !== undefined) this.hint = init.hint
  }

  /** The failure without action, endpoint or hint: short enough for a retry log line. */
  get reason(): string {
    return describeFailure(this)
  }
}

/** `HTTP 403 Code: detail (request id …)`, or the network code alone. */
export function describeFailure(e: {
  status: number
  code: string
  detail: string
  requestId?: string | undefined
}): string {
  const head = e.status > 0 ? `HTTP ${e.status} ${e.code}` : e.code
  const detail = e.detail ? `: ${e.detail}` : ''
  const id = e.requestId ? ` (request id ${e.requestId})` : ''
  return `${head}${detail}${id}`
}
