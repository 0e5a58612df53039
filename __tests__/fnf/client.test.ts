import { afterEach, describe, expect, it } from '@jest/globals'
import UtilModule from '@alicloud/openapi-util'
import { MockAgent } from 'undici'
import { RateLimiter } from '../../src/fnf/rate-limiter.js'
import { FnfClient, type FnfClientOptions } from '../../src/fnf/client.js'
import { FnfError } from '../../src/fnf/errors.js'
import { percentEncode } from '../../src/fnf/signer.js'
import type { Credentials } from '../../src/fnf/types.js'

const Util = UtilModule.default // see signer.test.ts

const ORIGIN = 'https://cn-hangzhou.fnf.aliyuncs.com'
const SECRET = 'SeCrEt/with+odd=chars'
const TOKEN = 'CAIS+sts/token==with*stuff'
const CREDS: Credentials = { accessKeyId: 'LTAIkeyid', accessKeySecret: SECRET }
const T0 = Date.UTC(2024, 0, 2, 3, 4, 5)

/** What MockAgent hands a reply callback (undici does not re-export the type). */
interface ReplyOptions {
  path: string
  method: string
  headers?: unknown
  body?: unknown
}

interface Seen {
  method: string
  path: string
  query: Record<string, string>
  form: Record<string, string>
  headers: Record<string, string>
  body: string | undefined
}

type Reply = { statusCode: number; data?: string | object; headers?: Record<string, string> }

const agents: MockAgent[] = []
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()))
})

function harness(options: Partial<FnfClientOptions> = {}) {
  const agent = new MockAgent()
  agent.disableNetConnect()
  agents.push(agent)
  const pool = agent.get(ORIGIN)
  const seen: Seen[] = []
  const delays: number[] = []
  const logs: string[] = []
  const clock = { now: T0 }
  const client = new FnfClient({
    endpoint: ORIGIN,
    credentials: () => CREDS,
    dispatcher: agent,
    sleep: async (ms) => {
      delays.push(ms)
      clock.now += ms
    },
    now: () => clock.now,
    random: () => 0.5,
    log: (line) => logs.push(line),
    ...options
  })

  /** Queue replies in order; each records the request it answered. */
  function reply(...replies: Reply[]): void {
    for (const r of replies) {
      pool.intercept({ path: () => true, method: () => true }).reply((opts) => {
        seen.push(record(opts))
        const data = typeof r.data === 'object' ? JSON.stringify(r.data) : r.data
        return {
          statusCode: r.statusCode,
          data: data ?? '',
          responseOptions: { headers: r.headers ?? {} }
        }
      })
    }
  }
  return { agent, pool, client, seen, delays, logs, clock, reply }
}

function record(opts: ReplyOptions): Seen {
  const [pathname, search = ''] = opts.path.split('?')
  expect(pathname).toBe('/')
  const body = typeof opts.body === 'string' ? opts.body : undefined
  return {
    method: opts.method,
    path: opts.path,
    query: Object.fromEntries(new URLSearchParams(search)),
    form: Object.fromEntries(new URLSearchParams(body ?? '')),
    headers: Object.fromEntries(
      Object.entries((opts.headers ?? {}) as Record<string, string>).map(([k, v]) => [
        k.toLowerCase(),
        v
      ])
    ),
    body
  }
}

/** Recomputes the signature the way the official SDK does, from what actually arrived. */
function verifySignature(s: Seen, secret = SECRET): void {
  const { Signature, ...query } = s.query
  expect(Signature).toBeDefined()
  expect(Util.getRPCSignature({ ...query, ...s.form }, s.method, secret)).toBe(Signature)
}

const EXECUTION = {
  Name: 'run-1',
  FlowName: 'my_flow',
  Status: 'Running',
  StartedTime: '2024-01-02T03:04:05.000Z',
  RequestId: 'req-ok'
}
const ok = (data: object = EXECUTION): Reply => ({ statusCode: 200, data })
const fail = (statusCode: number, Code: string, headers?: Record<string, string>): Reply => ({
  statusCode,
  data: { Code, Message: `${Code} happened`, RequestId: `req-${statusCode}` },
  ...(headers ? { headers } : {})
})

async function rejection(p: Promise<unknown>): Promise<FnfError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(FnfError)
  return err as FnfError
}

const describeRun = { flowName: 'my_flow', executionName: 'run-1' }

