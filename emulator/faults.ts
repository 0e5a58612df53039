import type { Fault } from './types.js'

/** Injected faults, used up in the order they were added by the requests they match. */
export class FaultQueue {
  private readonly pending: { fault: Fault; left: number }[] = []

  add(f: Fault): void {
    const left = f.count ?? 1
    if (!(left >= 1)) throw new Error(`fault count must be >= 1, got ${left}`)
    this.pending.push({ fault: f, left })
  }

  /** The fault for a request with this Action, if any (and counts it as used). */
  take(action: string): Fault | undefined {
    const i = this.pending.findIndex(
      (p) => p.fault.action === undefined || p.fault.action === action
    )
    const entry = this.pending[i]
    if (!entry) return undefined
    if (--entry.left === 0) this.pending.splice(i, 1)
    return entry.fault
  }
}
