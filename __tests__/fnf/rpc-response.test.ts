/**
 * What one FnF RPC attempt came back with (src/fnf/rpc-response.ts): service errors with hints, a
 * body that is not the API's, Retry-After, and no secret in any text.
 */
import { describe, expect, it } from '@jest/globals'
import { MAX_RETRY_AFTER_MS, readRpcResult } from '../../src/fnf/rpc-response.js'
import { percentEncode } from '../../src/fnf/signer.js'
import {
  closeAgentsAfterEach,
  CREDS,
  describeRun,
  fail,
  harness,
  ok,
  rejection,
  SECRET,
  T0,
  TOKEN,
  type ReplyOptions
} from '../support/fnf-mock.js'

closeAgentsAfterEach()

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

describe('Retry-After', () => {
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

describe('readRpcResult', () => {
  const reading = {
    call: {
      action: 'GetExecutionHistory',
      method: 'GET' as const,
      params: {},
      capBytes: 1024,
      context: { flowName: 'my_flow' }
    },
    endpoint: 'https://cn-hangzhou.fnf.aliyuncs.com',
    now: T0,
    redact: (text: string) => text.split(SECRET).join('***')
  }
  const throttled = (headers: Record<string, string>) =>
    readRpcResult(
      { ok: true, status: 429, headers, text: JSON.stringify({ Code: 'ResourceThrottled' }) },
      reading
    )

  it('caps a server-requested wait at five minutes, so a bogus header cannot park the job', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(300_000)
    expect(throttled({ 'retry-after': '3600' })).toMatchObject({ retryAfterMs: 300_000 })
    expect(throttled({ 'x-acs-retry-after': '1500' })).toMatchObject({ retryAfterMs: 1500 })
    const at = new Date(T0 + 10_000).toUTCString()
    expect(throttled({ 'retry-after': at })).toMatchObject({ retryAfterMs: 10_000 })
    expect(throttled({ 'retry-after': 'soon' })).not.toHaveProperty('retryAfterMs')
  })

  it('keeps the server’s clock from its Date header', () => {
    const date = new Date(T0 + 3600_000).toUTCString()
    expect(throttled({ date })).toMatchObject({ serverTimeMs: T0 + 3600_000 })
  })

  it('names the action in a too-large failure, and hides the secret in a network one', () => {
    const big = readRpcResult({ ok: false, kind: 'too-large', capBytes: 1024 }, reading)
    expect(big.ok || big.error.message).toContain(
      'ResponseTooLarge: the answer was larger than 1 KiB, more than the service sends for GetExecutionHistory'
    )
    const net = readRpcResult(
      { ok: false, kind: 'network', code: 'ECONNRESET', message: `reset at ${SECRET}` },
      reading
    )
    expect(net).toMatchObject({ ok: false, error: { code: 'ECONNRESET', retryable: true } })
    expect(net.ok || net.error.detail).toBe('network error: reset at ***')
  })
})
