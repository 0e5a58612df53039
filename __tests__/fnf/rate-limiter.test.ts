import { describe, expect, it } from '@jest/globals'
import {
  DEFAULT_BUCKETS,
  RateLimitDeadlineError,
  RateLimiter,
  RESERVE,
  SERVICE_BUCKETS
} from '../../src/fnf/rate-limiter.js'

const flush = () => new Promise((r) => setImmediate(r))

describe('RateLimiter', () => {
  it('lets the burst through at once, then queues in arrival order', async () => {
    let clock = 0
    const limiter = new RateLimiter({ default: { burst: 3, refillPerSecond: 1000 } }, () => clock)
    const served: number[] = []
    const all = Array.from({ length: 6 }, (_, i) =>
      limiter.acquire('DescribeExecution').then(() => served.push(i))
    )
    await flush()
    expect(served).toEqual([0, 1, 2])
    expect(limiter.waiting('DescribeExecution')).toBe(3)
    clock += 10 // refills 10 tokens' worth; the timer hands them out in order
    await Promise.all(all)
    expect(served).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('keeps a bucket per named action; the others share the default one, as the service does', async () => {
    const slow = { burst: 1, refillPerSecond: 0.001 }
    const limiter = new RateLimiter({ StartExecution: slow, default: slow })
    await limiter.acquire('StartExecution')
    // Another action still has its own token.
    await limiter.acquire('StopExecution')
    const controller = new AbortController()
    let served = false
    const pending = limiter.acquire('StartExecution', controller.signal).then(() => (served = true))
    // StopExecution took the shared bucket's token: ListExecutions waits for it too.
    const listing = limiter.acquire('ListExecutions', controller.signal)
    await flush()
    expect(served).toBe(false)
    expect(limiter.waiting('StartExecution')).toBe(1)
    expect(limiter.waiting('ListExecutions')).toBe(1)
    expect(limiter.waiting('DescribeFlow')).toBe(1)
    controller.abort(new Error('done'))
    await expect(pending).rejects.toThrow('done')
    await expect(listing).rejects.toThrow('done')
  })

  it('leaves at least 20 % of every service bucket, burst and refill, to the rest of the account', async () => {
    expect(RESERVE).toBeGreaterThanOrEqual(0.2)
    for (const action of [
      'StartExecution',
      'DescribeExecution',
      'GetExecutionHistory',
      'ListExecutions',
      'StopExecution',
      'DescribeFlow'
    ]) {
      const service = SERVICE_BUCKETS[action] ?? SERVICE_BUCKETS.default!
      let clock = 0
      const limiter = new RateLimiter(DEFAULT_BUCKETS, () => clock)
      let served = 0
      const wanted = service.burst * 3
      const all = Array.from({ length: wanted }, () => limiter.acquire(action).then(() => served++))
      await flush()
      // At once: at most 80 % of the service's burst.
      expect(served).toBeLessThanOrEqual(service.burst * 0.8)
      expect(served).toBeGreaterThan(0)
      const burst = served
      // Over the next 10 s: at most 80 % of the service's refill.
      for (let t = 0; t < 100 && served < wanted; t++) {
        clock += 100
        await new Promise((r) => setTimeout(r, 1))
      }
      const refilled = Math.min(served, wanted) - burst
      if (served < wanted)
        expect(refilled).toBeLessThanOrEqual(service.refillPerSecond * 0.8 * 10 + 1)
      // Let the rest drain so no timer is left behind.
      while (served < wanted) {
        clock += 1000
        await new Promise((r) => setTimeout(r, 1))
      }
      await Promise.all(all)
    }
  })

  it('drops a waiter whose signal aborts', async () => {
    const limiter = new RateLimiter({ default: { burst: 1, refillPerSecond: 0.001 } })
    await limiter.acquire('X')
    const controller = new AbortController()
    const waiting = limiter.acquire('X', controller.signal)
    controller.abort(new Error('cancelled'))
    await expect(waiting).rejects.toThrow('cancelled')
    expect(limiter.waiting('X')).toBe(0)
  })

  it('never serves more than the burst plus the rate times the time passed', async () => {
    let clock = 0
    const limiter = new RateLimiter({ default: { burst: 5, refillPerSecond: 1000 } }, () => clock)
    let served = 0
    const all = Array.from({ length: 20 }, () => limiter.acquire('X').then(() => served++))
    const settle = () => new Promise((r) => setTimeout(r, 20))
    await settle()
    expect(served).toBe(5)
    clock += 5 // five tokens' worth
    await settle()
    expect(served).toBe(10)
    // Time passing at once refills at most a burst: 100 ms later, 5 more, not 100.
    clock += 100
    await settle()
    expect(served).toBe(15)
    clock += 5
    await Promise.all(all)
    expect(served).toBe(20)
  })
})

describe('RateLimiter and deadlines', () => {
  it('turns away a request whose turn would come after its deadline', async () => {
    const limiter = new RateLimiter({ default: { burst: 1, refillPerSecond: 0.001 } })
    await limiter.acquire('StopExecution')
    await expect(
      limiter.acquire('StopExecution', undefined, Date.now() + 30)
    ).rejects.toBeInstanceOf(RateLimitDeadlineError)
    expect(limiter.waiting('StopExecution')).toBe(0)
  })

  it('spendReserve: a cancel takes the whole bucket at once, and its whole refill from then on', async () => {
    let clock = 0
    const limiter = new RateLimiter(DEFAULT_BUCKETS, () => clock)
    let served = 0
    const all = Array.from({ length: 11 }, () =>
      limiter.acquire('StopExecution').then(() => served++)
    )
    await flush()
    expect(served).toBe(8) // the 80 % the wait keeps to
    limiter.spendReserve()
    await flush()
    expect(served).toBe(10) // the 2 tokens the reserve kept, at once
    // Half a second of the service's 2/s refill is a whole token (at 80 % it would not be).
    clock += 500
    // The bucket's refill timer runs on real time; the fake clock decides how much it refilled.
    for (let i = 0; i < 300 && served < 11; i++) await new Promise((r) => setTimeout(r, 10))
    expect(served).toBe(11)
    await Promise.all(all)
  })

  it('startEmpty: the post step assumes the service bucket spent until it refills', async () => {
    let clock = 0
    const limiter = new RateLimiter(SERVICE_BUCKETS, () => clock)
    limiter.startEmpty('StopExecution')
    let served = 0
    const one = limiter.acquire('StopExecution').then(() => served++)
    await flush()
    expect(served).toBe(0)
    clock += 500
    for (let i = 0; i < 300 && served < 1; i++) await new Promise((r) => setTimeout(r, 10))
    expect(served).toBe(1)
    await one
  })
})
