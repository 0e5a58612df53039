/** Times of the history (src/history/time.ts): ISO strings to epoch ms, undefined when unreadable. */
import { describe, expect, it } from '@jest/globals'
import { parseTime } from '../../src/history/time.js'

describe('parseTime', () => {
  it('reads the service’s ISO times, with or without milliseconds and offset', () => {
    expect(parseTime('2024-06-24T02:58:42.123Z')).toBe(Date.UTC(2024, 5, 24, 2, 58, 42, 123))
    expect(parseTime('2024-06-24T10:58:42+08:00')).toBe(Date.UTC(2024, 5, 24, 2, 58, 42))
  })

  it('is undefined for a missing, empty or unreadable time, never NaN', () => {
    for (const time of [undefined, '', 'soon', '2024-13-45T99:00:00Z'])
      expect(parseTime(time)).toBeUndefined()
  })
})
