/**
 * The retry policy (src/http/retry.ts, pure): which failures are retried (429, 5xx, network errors,
 * the gateway's throttling code), how raw Node and undici errors are classified, and the backoff.
 */
import { describe, expect, it } from '@jest/globals'
import { FnfError } from '../../src/fnf/errors.js'
import { backoffDelay, isRetryable, isRetryableRefusal } from '../../src/http/retry.js'

describe('retry policy (pure)', () => {
  const fnf = (status: number, code: string) =>
    new FnfError({ action: 'A', status, code, detail: '', retryable: false })

  it.each([
    [429, 'ResourceThrottled', true],
    [500, 'InternalServerError', true],
    [503, 'ServiceUnavailable', true],
    [0, 'ECONNRESET', true],
    [0, 'UND_ERR_HEADERS_TIMEOUT', true],
    [0, 'RequestTimeout', true],
    [0, 'ENOTFOUND', false],
    [0, 'DeadlineExceeded', false],
    [400, 'InvalidArgument', false],
    [401, 'Unauthorized', false],
    [403, 'RequestTimeTooSkewed', false],
    [404, 'FlowNotExists', false],
    [400, 'Throttling.User', true],
    // StopExecution's documented "Update conflict, please retry."; no other 409.
    [409, 'ConcurrentUpdateError', true],
    [409, 'FlowAlreadyExists', false],
    [409, 'Conflict', false]
  ])('HTTP %i %s retryable: %s', (status, code, expected) => {
    expect(isRetryable(fnf(status, code))).toBe(expected)
  })

  it.each([
    [429, 'ResourceThrottled', true],
    [400, 'Throttling.User', true],
    [0, 'ECONNREFUSED', true],
    [0, 'UND_ERR_CONNECT_TIMEOUT', true],
    [0, 'EAI_AGAIN', true],
    [0, 'ECONNRESET', false],
    [0, 'UND_ERR_SOCKET', false],
    [0, 'RequestTimeout', false],
    [500, 'InternalServerError', false],
    [503, 'ServiceUnavailable', false],
    [400, 'InvalidArgument', false]
  ])('a request that must not act twice: HTTP %i %s retryable: %s', (status, code, expected) => {
    expect(isRetryableRefusal(status, code)).toBe(expected)
  })

  it('classifies raw Node and undici errors, also when wrapped as a cause', () => {
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' })
    expect(isRetryable(reset)).toBe(true)
    expect(isRetryable(new TypeError('fetch failed', { cause: reset }))).toBe(true)
    expect(isRetryable(Object.assign(new Error('x'), { code: 'UND_ERR_BODY_TIMEOUT' }))).toBe(true)
    expect(isRetryable(new DOMException('aborted', 'AbortError'))).toBe(false)
    expect(isRetryable(new Error('plain'))).toBe(false)
    expect(isRetryable('ECONNRESET')).toBe(false)
  })

  it('backoff is full jitter under an exponential, capped ceiling', () => {
    const opts = { baseMs: 500, capMs: 20_000 }
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, opts, () => 0.999999))).toEqual([
      499, 999, 1999, 3999, 19999
    ])
    expect(backoffDelay(5, opts, () => 0)).toBe(0)
    expect(backoffDelay(1, opts, () => 0.5)).toBe(500)
  })
})
