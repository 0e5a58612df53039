import type { Fault, FaultKind } from './types.js'

/** Injected faults, used up in the order they were added by the requests they match. */
export class FaultQueue {
  private readonly pending: { kind: FaultKind; action?: string | undefined; left: number }[] = []

  add(f: Fault): void {
    const left = f.count ?? 1
    if (!(left >= 1)) throw new Error(`fault count must be >= 1, got ${left}`)
    this.pending.push({ kind: f.kind, action: f.action, left })
  }

  /** The fault for a request with this Action, if any (and counts it as used). */
  take(action: string): FaultKind | undefined {
    const i = this.pending.findIndex((f) => f.action === undefined || f.action === action)
    const fault = this.pending[i]
    if (!fault) return undefined
    if (--fault.left === 0) this.pending.splice(i, 1)
    return fault.kind
  }
}
