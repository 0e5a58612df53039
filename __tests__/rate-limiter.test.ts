import { describe, expect, it } from '@jest/globals'
import { RateLimiter } from '../src/fnf/rate-limiter.js'

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

  it('keeps a bucket per action', async () => {
    const limiter = new RateLimiter({ default: { burst: 1, refillPerSecond: 0.001 } })
    await limiter.acquire('StartExecution')
    // Another action still has its own token.
    await limiter.acquire('StopExecution')
    const controller = new AbortController()
    let served = false
    const pending = limiter.acquire('StartExecution', controller.signal).then(() => (served = true))
    await flush()
    expect(served).toBe(false)
    expect(limiter.waiting('StartExecution')).toBe(1)
    controller.abort(new Error('done'))
    await expect(pending).rejects.toThrow('done')
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

  it('never serves more than burst + rate × time', async () => {
    const limiter = new RateLimiter({ default: { burst: 5, refillPerSecond: 50 } })
    const started = Date.now()
    let served = 0
    await Promise.all(Array.from({ length: 20 }, () => limiter.acquire('X').then(() => served++)))
    const elapsed = (Date.now() - started) / 1000
    expect(served).toBe(20)
    // 15 beyond the burst at 50/s cannot all have come in less than 0.3 s.
    expect(elapsed).toBeGreaterThanOrEqual(0.29)
  })
})
