/**
 * Turns the runner's cancel signals into an AbortSignal. On cancel the runner sends SIGINT, then
 * SIGTERM 7.5 s later, then kills the process tree 2.5 s after that: the first signal aborts the
 * wait so the action can stop the execution in that window; the second must not cut that short.
 */
export class Cancellation {
  private readonly controller = new AbortController()
  private received: NodeJS.Signals | undefined
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
