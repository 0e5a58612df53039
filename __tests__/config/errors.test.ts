/** The error a user must fix (src/config/errors.ts): an Error of its own name, message as given. */
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/config/errors.js'

describe('InputError', () => {
  it('is an Error named InputError that keeps the message whole', () => {
    const e = new InputError('Input "timeout" is "soon", which is not a duration.')
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('InputError')
    expect(e.message).toBe('Input "timeout" is "soon", which is not a duration.')
    expect(String(e)).toBe('InputError: Input "timeout" is "soon", which is not a duration.')
  })
})
