/**
 * One HTTP attempt (src/http/attempt.ts) against a local server: what comes back for an answer, a
 * silence, an abort, a body past the cap and a refused connection, each as a value and never
 * thrown. The server decides when it answers; the test waits for it to see the request.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Agent } from 'undici'
import { attemptFailure, header, sendAttempt, type AttemptRequest } from '../../src/http/attempt.js'
import { sharedDispatcher } from '../../src/http/dispatcher.js'

let server: http.Server
let origin = ''
/** Resolved with each request the server gets, in order. */
const arrived: Array<(req: http.IncomingMessage) => void> = []
const seen: http.IncomingMessage[] = []

function nextRequest(): Promise<http.IncomingMessage> {
  return new Promise((resolve) => arrived.push(resolve))
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      arrived.shift()?.(req)
      const path = req.url ?? '/'
      if (path.startsWith('/silent')) return // never answers
      if (path.startsWith('/endless')) {
        res.writeHead(200)
        const pump = (): void => {
          while (!res.destroyed)
            if (!res.write(Buffer.alloc(64 * 1024, 'a'))) return void res.once('drain', pump)
        }
        return pump()
      }
      res.writeHead(201, { 'x-one': 'a', 'content-type': 'text/plain' })
      res.end(`${req.method} ${path} ${Buffer.concat(chunks).toString()} ${req.headers['x-ask']}`)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

function request(extra: Partial<AttemptRequest> = {}): AttemptRequest {
  return {
    origin,
    path: '/echo?x=1',
    method: 'POST',
    headers: { 'x-ask': 'hi' },
    body: 'payload',
    timeoutMs: 60_000,
    capBytes: 1024,
    ...extra
  }
}

describe('sendAttempt', () => {
  it('returns the status, headers and text of an answer', async () => {
    const result = await sendAttempt(request())
    expect(result).toMatchObject({ ok: true, status: 201, text: 'POST /echo?x=1 payload hi' })
    expect(result.ok && header(result.headers, 'x-one')).toBe('a')
  })

  it('goes through the dispatcher it is given, else through the shared pool', async () => {
    const agent = new Agent()
    const given = jest.spyOn(agent, 'dispatch')
    const shared = jest.spyOn(sharedDispatcher(), 'dispatch')
    try {
      await sendAttempt(request({ dispatcher: agent }))
      expect([given.mock.calls.length, shared.mock.calls.length]).toEqual([1, 0])
      await sendAttempt(request())
      expect([given.mock.calls.length, shared.mock.calls.length]).toEqual([1, 1])
    } finally {
      shared.mockRestore()
      await agent.close()
    }
  })

  it('a server that never answers is a timeout, not an exception', async () => {
    const result = await sendAttempt(request({ path: '/silent', timeoutMs: 100 }))
    expect(result).toEqual({ ok: false, kind: 'timeout', timeoutMs: 100 })
  })

  it('an abort while waiting ends it at once with the reason', async () => {
    const controller = new AbortController()
    const reason = new Error('cancelled by the test')
    const arrival = nextRequest()
    const pending = sendAttempt(request({ path: '/silent/abort', signal: controller.signal }))
    await arrival
    controller.abort(reason)
    expect(await pending).toEqual({ ok: false, kind: 'aborted', reason })
  })

  it('sends nothing once aborted', async () => {
    const before = seen.length
    const reason = new Error('already')
    const result = await sendAttempt(request({ signal: AbortSignal.abort(reason) }))
    expect(result).toEqual({ ok: false, kind: 'aborted', reason })
    expect(seen.length).toBe(before)
  })

  it('a body past the cap is too-large, and the connection is dropped', async () => {
    const result = await sendAttempt(
      request({ path: '/endless', method: 'GET', capBytes: 100_000 })
    )
    expect(result).toEqual({ ok: false, kind: 'too-large', capBytes: 100_000 })
  })

  it('a refused connection is a network failure with its code', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const result = await sendAttempt(request({ origin: `http://127.0.0.1:${port}` }))
    expect(result).toMatchObject({ ok: false, kind: 'network', code: 'ECONNREFUSED' })
  })
})

describe('attemptFailure', () => {
  it('gives each failure the code and detail a service error shows', () => {
    expect(attemptFailure({ ok: false, kind: 'timeout', timeoutMs: 15_000 }, 'x')).toEqual({
      status: 0,
      code: 'RequestTimeout',
      detail: 'no complete response within 15.0s'
    })
    expect(
      attemptFailure(
        { ok: false, kind: 'too-large', capBytes: 64 * 1024 },
        'far more than STS sends'
      )
    ).toEqual({
      status: 0,
      code: 'ResponseTooLarge',
      detail: 'the answer was larger than 64 KiB, far more than STS sends'
    })
    const network = {
      ok: false as const,
      kind: 'network' as const,
      code: 'ECONNRESET',
      message: 'reset s3cret'
    }
    expect(attemptFailure(network, 'x', (t) => t.replace('s3cret', '***'))).toEqual({
      status: 0,
      code: 'ECONNRESET',
      detail: 'network error: reset ***'
    })
  })
})
