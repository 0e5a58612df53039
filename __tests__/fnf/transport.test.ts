/**
 * The FnF RPC transport (src/fnf/transport.ts), through the client against a scripted service:
 * retries with jittered backoff inside the deadline, a fresh signature per attempt, the clock-skew
 * repair, timeouts, aborts and the rate limiter.
 */
import { describe, expect, it } from '@jest/globals'
import { FnfError } from '../../src/fnf/errors.js'
import { RateLimiter } from '../../src/fnf/rate-limiter.js'
import { RpcTransport } from '../../src/fnf/transport.js'
import {
  closeAgentsAfterEach,
  CREDS,
  describeRun,
  EXECUTION,
  fail,
  harness,
  ok,
  rejection,
  SECRET,
  T0,
  verifySignature
} from '../support/fnf-mock.js'

closeAgentsAfterEach()

describe('retries', () => {
  it.each([429, 500, 502, 503])('retries HTTP %i and then succeeds', async (status) => {
    const h = harness()
    h.reply(fail(status, status === 429 ? 'ResourceThrottled' : 'InternalServerError'), ok())
    await expect(h.client.describeExecution(describeRun)).resolves.toMatchObject(EXECUTION)
    expect(h.seen).toHaveLength(2)
    expect(h.delays).toEqual([250]) // random 0.5 × min(20000, 500 × 2^0)
    expect(h.client.stats).toEqual({ requests: 2, retries: 1 })
  })

  it('retries the gateway throttling code that arrives as HTTP 400', async () => {
    const h = harness()
    h.reply(fail(400, 'Throttling.User'), ok())
    await h.client.describeExecution(describeRun)
    expect(h.seen).toHaveLength(2)
  })

  it('signs every attempt afresh with re-read credentials, a new nonce and a new timestamp', async () => {
    let n = 0
    const h = harness({
      credentials: () => ({ accessKeyId: `id-${++n}`, accessKeySecret: `${SECRET}-${n}` }),
      sleep: async (ms) => {
        h.delays.push(ms)
        h.clock.now += ms + 2000
      }
    })
    h.reply(fail(500, 'InternalServerError'), fail(503, 'ServiceUnavailable'), ok())
    await h.client.describeExecution(describeRun)
    expect(h.seen).toHaveLength(3)
    const nonces = new Set(h.seen.map((s) => s.query['SignatureNonce']))
    const stamps = new Set(h.seen.map((s) => s.query['Timestamp']))
    expect(nonces.size).toBe(3)
    expect(stamps.size).toBe(3)
    expect(h.seen.map((s) => s.query['AccessKeyId'])).toEqual(['id-1', 'id-2', 'id-3'])
    h.seen.forEach((s, i) => verifySignature(s, `${SECRET}-${i + 1}`))
  })

  it('retries a network error', async () => {
    const h = harness()
    h.pool
      .intercept({ path: () => true })
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
    h.reply(ok())
    await h.client.describeExecution(describeRun)
    expect(h.client.stats).toEqual({ requests: 2, retries: 1 })
    expect(h.logs).toHaveLength(1)
    expect(h.logs[0]).toMatch(
      /^DescribeExecution: ECONNRESET: network error: socket hang up; retry 1 of 9 in 0\.3s$/
    )
  })

  it('reports a network error that persists with status 0 and its code', async () => {
    const h = harness({ maxAttempts: 2 })
    const boom = Object.assign(new Error(`connect refused`), { code: 'ECONNREFUSED' })
    h.pool
      .intercept({ path: () => true })
      .replyWithError(boom)
      .times(2)
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err).toMatchObject({ status: 0, code: 'ECONNREFUSED', retryable: true })
    expect(err.hint).toMatch(/endpoint/)
  })

  it('a connection refused before anything answered: 2 quick retries, then the endpoint hint', async () => {
    const h = harness()
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    h.pool
      .intercept({ path: () => true })
      .replyWithError(refused)
      .times(3)
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err).toMatchObject({ status: 0, code: 'ECONNREFUSED', retryable: false })
    expect(err.hint).toMatch(
      /^Nothing has accepted a connection at https?:\/\/\S+ \(3 tries\) and nothing there has answered yet\. Check the `endpoint` input \(its host and port\)/
    )
    expect(h.client.stats).toEqual({ requests: 3, retries: 2 })
    // Every later call of the step gets the verdict at once.
    h.pool.intercept({ path: () => true }).replyWithError(refused)
    await expect(h.client.describeExecution(describeRun)).rejects.toMatchObject({
      retryable: false
    })
    expect(h.client.stats.requests).toBe(4)
  })

  it('once the endpoint has answered, a refused connection is a restart: retried in full', async () => {
    const h = harness()
    h.reply(ok())
    await h.client.describeExecution(describeRun)
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    h.pool
      .intercept({ path: () => true })
      .replyWithError(refused)
      .times(6)
    h.reply(ok())
    await expect(h.client.describeExecution(describeRun)).resolves.toMatchObject(EXECUTION)
    expect(h.client.stats).toEqual({ requests: 8, retries: 6 })
  })

  it.each([
    [400, 'InvalidArgument'],
    [403, 'SignatureNotMatch'],
    [404, 'ExecutionNotExists'],
    [409, 'FlowAlreadyExists']
  ])('does not retry HTTP %i %s', async (status, code) => {
    const h = harness()
    h.reply(fail(status, code))
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err).toMatchObject({ status, code, requestId: `req-${status}`, retryable: false })
    expect(err.action).toBe('DescribeExecution')
    expect(err.message).toMatch(
      new RegExp(
        `^DescribeExecution failed: HTTP ${status} ${code}: ${code} happened \\(request id req-${status}\\)`
      )
    )
    expect(h.seen).toHaveLength(1)
    expect(h.delays).toEqual([])
    expect(h.logs).toEqual([])
  })

  it('stops after maxAttempts with full-jitter exponential delays', async () => {
    const h = harness({ maxAttempts: 4, random: () => 0.999 })
    h.reply(...Array.from({ length: 4 }, () => fail(503, 'ServiceUnavailable')))
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err.status).toBe(503)
    expect(h.seen).toHaveLength(4)
    expect(h.delays).toEqual([499, 999, 1998])
    expect(h.logs.map((l) => l.replace(/ in .*/, ''))).toEqual([
      'DescribeExecution: HTTP 503 ServiceUnavailable: ServiceUnavailable happened (request id req-503); retry 1 of 3',
      'DescribeExecution: HTTP 503 ServiceUnavailable: ServiceUnavailable happened (request id req-503); retry 2 of 3',
      'DescribeExecution: HTTP 503 ServiceUnavailable: ServiceUnavailable happened (request id req-503); retry 3 of 3'
    ])
  })

  it('caps each delay at maxDelayMs', async () => {
    const h = harness({ maxAttempts: 8, random: () => 0.999, maxDelayMs: 3000 })
    h.reply(...Array.from({ length: 8 }, () => fail(500, 'InternalServerError')))
    await rejection(h.client.describeExecution(describeRun))
    expect(Math.max(...h.delays)).toBeLessThan(3000)
    expect(h.delays.at(-1)).toBe(2997)
  })

  it('never sleeps past the deadline and then throws the last error', async () => {
    const h = harness({ random: () => 0.999 })
    h.reply(...Array.from({ length: 10 }, () => fail(500, 'InternalServerError')))
    const deadline = T0 + 2000
    const err = await rejection(h.client.describeExecution(describeRun, { deadline }))
    expect(err.code).toBe('InternalServerError')
    // 499 then 999 fit (ends at T0+1498); the next delay of 1998 would end past the deadline.
    expect(h.delays).toEqual([499, 999])
    expect(h.clock.now).toBeLessThanOrEqual(deadline)
    expect(h.seen).toHaveLength(3)
  })

  it('does not start an attempt once the deadline has passed', async () => {
    const h = harness()
    const err = await rejection(h.client.describeExecution(describeRun, { deadline: T0 - 1 }))
    expect(err).toMatchObject({ code: 'DeadlineExceeded', status: 0, retryable: false })
    expect(h.seen).toHaveLength(0)
  })
})

