/**
 * Timers for delays that come from input (src/base/timers.ts): Node runs a delay past 2^31 - 1 ms
 * after 1 ms, so long ones are chained and single ones clamped.
 */
import { describe, expect, it } from '@jest/globals'
import { MAX_TIMER_MS, setLongTimeout, timerDelay } from '../../src/base/timers.js'

/** Resolves after timers due within `ms` have run: a timer that overflowed fires after 1 ms. */
const after = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('setLongTimeout and timerDelay', () => {
  it('setLongTimeout honours delays past 2^31 ms, and short ones as usual', async () => {
    const fired: string[] = []
    const long = [MAX_TIMER_MS + 1, 3e9, 35 * 86_400_000, Number.NaN, Infinity].map((ms) =>
      setLongTimeout(() => fired.push(String(ms)), ms)
    )
    setLongTimeout(() => fired.push('short'), 1)
    await after(20)
    expect(fired).toEqual(['short'])
    for (const t of long) t.clear()
    expect([timerDelay(3e9), timerDelay(-5), timerDelay(Number.NaN)]).toEqual([MAX_TIMER_MS, 0, 0])
  })

  it('clear() stops a chained timer, and unref leaves the process free to exit', async () => {
    const fired: string[] = []
    const timer = setLongTimeout(() => fired.push('cleared'), 5, { unref: true })
    timer.clear()
    setLongTimeout(() => fired.push('kept'), 5, { unref: true })
    await after(30)
    expect(fired).toEqual(['kept'])
    expect(timerDelay(MAX_TIMER_MS + 1)).toBe(MAX_TIMER_MS)
    expect(timerDelay(1234)).toBe(1234)
  })
})
