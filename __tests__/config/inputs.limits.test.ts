/**
 * The limits of the inputs (src/config/inputs.ts) that once passed validation and then broke: each
 * class is tried with several hostile values. Pure parts only; what the step does about the starts
 * and the state is in main.start.test.ts.
 */
import { describe, expect, it } from '@jest/globals'
import { MAX_TIMEOUT_MS, parseConfig } from '../../src/config/inputs.js'
import { RateLimiter } from '../../src/fnf/rate-limiter.js'
import { MAX_TIMER_MS } from '../../src/base/timers.js'
import { BASE_INPUTS, inputErrorOf } from '../support/config.js'

const base = BASE_INPUTS
const errorOf = inputErrorOf

/** Resolves after timers due within `ms` have run: a timer that overflowed fires after 1 ms. */
const after = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('timeout: bounded at 35 days, every timer in range', () => {
  const tooLong = ['36d', '840h1s', '3024001', '99999999999', '50000d']
  it.each(tooLong)('rejects %s, naming the input and the limit', (timeout) => {
    expect(errorOf({ ...base, timeout })).toMatch(/^Input "timeout" is ".*", longer than 35d/)
  })
  it('accepts exactly 35 days and 25 days (past the 2^31 ms timer limit)', () => {
    for (const timeout of ['35d', '25d', '840h']) {
      const config = parseConfig((name) => ({ ...base, timeout })[name] ?? '', {})
      expect(config.timeoutMs).toBeLessThanOrEqual(MAX_TIMEOUT_MS)
    }
    expect(MAX_TIMEOUT_MS).toBeGreaterThan(MAX_TIMER_MS)
  })

  it('a rate-limit wait with a deadline 25 to 35 days away does not expire at once', async () => {
    for (const days of [25, 30, 35]) {
      const limiter = new RateLimiter({ default: { burst: 1, refillPerSecond: 0.0001 } })
      await limiter.acquire('DescribeExecution')
      let settled = ''
      const controller = new AbortController()
      const pending = limiter
        .acquire('DescribeExecution', controller.signal, Date.now() + days * 86_400_000)
        .then(
          () => (settled = 'served'),
          (e: Error) => (settled = e.name)
        )
      await after(20)
      // Before the fix the expiry timer overflowed and ran after 1 ms: "no turn before the deadline".
      expect(settled).toBe('')
      controller.abort(new Error('done'))
      await pending
    }
  })
})

describe('fail-on: a list of separators is no list', () => {
  it.each([' , ,', ',', '\n,\n', ' ,\t, '])('rejects %j, naming the input', (failOn) => {
    expect(errorOf({ ...base, 'fail-on': failOn })).toMatch(
      /^Input "fail-on" is ".*", which names no status: list at least one of/
    )
  })
  it('an empty input still means the default', () => {
    const config = parseConfig((name) => ({ ...base, 'fail-on': '  ' })[name] ?? '', {})
    expect([...config.failOn]).toEqual(['Failed', 'TimedOut', 'Stopped'])
  })
})

describe('region from the environment: the error names the variable read', () => {
  it.each([
    ['ALIBABA_CLOUD_REGION_ID', 'cn hangzhou'],
    ['ALIBABACLOUD_REGION_ID', 'https://cn-hangzhou.fnf.aliyuncs.com'],
    ['ALICLOUD_REGION_ID', 'CN-HANGZHOU']
  ])('%s=%j', (variable, value) => {
    const message = errorOf({ ...base, region: '' }, { [variable]: value })
    expect(message).toMatch(new RegExp(`^Environment variable ${variable} is "`))
    expect(message).not.toMatch(/Input "region"/)
  })
  it('a bad region input is still reported as the input', () => {
    expect(errorOf({ ...base, region: 'nowhere' })).toMatch(/^Input "region" is "nowhere"/)
  })
})
