import { isTerminal } from '../../src/fnf/types.js'
import { describe, expect, it } from '@jest/globals'

describe('isTerminal', () => {
  it('treats Starting and Running as not terminal', () => {
    expect(isTerminal('Starting')).toBe(false)
    expect(isTerminal('Running')).toBe(false)
    expect(isTerminal('Failed')).toBe(true)
  })
})
