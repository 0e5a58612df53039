/**
 * Client-side token buckets, one per API action, so a step that polls many executions stays under
 * the service's throttling limit instead of meeting it as 429s. Waiters are served first come,
 * first served, so every execution's poll gets its turn.
 */
import { setLongTimeout, type LongTimer } from '../base/timers.js'

export interface Bucket {
  burst: number
  refillPerSecond: number
}

/**
 * The service's buckets, per account (help.aliyun.com/en/document_detail/2849627.html, fnf-api.md
 * §9): StartExecution 100 refilled 100/s; DescribeExecution and GetExecutionHistory 50 refilled
 * 5/s; every other API (ListExecutions, StopExecution, DescribeFlow, …) one shared bucket of 10
 * refilled 2/s.
 */
export const SERVICE_BUCKETS: Readonly<Record<string, Bucket>> = {
  StartExecution: { burst: 100, refillPerSecond: 100 },
  DescribeExecution: { burst: 50, refillPerSecond: 5 },
  GetExecutionHistory: { burst: 50, refillPerSecond: 5 },
  default: { burst: 10, refillPerSecond: 2 }
}

/** The share of every bucket, burst and refill, that we leave to the rest of the account. */
export const RESERVE = 0.2

/** What this step may use: the service's buckets less the reserve. */
export const DEFAULT_BUCKETS: Readonly<Record<string, Bucket>> = Object.fromEntries(
  Object.entries(SERVICE_BUCKETS).map(([action, b]) => [
    action,
    {
      burst: Math.floor(b.burst * (1 - RESERVE)),
      refillPerSecond: b.refillPerSecond * (1 - RESERVE)
    }
  ])
)

interface Waiter {
  resolve: () => void
  reject: (reason: unknown) => void
  signal?: AbortSignal
  onAbort?: () => void
  expiry?: LongTimer
}

/** A request that would have had to wait for its turn past the caller's deadline. */
export class RateLimitDeadlineError extends Error {
  constructor(readonly action: string) {
    super(`${action}: no turn under the rate limit before the deadline`)
    this.name = 'RateLimitDeadlineError'
  }
}

class TokenBucket {
  private tokens: number
  private updatedAt: number
  private readonly queue: Waiter[] = []
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private spec: Bucket,
    private readonly now: () => number
  ) {
    this.tokens = spec.burst
    this.updatedAt = now()
  }

  acquire(signal?: AbortSignal, deadline?: number, onLate?: () => unknown): Promise<void> {
    signal?.throwIfAborted()
    this.refill()
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, ...(signal ? { signal } : {}) }
      const leave = (reason: unknown): void => {
        const at = this.queue.indexOf(waiter)
        if (at >= 0) this.queue.splice(at, 1)
        this.release(waiter)
        // Nobody left to serve: a pending refill timer would only hold the process open.
        if (this.queue.length === 0 && this.timer !== undefined) {
          clearTimeout(this.timer)
          this.timer = undefined
        }
        reject(reason)
      }
      if (signal) {
        waiter.onAbort = () => leave(signal.reason)
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      if (deadline !== undefined) {
        // A far deadline (a long `timeout`) must not overflow the timer and expire at once.
        waiter.expiry = setLongTimeout(() => leave(onLate?.()), deadline - this.now())
      }
      this.queue.push(waiter)
      this.schedule()
    })
  }

  /**
   * Takes on a larger spec at once: the tokens it adds to the burst are there now (the share it
   * kept free was never spent), and the refill is the new one from here on.
   */
  widen(spec: Bucket): void {
    this.refill()
    this.tokens = Math.min(spec.burst, this.tokens + Math.max(0, spec.burst - this.spec.burst))
    this.spec = spec
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    this.schedule()
  }

  /** No token left: what the service's bucket may look like after another process spent it. */
  drain(): void {
    this.refill()
    this.tokens = 0
  }

  private release(waiter: Waiter): void {
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort)
    waiter.expiry?.clear()
  }

  get waiting(): number {
    return this.queue.length
  }

  private refill(): void {
    const now = this.now()
    const elapsed = Math.max(0, now - this.updatedAt) / 1000
    this.tokens = Math.min(this.spec.burst, this.tokens + elapsed * this.spec.refillPerSecond)
    this.updatedAt = now
  }

  private schedule(): void {
    if (this.timer !== undefined) return
    this.refill()
    while (this.queue.length > 0 && this.tokens >= 1) {
      this.tokens -= 1
      const waiter = this.queue.shift()!
      this.release(waiter)
      waiter.resolve()
    }
    if (this.queue.length === 0) return
    const wait = Math.ceil(((1 - this.tokens) / this.spec.refillPerSecond) * 1000)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.schedule()
    }, wait)
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>()
  /** Set by spendReserve: the specs every bucket has from then on. */
  private wholeSpecs: Readonly<Record<string, Bucket>> | undefined

  constructor(
    private readonly specs: Readonly<Record<string, Bucket>> = DEFAULT_BUCKETS,
    private readonly now: () => number = Date.now
  ) {}

  /**
   * Resolves when a request for `action` may be sent; rejects if `signal` aborts first, or with
   * RateLimitDeadlineError when its turn would come after `deadline` (epoch ms).
   */
  acquire(action: string, signal?: AbortSignal, deadline?: number): Promise<void> {
    return this.bucket(action).acquire(signal, deadline, () => new RateLimitDeadlineError(action))
  }

  /**
   * From now on every bucket is the service's whole one (`whole`, default SERVICE_BUCKETS): the
   * reserve is for the rest of the account while the step waits, and a cancel's stops must fit the
   * runner's window. Waiters already queued are served at the new rate.
   */
  spendReserve(whole: Readonly<Record<string, Bucket>> = SERVICE_BUCKETS): void {
    this.wholeSpecs = whole
    for (const [key, bucket] of this.buckets) {
      const spec = whole[key] ?? whole.default
      if (spec) bucket.widen(spec)
    }
  }

  /**
   * Starts `action`'s bucket with no token: the post step cannot know what the main step, a
   * process before it, left of the service's bucket.
   */
  startEmpty(action: string): void {
    this.bucket(action).drain()
  }

  /** Requests queued behind the limit, for progress logs. */
  waiting(action: string): number {
    return this.buckets.get(this.specs[action] ? action : 'default')?.waiting ?? 0
  }

  /** An action without its own spec draws on the one `default` bucket, as the service's do. */
  private bucket(action: string): TokenBucket {
    const key = this.specs[action] ? action : 'default'
    let bucket = this.buckets.get(key)
    if (!bucket) {
      const specs = this.wholeSpecs ?? this.specs
      const spec = specs[key] ?? specs.default ?? DEFAULT_BUCKETS.default!
      bucket = new TokenBucket(spec, this.now)
      this.buckets.set(key, bucket)
    }
    return bucket
  }
}