describe('a long poll held until a time (holdUntil)', () => {
  it('works out the hold as each attempt leaves: a retry asks for what is left', async () => {
    const h = harness({
      sleep: async (ms) => {
        h.delays.push(ms)
        h.clock.now += 20_000
      }
    })
    h.reply(fail(503, 'ServiceUnavailable'), ok())
    await h.client.describeExecution({ ...describeRun, holdUntil: T0 + 45_000 })
    expect(h.seen.map((s) => s.query['WaitTimeSeconds'])).toEqual(['45', '25'])
    h.seen.forEach((s) => verifySignature(s))
  })
})

describe('clock skew', () => {
  it('learns the offset from the Date header and retries once, uncounted', async () => {
    const h = harness({ maxAttempts: 1 })
    const serverNow = T0 + 3600_000
    h.reply(
      fail(403, 'RequestTimeTooSkewed', { date: new Date(serverNow).toUTCString() }),
      ok(),
      ok()
    )
    await expect(h.client.describeExecution(describeRun)).resolves.toMatchObject(EXECUTION)
    expect(h.seen).toHaveLength(2)
    expect(h.delays).toEqual([])
    expect(h.seen[0]?.query['Timestamp']).toBe('2024-01-02T03:04:05Z')
    expect(h.seen[1]?.query['Timestamp']).toBe('2024-01-02T04:04:05Z')
    expect(h.client.stats).toEqual({ requests: 2, retries: 1 })
    expect(h.logs).toEqual([
      expect.stringMatching(/RequestTimeTooSkewed.*local clock is 3600s behind the server/)
    ])

    // Later calls keep the correction.
    h.clock.now += 10_000
    await h.client.describeExecution(describeRun)
    expect(h.seen[2]?.query['Timestamp']).toBe('2024-01-02T04:04:15Z')
  })

  it('repairs only once per call', async () => {
    const h = harness()
    const skew = fail(403, 'RequestTimeTooSkewed', { date: new Date(T0 + 3600_000).toUTCString() })
    h.reply(skew, skew)
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err.code).toBe('RequestTimeTooSkewed')
    expect(err.hint).toMatch(/clock/)
    expect(h.seen).toHaveLength(2)
  })
})

