import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { ACTIONS } from './actions/index.js'
import { refuseUnimplemented } from './actions/parameters.js'
import type { Authenticator } from './auth.js'
import type { Clock } from './clock.js'
import { ApiError } from './errors.js'
import type { Fault, RecordedRequest } from './types.js'
import type { FaultQueue } from './faults.js'
import { parseParams } from './params.js'
import type { RateLimiter } from './rate-limit.js'
import type { Store } from './store.js'
import type { RequestWatch } from './watch.js'

/**
 * A request is at most 1,024 KiB (the limits page; fnf-api.md §10). What is counted: the request
 * target as sent (path and query string, still percent-encoded) plus the body as received. The page
 * says "a request", and an RPC request carries its parameters in either place, so both count; the
 * headers do not (they are the transport's, and Node refuses oversized ones itself).
 * _(Emulator choice of what to count.)_ Larger requests are refused with EntityTooLarge before
 * anything else is looked at.
 */
export const MAX_REQUEST_BYTES = 1024 * 1024

export interface ServerDeps {
  clock: Clock
  store: Store
  auth: Authenticator
  limiter: RateLimiter
  faults: FaultQueue
  requests: RecordedRequest[]
  /** One per request being processed; close() aborts them all, which ends long polls. */
  inflight: Set<AbortController>
  /** Told about each change to a recorded request (Emulator.waitForRequest). */
  watch?: RequestWatch
}

const JSON_TYPE = 'application/json;charset=utf-8'

/** The page an Alibaba front proxy (Tengine) serves when the service behind it is down. */
const BAD_GATEWAY_HTML =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>Tengine</center>\r\n</body>\r\n</html>\r\n'

/**
 * One request, in the gateway's order: read and parse (query + form body), injected faults, then
 * authentication (auth.ts), the rate limit, and the Action. Every request is recorded, rejected
 * ones included.
 */
export function createRequestHandler(deps: ServerDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(deps, req, res).catch((err: unknown) => {
      console.error('fnf emulator: request failed:', err)
      if (!res.headersSent) res.destroy()
    })
  }
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET'
  const record: RecordedRequest = {
    action: '',
    method,
    params: {},
    status: 0,
    receivedAt: deps.clock.now()
  }
  deps.requests.push(record)
  const target = req.url ?? '/'
  const { text, tooLarge } = await readBody(req, MAX_REQUEST_BYTES - Buffer.byteLength(target))
  const params = parseParams(target, req.headers['content-type'], text)
  record.params = { ...params }
  record.action = params.Action ?? ''
  deps.watch?.changed(record)
  const requestId = params.RequestId || randomUUID().toUpperCase()
  const hostId = req.headers.host ?? '127.0.0.1'

  const reply = (status: number, body: string | Buffer, code?: string, type = JSON_TYPE): void => {
    if (res.destroyed) return
    record.status = status
    if (code !== undefined) record.code = code
    res.writeHead(status, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      // The server's clock, skew included: clients correct their Timestamp from it.
      Date: new Date(deps.clock.server()).toUTCString(),
      'x-acs-request-id': requestId
    })
    res.end(body)
    deps.watch?.changed(record)
  }
  const fail = (e: ApiError): void => {
    const body = { RequestId: requestId, HostId: hostId, Code: e.code, Message: e.message }
    reply(e.status, JSON.stringify(body), e.code)
  }

  if (tooLarge) return fail(new ApiError('EntityTooLarge', String(MAX_REQUEST_BYTES)))
  const fault = deps.faults.take(record.action)
  if (fault) return injectFault(fault, record, req, fail, reply)

  // Ends a long poll early when the client goes away or the emulator closes.
  const gone = new AbortController()
  deps.inflight.add(gone)
  res.on('close', () => {
    deps.inflight.delete(gone)
    // Only an unfinished response needs it (and abort() is not free: it builds a DOMException).
    if (!res.writableFinished) gone.abort()
  })
  try {
    const accessKeyId = deps.auth.check(params, method)
    if (!deps.limiter.take(record.action, accessKeyId)) throw new ApiError('ResourceThrottled')
    const handler = ACTIONS.get(record.action)
    if (!handler) throw new ApiError('ActionNotSupported', record.action)
    refuseUnimplemented(record.action, params)
    const signal = gone.signal
    const holding = (on: boolean): void => {
      record.holding = on
      deps.watch?.changed(record)
    }
    const ctx = { params, store: deps.store, clock: deps.clock, requestId, signal, holding }
    const body = await handler(ctx)
    reply(200, body)
  } catch (e) {
    if (!(e instanceof ApiError)) console.error('fnf emulator: internal error:', e)
    fail(e instanceof ApiError ? e : new ApiError('InternalServerError'))
  }
}

function injectFault(
  fault: Fault,
  record: RecordedRequest,
  req: IncomingMessage,
  fail: (e: ApiError) => void,
  reply: (status: number, body: string | Buffer, code?: string, type?: string) => void
): void {
  switch (fault.kind) {
    case 'answer':
      return reply(
        fault.status ?? 200,
        fault.body ?? '',
        'Injected',
        fault.contentType ?? JSON_TYPE
      )
    case 'throttle':
      return fail(new ApiError('ResourceThrottled'))
    case 'server-error':
      return fail(new ApiError('InternalServerError'))
    case 'conflict':
      return fail(new ApiError('ConcurrentUpdateError'))
    case 'html':
      return reply(502, BAD_GATEWAY_HTML, 'BadGateway', 'text/html')
    case 'reset':
      record.code = 'ConnectionReset'
      req.socket.destroy()
      return
    case 'hang':
      // No answer: the socket stays open until the client gives up or the emulator closes.
      record.code = 'NoResponse'
      return
  }
}

/** The body as text; past `max` bytes the rest is drained and dropped. */
async function readBody(
  req: IncomingMessage,
  max: number
): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    size += buf.length
    if (size <= max) chunks.push(buf)
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > max }
}
