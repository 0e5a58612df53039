/** Names from definitions and listings as they appear in a reason the step may log. */
import { describe, expect, it } from '@jest/globals'
import { quote, quoteSome } from '../../src/definition/text.js'

describe('quote', () => {
  it('JSON-quotes a name, escaping control characters', () => {
    expect(quote('build')).toBe('"build"')
    expect(quote('a\nb\u0007')).toBe('"a\\nb\\u0007"')
  })

  it('never lets a name form a workflow command', () => {
    expect(quote('##[error]x')).not.toContain('##[error]')
    expect(quote('::add-mask::x').startsWith('"::')).toBe(true)
  })

  it('bounds a long name', () => {
    expect(quote('x'.repeat(10_000)).length).toBeLessThanOrEqual(260)
  })
})

describe('quoteSome', () => {
  it('lists up to three names, then how many more', () => {
    expect(quoteSome(['a', 'b'])).toBe('"a", "b"')
    expect(quoteSome(['a', 'b', 'c', 'd', 'e'])).toBe('"a", "b", "c" and 2 more')
    expect(quoteSome(['a', 'b', 'c'], 1)).toBe('"a" and 2 more')
  })
})
