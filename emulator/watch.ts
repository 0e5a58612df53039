import type { RecordedRequest } from './types.js'

interface Waiter {
  predicate: (r: RecordedRequest) => boolean
  remaining: number
  matched: Set<RecordedRequest>
  resolve: (r: RecordedRequest) => void
}

/**
 * Lets a test await a request as an event ("the 2nd DescribeExecution of e-1 is being held"). The
 * server calls `changed` whenever a recorded request gains its parameters, starts or stops being
 * held as a long poll, or is answered; each waiter counts the distinct requests that matched.
 */
export class RequestWatch {
  private readonly waiters = new Set<Waiter>()

  constructor(private readonly requests: readonly RecordedRequest[]) {}

  waitFor(predicate: (r: RecordedRequest) => boolean, nth = 1): Promise<RecordedRequest> {
    if (!Number.isInteger(nth) || nth < 1)
      throw new Error(`nth must be a positive integer, got ${nth}`)
    return new Promise((resolve) => {
      const waiter: Waiter = { predicate, remaining: nth, matched: new Set(), resolve }
      this.waiters.add(waiter)
      for (const r of this.requests) if (this.offer(waiter, r)) return
    })
  }

  changed(r: RecordedRequest): void {
    for (const waiter of [...this.waiters]) this.offer(waiter, r)
  }

  /** True when the waiter is done. */
  private offer(waiter: Waiter, r: RecordedRequest): boolean {
    if (waiter.matched.has(r) || !waiter.predicate(r)) return false
    waiter.matched.add(r)
    if (--waiter.remaining > 0) return false
    this.waiters.delete(waiter)
    waiter.resolve(r)
    return true
  }
}
