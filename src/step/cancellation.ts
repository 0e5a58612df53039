/**
 * Turns the runner's cancel signals into an AbortSignal. On cancel the runner sends SIGINT, then
 * SIGTERM 7.5 s later, then kills the process tree 2.5 s after that: the first signal aborts the
 * wait so the action can stop the execution in that window; the second must not cut that short.
 */
import { seconds } from './deadline.js'

/**
 * What the action may spend after the first signal (stops, the PR comment): inside the runner's
 * 7.5 s before SIGTERM, with room to exit. Each request on that path gets what is left of it.
 */
export const CANCEL_BUDGET_MS = 6000

export class Cancellation {
  private readonly controller = new AbortController()
  private received: NodeJS.Signals | undefined
  private receivedAt: number | undefined
  private readonly handlers = new Map<NodeJS.Signals, () => void>()

  constructor(
    private readonly proc: Pick<NodeJS.Process, 'on' | 'off'> = process,
    private readonly log: (line: string) => void = () => {}
  ) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const handler = (): void => this.onSignal(signal)
      this.handlers.set(signal, handler)
      proc.on(signal, handler)
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** The first signal received, if any. */
  get reason(): NodeJS.Signals | undefined {
    return this.received
  }

  /** What is left of `budgetMs` counted from the first signal (never below 0); `budgetMs` before one. */
  remaining(budgetMs: number, now = Date.now()): number {
    return this.receivedAt === undefined ? budgetMs : Math.max(0, this.receivedAt + budgetMs - now)
  }

  /**
   * Aborts `budgetMs` after the first signal (at once when that is already past), whenever the
   * signal comes: work that began before a cancel (the PR comment) still ends inside the window.
   */
  window(budgetMs: number): AbortSignal {
    const controller = new AbortController()
    const arm = (): void => {
      const timer = setTimeout(
        () =>
          controller.abort(
            new Error(`no answer within ${seconds(budgetMs)} (the job is being cancelled)`)
          ),
        this.remaining(budgetMs)
      )
      timer.unref?.()
    }
    if (this.receivedAt !== undefined) arm()
    else this.signal.addEventListener('abort', arm, { once: true })
    return controller.signal
  }

  dispose(): void {
    for (const [signal, handler] of this.handlers) this.proc.off(signal, handler)
    this.handlers.clear()
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (this.received) {
      this.log(`Received ${signal} while handling ${this.received}; finishing the cleanup.`)
      return
    }
    this.received = signal
    this.receivedAt = Date.now()
    this.log(`Received ${signal}: the job is being cancelled.`)
    this.controller.abort(new CancelledError(signal))
  }
}

export class CancelledError extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`The job was cancelled (${signal}).`)
    this.name = 'CancelledError'
  }
}