describe('request layout and signature', () => {
  it('GET puts every parameter and the signature in the query', async () => {
    const h = harness({ credentials: () => ({ ...CREDS, securityToken: TOKEN }) })
    h.reply(ok())
    const exec = await h.client.describeExecution({ ...describeRun, waitTimeSeconds: 20 })
    expect(exec.Status).toBe('Running')

    const [s] = h.seen
    expect(s).toBeDefined()
    if (!s) return
    expect(s.method).toBe('GET')
    expect(s.body).toBeUndefined()
    expect(s.query).toMatchObject({
      Action: 'DescribeExecution',
      Version: '2019-03-15',
      Format: 'JSON',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      AccessKeyId: 'LTAIkeyid',
      SecurityToken: TOKEN,
      Timestamp: '2024-01-02T03:04:05Z',
      FlowName: 'my_flow',
      ExecutionName: 'run-1',
      WaitTimeSeconds: '20'
    })
    expect(s.query['SignatureNonce']).toMatch(/^[0-9a-f-]{36}$/)
    // Strictly RFC 3986: nothing that a form decoder would read differently.
    expect(s.path).not.toMatch(/[+*!'()]/)
    expect(s.headers['user-agent']).toMatch(/^fnf-wait\//)
    verifySignature(s)
  })

  it('POST puts common parameters in the query and API parameters in a form body', async () => {
    const h = harness()
    h.reply(ok({ ...EXECUTION, Status: 'Starting' }))
    const input = '{"a":"b c*~!\'()","z":"é 😀"}'
    await h.client.startExecution({ flowName: 'my_flow', executionName: 'run-1', input })

    const [s] = h.seen
    if (!s) throw new Error('no request')
    expect(s.method).toBe('POST')
    expect(s.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.keys(s.query).sort()).toEqual([
      'AccessKeyId',
      'Action',
      'Format',
      'Signature',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'Timestamp',
      'Version'
    ])
    expect(s.query['Action']).toBe('StartExecution')
    expect(s.form).toEqual({ FlowName: 'my_flow', ExecutionName: 'run-1', Input: input })
    expect(s.body).toContain(`Input=${percentEncode(input)}`)
    verifySignature(s)
  })

  it('omits parameters left undefined', async () => {
    const h = harness()
    h.reply(ok({ ...EXECUTION, Name: 'generated' }), ok(), ok({ Name: 'my_flow' }))
    const started = await h.client.startExecution({ flowName: 'my_flow' })
    expect(started.Name).toBe('generated')
    await h.client.describeExecution(describeRun)
    await h.client.describeFlow({ name: 'my_flow' })

    const [start, desc, flow] = h.seen
    expect(start?.form).toEqual({ FlowName: 'my_flow' })
    expect(desc?.query).not.toHaveProperty('WaitTimeSeconds')
    expect(desc?.query).not.toHaveProperty('SecurityToken')
    expect(flow?.query).toMatchObject({ Action: 'DescribeFlow', Name: 'my_flow' })
    for (const s of h.seen) verifySignature(s)
  })

  it('sends StopExecution and GetExecutionHistory parameters', async () => {
    const h = harness()
    h.reply(
      ok({ ...EXECUTION, Status: 'Stopped' }),
      ok({ Events: [], NextToken: 42, RequestId: 'r' })
    )
    await h.client.stopExecution({ ...describeRun, error: 'Cancelled', cause: 'by CI' })
    const page = await h.client.getExecutionHistory({ ...describeRun, nextToken: '7', limit: 999 })
    expect(page.NextToken).toBe('42')
    expect(page.Events).toEqual([])
    const [stop, history] = h.seen
    expect(stop?.method).toBe('POST')
    expect(stop?.form).toEqual({
      ...{ FlowName: 'my_flow', ExecutionName: 'run-1' },
      Error: 'Cancelled',
      Cause: 'by CI'
    })
    expect(history?.query).toMatchObject({ NextToken: '7', Limit: '999' })
    for (const s of h.seen) verifySignature(s)
  })

  it('rejects an out-of-range waitTimeSeconds before sending anything', async () => {
    const h = harness()
    await expect(
      h.client.describeExecution({ ...describeRun, waitTimeSeconds: 61 })
    ).rejects.toThrow(RangeError)
    expect(h.seen).toHaveLength(0)
  })
})

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

  it.each([
    [400, 'InvalidArgument'],
    [403, 'SignatureNotMatch'],
    [404, 'ExecutionNotExists'],
    [409, 'ConcurrentUpdateError']
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

  it.each([
    [{ 'x-acs-retry-after': '3000' }, 3000],
    [{ 'retry-after': '2' }, 2000]
  ])('waits at least the server-requested time (%j)', async (headers, min) => {
    const h = harness()
    h.reply(fail(429, 'ResourceThrottled', headers), ok())
    await h.client.describeExecution(describeRun)
    expect(h.delays).toHaveLength(1)
    expect(h.delays[0]).toBeGreaterThanOrEqual(min)
  })
})

describe('errors', () => {
  it.each([
    ['InvalidAccessKeyID', 403, /`access-key-id`.*ALIBABA_CLOUD_ACCESS_KEY_ID/],
    ['SignatureNotMatch', 403, /`access-key-secret`.*ALIBABA_CLOUD_ACCESS_KEY_SECRET/],
    ['RequestTimeTooSkewed', 403, /clock/],
    ['FlowNotExists', 404, /`flow-name`.*"my_flow".*cn-hangzhou|"my_flow".*`flow-name`.*`region`/],
    ['ExecutionNotExists', 404, /"run-1".*`execution-name`/],
    ['InvalidSecurityToken.Expired', 400, /`security-token`.*ALIBABA_CLOUD_SECURITY_TOKEN/],
    ['InvalidSecurityToken.MismatchWithAccessKey', 400, /`security-token`/],
    ['InvalidSecurityToken.Malformed', 400, /`security-token`/],
    ['SecurityTokenExpired', 403, /`security-token`/],
    ['AccessDenied', 403, /fnf:DescribeExecution/]
  ])('gives a hint for %s', async (code, status, hint) => {
    const h = harness()
    h.reply(fail(status, code)) // no Date header, so no clock repair either
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err.hint).toMatch(hint)
    expect(err.message).toContain(` Hint: ${err.hint}`)
    expect(err.message).toMatch(
      new RegExp(`^DescribeExecution failed: HTTP ${status} ${code.replace('.', '\\.')}`)
    )
  })

  it('turns a proxy HTML page into InvalidResponse with the status and the start of the body', async () => {
    const h = harness({ maxAttempts: 2 })
    const html = `<html>\n  <head><title>502 Bad Gateway</title></head>\n  <body>${'x'.repeat(500)}</body>\n</html>`
    h.reply(
      { statusCode: 502, data: html, headers: { 'content-type': 'text/html' } },
      { statusCode: 502, data: html, headers: { 'content-type': 'text/html' } }
    )
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err).toMatchObject({ status: 502, code: 'InvalidResponse', retryable: true })
    expect(err.message).toContain(
      'HTTP 502 InvalidResponse: expected a JSON object, got "<html> <head><title>502 Bad Gateway</title></head> <body>xxx'
    )
    expect(err.detail.length).toBeLessThan(260)
    expect(err.hint).toMatch(/HTTPS_PROXY/)
    expect(h.seen).toHaveLength(2) // a 502 is worth retrying whatever its body
  })

  it('does not retry a 200 that is not JSON', async () => {
    const h = harness()
    h.reply({ statusCode: 200, data: '<html>captive portal</html>' })
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err).toMatchObject({ status: 200, code: 'InvalidResponse', retryable: false })
    expect(err.message).toContain('"<html>captive portal</html>"')
  })

  it('rejects a DescribeExecution answer without Status', async () => {
    const h = harness()
    h.reply(ok({ RequestId: 'x' }))
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err.code).toBe('InvalidResponse')
    expect(err.message).toMatch(/no Status/)
  })

  it('reads lowercase error fields and falls back to the x-acs-request-id header', async () => {
    const h = harness()
    h.reply(
      { statusCode: 404, data: { code: 'FlowNotExists', message: 'nope', requestId: 'low' } },
      { statusCode: 404, data: { Code: 'FlowNotExists' }, headers: { 'x-acs-request-id': 'hdr' } }
    )
    const a = await rejection(h.client.describeFlow({ name: 'f' }))
    expect(a).toMatchObject({ code: 'FlowNotExists', detail: 'nope', requestId: 'low' })
    const b = await rejection(h.client.describeFlow({ name: 'f' }))
    expect(b.requestId).toBe('hdr')
    expect(b.message).toMatch(
      /^DescribeFlow failed: HTTP 404 FlowNotExists \(request id hdr\) Hint: Flow "f"/
    )
  })

  it('never lets the secret or the token into errors or log lines', async () => {
    const h = harness({
      maxAttempts: 3,
      credentials: () => ({ ...CREDS, securityToken: TOKEN })
    })
    const echoQuery = (opts: ReplyOptions) => ({
      statusCode: 403,
      data: JSON.stringify({
        Code: 'SignatureNotMatch',
        Message: `server string to sign is: GET&%2F&${percentEncode(opts.path)} token ${TOKEN} secret ${SECRET}`
      })
    })
    h.pool.intercept({ path: () => true }).replyWithError(
      Object.assign(new Error(`reset while sending ${SECRET} ${percentEncode(TOKEN)}`), {
        code: 'ECONNRESET'
      })
    )
    h.pool.intercept({ path: () => true }).reply((opts) => ({
      statusCode: 503,
      data: `<html>proxy failed for ${opts.path} ${encodeURIComponent(SECRET)}</html>`
    }))
    h.pool.intercept({ path: () => true }).reply(echoQuery)
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err.code).toBe('SignatureNotMatch')

    const texts = [err.message, String(err.stack), ...h.logs]
    expect(h.logs).toHaveLength(2)
    for (const secret of [SECRET, TOKEN]) {
      for (const form of [secret, percentEncode(secret), percentEncode(percentEncode(secret))]) {
        for (const text of texts) expect(text).not.toContain(form)
      }
    }
    expect(err.message).toContain('***')
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
