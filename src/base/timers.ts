/**
 * Timers for delays derived from input. Node's timers hold a signed 32-bit millisecond count: a
 * longer delay (about 24.8 days and up) is silently run after 1 ms, so a far deadline would fire
 * at once. Every delay that can come from `timeout` or a deadline goes through here, unless it is
 * capped far below that first (the wait loop's and the sweeps' pauses, at most a minute).
 */

/** The longest delay setTimeout honours: 2^31 - 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1

/** A timer that can be cleared; `unref` lets the process exit while it is pending. */
export interface LongTimer {
  clear(): void
}

/**
 * Runs `fn` after `ms` (clamped to 0 … ∞), chaining timers of at most MAX_TIMER_MS so any
 * finite delay is honoured. An infinite or NaN delay never fires.
 */
export function setLongTimeout(
  fn: () => void,
  ms: number,
  options: { unref?: boolean } = {}
): LongTimer {
  let timer: ReturnType<typeof setTimeout> | undefined
  const arm = (left: number): void => {
    if (!(left < Number.POSITIVE_INFINITY)) return
    const step = Math.min(Math.max(0, left), MAX_TIMER_MS)
    timer = setTimeout(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : fn()), step)
    if (options.unref) timer.unref?.()
  }
  arm(Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms)
  return { clear: () => clearTimeout(timer) }
}

/** A delay for a single setTimeout: never past MAX_TIMER_MS (which would fire at once instead). */
export function timerDelay(ms: number): number {
  return Math.min(Math.max(0, Number.isNaN(ms) ? 0 : ms), MAX_TIMER_MS)
}
