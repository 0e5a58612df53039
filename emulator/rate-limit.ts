import { performance } from 'node:perf_hooks'
import type { RateLimit } from './types.js'

/**
 * Token buckets per (Action, AccessKeyId), like the service's per-API flow control
 * (fnf-api.md: DescribeExecution 50 tokens, refill 5/s). They run on real time: throttling
 * protects the server, so emulated speed does not change it.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(private readonly limit: RateLimit | null) {}

  /** Takes a token; false when the bucket is empty. */
  take(action: string, accessKeyId: string): boolean {
    if (!this.limit) return true
    const { burst, refillPerSecond } = this.limit
    const now = performance.now()
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
