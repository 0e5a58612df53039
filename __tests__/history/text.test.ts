/**
 * Text helpers of the history (src/history/text.ts): cutting and cleaning text from events.
 */
import { describe, expect, it } from '@jest/globals'
import { cleanControl, truncate, TRUNCATED_END } from '../../src/history/text.js'

describe('text helpers', () => {
  it('truncate never splits a surrogate pair', () => {
    const s = 'ab😀cd'
    expect(truncate(s, 3).startsWith('ab…')).toBe(true)
    expect(truncate(s, 4).startsWith('ab😀…')).toBe(true)
    expect(truncate('short', 10)).toBe('short')
  })

  it('TRUNCATED_END finds the end truncate gives a cut text, and only that', () => {
    const cut = truncate('x'.repeat(5000), 10)
    expect(cut).toMatch(TRUNCATED_END)
    expect(cut.replace(TRUNCATED_END, '')).toBe('x'.repeat(10))
    expect(truncate('short', 10)).not.toMatch(TRUNCATED_END)
  })

  it('cleanControl drops control characters and normalises newlines', () => {
    expect(cleanControl('a\r\nb\rc\u0000d\u001be\tf')).toBe('a\nb\ncde\tf')
  })
})
