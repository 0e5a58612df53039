/**
 * What the FnF and STS transports share about failures (src/http/errors.ts): the failure line, and
 * text for anything thrown, made safe once.
 */
import { describe, expect, it } from '@jest/globals'
import { describeFailure, errorMessage } from '../../src/http/errors.js'
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

describe('errorMessage', () => {
  it('errorMessage handles non-Error throws', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom')
    expect(errorMessage('text')).toBe('text')
    expect(errorMessage({ a: 1 })).toBe('{"a":1}')
    expect(errorMessage(undefined)).toBe('undefined')
    const circular: Record<string, unknown> = {}
    circular['self'] = circular
    expect(errorMessage(circular)).toBe('[object Object]')
  })

  it('makes wire text safe: no workflow command survives in a thrown value', () => {
    const text = errorMessage(new Error('::add-mask::x\n::error::y'))
    for (const line of text.split('\n')) expect(line.trimStart().startsWith('::')).toBe(false)
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