describe('timeouts and aborts', () => {
  it('times a request out after requestTimeoutMs and retries it', async () => {
    const h = harness({ requestTimeoutMs: 50 })
    h.pool
      .intercept({ path: () => true })
      .reply(200, JSON.stringify(EXECUTION))
      .delay(2000)
    h.reply(ok())
    await h.client.describeExecution(describeRun)
    expect(h.logs[0]).toMatch(
      /^DescribeExecution: RequestTimeout: no complete response within 0\.1s; retry 1/
    )
    expect(h.client.stats.requests).toBe(2)
  })

  it('extends the timeout by WaitTimeSeconds so long polls are not cut', async () => {
    const h = harness({ requestTimeoutMs: 50, maxAttempts: 1 })
    h.pool
      .intercept({ path: () => true })
      .reply(200, JSON.stringify(EXECUTION))
      .delay(300)
    await expect(
      h.client.describeExecution({ ...describeRun, waitTimeSeconds: 1 })
    ).resolves.toMatchObject(EXECUTION)
  })

  // Wall clock: "promptly" is the behaviour under test. The reply is 10 s away; the bound gives a
  // loaded machine 5 s to notice the abort.
  it('rejects promptly with the abort reason and does not retry (wall clock, 5 s bound)', async () => {
    const h = harness()
    h.pool
      .intercept({ path: () => true })
      .reply(200, JSON.stringify(EXECUTION))
      .delay(10_000)
    const controller = new AbortController()
    const reason = new Error('cancelled by test')
    setTimeout(() => controller.abort(reason), 20)
    const started = Date.now()
    await expect(
      h.client.describeExecution(describeRun, { signal: controller.signal })
    ).rejects.toBe(reason)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(h.client.stats).toEqual({ requests: 1, retries: 0 })
  })

  it('stops a backoff sleep when aborted', async () => {
    const controller = new AbortController()
    const h = harness({
      sleep: async () => {
        controller.abort()
        throw new Error('sleep interrupted')
      }
    })
    h.reply(fail(503, 'ServiceUnavailable'))
    await expect(
      h.client.describeExecution(describeRun, { signal: controller.signal })
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(h.seen).toHaveLength(1)
  })

  it('sends nothing when already aborted', async () => {
    const h = harness()
    await expect(
      h.client.describeExecution(describeRun, { signal: AbortSignal.abort() })
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(h.seen).toHaveLength(0)
  })
})

describe('a request held until its execution ends (StartSyncExecution)', () => {
  const start = { flowName: 'smoke', executionName: 'run-1' }
  const answer = { ...EXECUTION, Status: 'Succeeded' }

  it('may take the hold plus the margin: the HTTP deadline follows the hold', async () => {
    const h = harness({ requestTimeoutMs: 50, maxAttempts: 1, now: Date.now })
    h.pool
      .intercept({ path: () => true, method: 'POST' })
      .reply(200, JSON.stringify(answer))
      .delay(300)
    await expect(h.client.startSyncExecution(start)).resolves.toMatchObject(answer)
  })

  it("is cut at the caller's deadline, and not sent again", async () => {
    const h = harness({ now: Date.now })
    h.pool
      .intercept({ path: () => true, method: 'POST' })
      .reply(200, JSON.stringify(answer))
      .delay(5000)
    const error = await rejection(
      h.client.startSyncExecution(start, { deadline: Date.now() + 200 })
    )
    expect(error).toMatchObject({ code: 'RequestTimeout', retryable: false })
    expect(h.client.stats).toEqual({ requests: 1, retries: 0 })
  })

  it.each([500, 502, 503])('HTTP %i may have started an execution: not retried', async (status) => {
    const h = harness()
    h.reply(fail(status, 'ServiceUnavailable'), ok(answer))
    expect(await rejection(h.client.startSyncExecution(start))).toMatchObject({
      status,
      retryable: false
    })
    expect(h.seen).toHaveLength(1)
  })

  it('a throttle started nothing: retried like any call', async () => {
    const h = harness()
    h.reply(fail(429, 'ResourceThrottled'), fail(400, 'Throttling.User'), ok(answer))
    await expect(h.client.startSyncExecution(start)).resolves.toMatchObject(answer)
    expect(h.seen).toHaveLength(3)
    expect(h.seen.map((s) => s.form['ExecutionName'])).toEqual(['run-1', 'run-1', 'run-1'])
  })
})

describe('the rate limiter', () => {
  it('paces every attempt, and a turn past the deadline is a DeadlineExceeded with nothing sent', async () => {
    const limiter = new RateLimiter({ default: { burst: 1, refillPerSecond: 0.001 } })
    const h = harness({ limiter, now: Date.now })
    h.reply({ statusCode: 200, data: EXECUTION })
    await h.client.describeExecution(describeRun)
    const late = await h.client
      .describeExecution(describeRun, { deadline: Date.now() + 50 })
      .catch((error: unknown) => error)
    expect(late).toBeInstanceOf(FnfError)
    expect((late as FnfError).code).toBe('DeadlineExceeded')
    expect(h.seen).toHaveLength(1)
  })
})

describe('RpcTransport', () => {
  it('knows an API only by its call: its action, parameters and body cap', async () => {
    const h = harness()
    const transport = new RpcTransport({
      endpoint: 'https://cn-hangzhou.fnf.aliyuncs.com/',
      credentials: () => CREDS,
      dispatcher: h.agent,
      sleep: async () => undefined
    })
    h.reply({ statusCode: 200, data: { Answer: 'x'.repeat(2048) } }, ok({ Answer: 'short' }))
    const call = {
      action: 'SomeFutureAction',
      method: 'GET' as const,
      params: { Thing: 'a' },
      capBytes: 1024,
      context: {}
    }
    await expect(transport.call(call, {})).rejects.toMatchObject({
      code: 'ResponseTooLarge',
      retryable: false
    })
    await expect(transport.call(call, {})).resolves.toEqual({ Answer: 'short' })
    expect(h.seen.map((s) => [s.query['Action'], s.query['Thing']])).toEqual([
      ['SomeFutureAction', 'a'],
      ['SomeFutureAction', 'a']
    ])
    expect(transport.stats).toEqual({ requests: 2, retries: 0 })
  })
})
