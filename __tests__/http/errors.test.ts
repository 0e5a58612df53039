/**
 * What the FnF, STS and GitHub clients share about failures (src/http/errors.ts): the failure
 * line, and the error base that makes wire text safe once.
 */
import { describe, expect, it } from '@jest/globals'
import { describeFailure } from '../../src/http/errors.js'
import { FnfError } from '../../src/fnf/errors.js'

describe('describeFailure', () => {
  it('names the HTTP status and code, the detail and the request id when there are some', () => {
    expect(
      describeFailure({ status: 403, code: 'AccessDenied', detail: 'no', requestId: 'r-1' })
    ).toBe('HTTP 403 AccessDenied: no (request id r-1)')
    expect(describeFailure({ status: 500, code: 'InternalError', detail: '' })).toBe(
      'HTTP 500 InternalError'
    )
  })

  it('gives the network code alone when no HTTP answer came', () => {
    expect(describeFailure({ status: 0, code: 'ECONNRESET', detail: '' })).toBe('ECONNRESET')
  })
})

describe('ServiceError', () => {
  it('makes code, detail and request id from the wire safe once, for every later use', () => {
    const e = new FnfError({
      action: 'DescribeExecution',
      status: 400,
      code: '::stop-commands::x',
      detail: 'line\n::error::injected',
      requestId: '##[error]id',
      retryable: false
    })
    for (const text of [e.message, e.code, e.detail, e.requestId ?? '', e.reason]) {
      for (const line of text.split('\n')) expect(line.trimStart().startsWith('::')).toBe(false)
      expect(text).not.toContain('##[')
    }
    expect(e.reason).toMatch(/^HTTP 400 /)
  })
})
