import { performance } from 'node:perf_hooks'

/**
 * Two clocks. The server clock is real time plus a skew: it is what the Date header says and what
 * request Timestamps are checked against. The emulated clock starts at the server clock and runs
 * `speed` times faster; executions live on it. It is derived from the monotonic clock so that a
 * wall-clock step cannot reorder events.
 */
export class Clock {
  private readonly originPerf = performance.now()
  private readonly originEmulated: number

  constructor(
    readonly speed: number,
    readonly skewMs: number
  ) {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be > 0, got ${speed}`)
    this.originEmulated = Date.now() + skewMs
  }

  /** Real time + skew, epoch ms. */
  server(): number {
    return Date.now() + this.skewMs
  }

  /** Emulated time, epoch ms. */
  now(): number {
    return this.originEmulated + (performance.now() - this.originPerf) * this.speed
  }

  /** Real ms until the emulated clock reads `emulatedAt` (0 if passed). */
  realDelayUntil(emulatedAt: number): number {
    return Math.max(0, (emulatedAt - this.now()) / this.speed)
  }

  /** Real ms that `emulatedMs` of emulated time take. */
  toReal(emulatedMs: number): number {
    return emulatedMs / this.speed
  }
}
