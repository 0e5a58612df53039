import { describe, expect, it } from '@jest/globals'
import { compactDuration, parseDuration } from '../../src/config/duration.js'

describe('parseDuration', () => {
  it.each([
    ['600', 600_000],
    ['1.5', 1500],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    ['1d', 86_400_000],
    [' 2H ', 7_200_000]
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', 'abc', '10 minutes', '1m1h', '-5', '5x'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })
})

describe('compactDuration', () => {
  it('prints the largest units', () => {
    expect(compactDuration(5_400_000)).toBe('1h30m')
    expect(compactDuration(61_000)).toBe('1m1s')
    expect(compactDuration(0)).toBe('0s')
  })
})
