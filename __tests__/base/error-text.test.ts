/** Text for anything thrown (src/base/error-text.ts), safe to print wherever it goes. */
import { describe, expect, it } from '@jest/globals'
import { errorMessage } from '../../src/base/error-text.js'

describe('errorMessage', () => {
  it('handles non-Error throws', () => {
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
