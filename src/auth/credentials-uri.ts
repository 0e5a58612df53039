/**
 * Credentials from ALIBABA_CLOUD_CREDENTIALS_URI, as the official chain gets them
 * (aliyun/credentials-nodejs src/providers/uri.ts): a GET of the URL, answered with
 * `AccessKeyId`, `AccessKeySecret`, `SecurityToken` and `Expiration` as JSON.
 */
import type { Dispatcher } from 'undici'
import {
  MachineCredentialsError,
  plainRequest,
  readMachineAnswer,
  type MachineCredentials
} from './machine-source.js'

/** The chain's read timeout for this source. */
const URI_TIMEOUT_MS = 10_000

export interface UriRequest {
  uri: string
  dispatcher?: Dispatcher | undefined
  /** The first time: a server that does not answer means there is none. */
  first: boolean
}

/** One fetch; every failure comes back as a value. */
export async function fetchCredentialsUri(
  r: UriRequest
): Promise<MachineCredentials | MachineCredentialsError> {
  const url = new URL(r.uri)
  const source = `ALIBABA_CLOUD_CREDENTIALS_URI (${uriText(url)})`
  const answer = await plainRequest({
    url,
    method: 'GET',
    timeoutMs: URI_TIMEOUT_MS,
    dispatcher: r.dispatcher,
    source,
    first: r.first,
    // A network error's text may quote the URL, and its query may hold a secret.
    redact: (text) => text.split(url.href).join(uriText(url))
  })
  if (typeof answer !== 'string') {
    return answer.unreachable && r.first
      ? answer.withAdvice('Nothing answered there: check the URL and that its server runs.')
      : answer
  }
  return readMachineAnswer(answer, source, false)
}

/** The URL as the log may show it: no user, password or query, which may hold a secret. */
export function uriText(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`
}
