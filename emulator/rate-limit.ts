import { performance } from 'node:perf_hooks'
import type { RateLimit, RateLimits } from './types.js'

/**
 * The service's documented flow control, per API and account (fnf-api.md §9,
 * help.aliyun.com/en/document_detail/122093.html). `*` is every API not named.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimit>> = Object.freeze({
  StartExecution: { burst: 100, refillPerSecond: 100 },
  DescribeExecution: { burst: 50, refillPerSecond: 5 },
  GetExecutionHistory: { burst: 50, refillPerSecond: 5 },
  '*': { burst: 10, refillPerSecond: 2 }
})

/**
 * Token buckets per (Action, AccessKeyId), like the service's per-API flow control. They run on
 * real time: throttling protects the server, so emulated speed does not change it.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly limits: Readonly<Record<string, RateLimit | null>> | null

  /**
   * `overrides` replace the documented buckets of the Actions they name (`*`: the rest); null =
   * off. `now` (ms, monotonic) is for unit tests.
   */
  constructor(
    overrides: RateLimits | null = {},
    private readonly now: () => number = () => performance.now()
  ) {
    this.limits = overrides === null ? null : { ...DEFAULT_RATE_LIMITS, ...overrides }
  }

  /** The bucket an Action draws on; null when it is not throttled. */
  limitFor(action: string): RateLimit | null {
    if (!this.limits) return null
    const own = this.limits[action]
    return own !== undefined ? own : (this.limits['*'] ?? null)
  }

  /** Takes a token; false when the bucket is empty. */
  take(action: string, accessKeyId: string): boolean {
    const limit = this.limitFor(action)
    if (!limit) return true
    const { burst, refillPerSecond } = limit
    const now = this.now()
    const key = `${action}\n${accessKeyId}`
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * refillPerSecond)
    bucket.at = now
    this.buckets.set(key, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }
}
