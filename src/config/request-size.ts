/**
 * The size of the StartExecution request each execution's `input` makes, checked before any
 * request: the service takes at most 1,024 KiB a request and refuses more with 400
 * EntityTooLarge (the limits page, fnf-api.md §10), which would come after the other executions
 * had started.
 *
 * What is counted: the form body exactly as sent, `ExecutionName=…&FlowName=…&Input=…` with each
 * value percent-encoded as the RPC signature encodes it (UTF-8, RFC 3986: every byte outside
 * `A-Z a-z 0-9 - _ . ~` is three characters), the input being the compact JSON the step sends;
 * plus QUERY_ALLOWANCE_BYTES for the request target, whose signed query (the common parameters,
 * an STS token, the signature) is not known before the credentials are.
 */
import { InputError } from './errors.js'

/** 1,024 KiB: the service's largest request. */
export const REQUEST_LIMIT_BYTES = 1024 * 1024
/**
 * The request line's share: `/?Action=StartExecution&…&Signature=…` is about 400 bytes, and an STS
 * SecurityToken, percent-encoded, up to about 2,500 more.
 */
export const QUERY_ALLOWANCE_BYTES = 4096
/** The largest form body a StartExecution may have. */
export const BODY_LIMIT_BYTES = REQUEST_LIMIT_BYTES - QUERY_ALLOWANCE_BYTES

/** The length of `text` percent-encoded as the signer does (encodeURIComponent, plus `!'()*`). */
export function percentEncodedLength(text: string): number {
  const reserved = text.match(/[!'()*]/g)?.length ?? 0
  return encodeURIComponent(text).length + 2 * reserved
}

/** The bytes of StartExecution's form body for one execution. */
export function startBodyBytes(flowName: string, executionName: string, input: string): number {
  return (
    'ExecutionName='.length +
    percentEncodedLength(executionName) +
    '&FlowName='.length +
    percentEncodedLength(flowName) +
    '&Input='.length +
    percentEncodedLength(input)
  )
}

/** Throws the InputError naming `input` for the first execution whose request would be too large. */
export function checkStartRequestSize(
  flowName: string,
  executions: readonly { name: string; input: string }[]
): void {
  for (const { name, input } of executions) {
    const bytes = startBodyBytes(flowName, name, input)
    if (bytes <= BODY_LIMIT_BYTES) continue
    const which = executions.length > 1 ? ` for execution "${name}"` : ''
    throw new InputError(
      `Input "input"${which} is too large: StartExecution would send a form body of ` +
        `${bytes.toLocaleString('en-US')} bytes (the flow name, execution name and input ` +
        `percent-encoded as sent), over the ${BODY_LIMIT_BYTES.toLocaleString('en-US')} bytes ` +
        "that fit in the service's limit of 1,024 KiB per request beside the signed query " +
        `(${QUERY_ALLOWANCE_BYTES.toLocaleString('en-US')} bytes kept for it). Make the input ` +
        'smaller, or pass large data by reference (an object key or a URL) instead.'
    )
  }
}
