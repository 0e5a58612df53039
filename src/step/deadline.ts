/**
 * When our own wait gives up: one value made once from the `timeout` input (or the post step's
 * budget) and passed down. The FnF client takes its epoch time (`at`); whoever calls it asks the
 * value, not the clock, whether the deadline has passed.
 */
import { DEADLINE_EXCEEDED } from '../fnf/errors.js'

/** How long past the deadline the last read of a status may retry a transient error. */
export const LAST_LOOK_GRACE_MS = 10_000

export class Deadline {
  constructor(
    /** Epoch ms. */
    readonly at: number,
    /** The clock it is read against (tests pass a fake one). */
    readonly now: () => number = Date.now
  ) {}

  static after(ms: number, now: () => number = Date.now): Deadline {
    return new Deadline(now() + ms, now)
  }

  remaining(): number {
    return Math.max(0, this.at - this.now())
  }

  passed(): boolean {
    return this.now() >= this.at
  }

  /**
   * The deadline for a request that may run `graceMs` past this one: the last look at a status,
   * which decides the outcome, still gets a few retries when it starts near the end.
   */
  orGrace(graceMs: number): number {
    return Math.max(this.at, this.now() + graceMs)
  }
}

/**
 * A budget as a message says it, to a tenth of a second (`0.5s`, `6s`): budgets here are shares
 * of a time left counted in milliseconds, often under a second.
 */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`
}

/** What `beforeDeadline` gives when the client would not send the request in time. */
export const PASSED = Symbol('deadline passed')

/**
 * The one place that reads the client's "not sent: the deadline had passed, or would have before
 * its turn under the rate limit" error. It is our own timeout, not a failure: it comes back as a
 * value, and every other error as it was.
 */
export async function beforeDeadline<T>(request: Promise<T>): Promise<T | typeof PASSED> {
  try {
    return await request
  } catch (error) {
    if ((error as { code?: unknown } | undefined)?.code === DEADLINE_EXCEEDED) return PASSED
    throw error
  }
}
