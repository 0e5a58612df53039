/**
 * FnF errors (src/fnf/errors.ts): the message of a failed call, and the hint for the codes a user
 * must fix.
 */
import { describe, expect, it } from '@jest/globals'
import { FnfError, hintFor } from '../../src/fnf/errors.js'

describe('error helpers', () => {
  it('hintFor has nothing to say about codes it does not know', () => {
    expect(hintFor('InvalidArgument', { action: 'DescribeExecution' })).toBeUndefined()
  })

  it('formats the message without request id or hint when there are none', () => {
    const e = new FnfError({
      action: 'DescribeFlow',
      status: 500,
      code: 'InternalServerError',
      detail: '',
      retryable: true
    })
    expect(e.message).toBe('DescribeFlow failed: HTTP 500 InternalServerError')
    expect(e.name).toBe('FnfError')
    expect(e).toBeInstanceOf(Error)
  })
})
