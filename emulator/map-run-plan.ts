import type { EndStatus } from './timeline.js'

/**
 * When each item of a MapRun starts and ends, and how the MapRun ends: a pure function of what is
 * known now. Items start in index order, each as soon as a slot is free (and the test has admitted
 * it); the ends of one moment are counted together, then the tolerance is checked. Everything the
 * test does happens "now", so planning again from scratch never changes the past.
 */

export type MapRunEnd = 'Succeeded' | 'Failed' | 'Aborted'

export interface PlanInput {
  /** Emulated ms the first children start. */
  startAt: number
  total: number
  concurrency: number
  toleratedCount: number | undefined
  toleratedPercentage: number | undefined
  failFast: boolean
  /** The parent ended (stopped, released, timed out) at this moment: Infinity if it has not. */
  abortAt: number
  /** The earliest moment item `index` may start (the test admits held items); -Infinity if free. */
  admitAt(index: number): number
  /** How item `index` ends if it starts at `t` (`at` Infinity: held until the test ends it). */
  endOf(index: number, t: number): { at: number; status: EndStatus }
}

export interface Plan {
  /** Per item: start (Infinity: never, as far as is known), natural end, and how it ends. */
  start: Float64Array
  end: Float64Array
  status: EndStatus[]
  /** How and when the MapRun ends; undefined while that depends on something the test decides. */
  outcome?: { at: number; status: MapRunEnd }
}

/** Failed, timed-out and stopped children all count against the tolerance (emulator choice). */
export function isFailure(status: EndStatus | undefined): boolean {
  return status === 'Failed' || status === 'TimedOut' || status === 'Stopped'
}

export function exceedsTolerance(
  failed: number,
  total: number,
  count: number | undefined,
  percentage: number | undefined
): boolean {
  // Neither set: nothing is tolerated. Both set: exceeding either fails the MapRun.
  if (count === undefined && percentage === undefined) return failed > 0
  if (count !== undefined && failed > count) return true
  return percentage !== undefined && failed * 100 > percentage * total
}

export function planMapRun(p: PlanInput): Plan {
  const n = p.total
  const start = new Float64Array(n).fill(Infinity)
  const end = new Float64Array(n).fill(Infinity)
  const status = new Array<EndStatus>(n)
  const running = new EndHeap(end)
  let next = 0
  let free = Math.max(1, p.concurrency)
  let done = 0
  let failed = 0
  let last = p.startAt

  const launch = (t: number): void => {
    while (free > 0 && next < n) {
      const at = Math.max(t, p.admitAt(next))
      // Not admitted yet, or the MapRun is aborted by then: nothing more starts.
      if (at === Infinity || at >= p.abortAt) return
      const i = next++
      free--
      const ends = p.endOf(i, at)
      start[i] = at
      end[i] = ends.at
      status[i] = ends.status
      running.push(i)
    }
  }
  const finish = (at: number, outcome: MapRunEnd): Plan => {
    // Items planned to start after the MapRun ended never start.
    for (let i = 0; i < n; i++) if ((start[i] ?? Infinity) > at) start[i] = Infinity
    return { start, end, status, outcome: { at, status: outcome } }
  }

  if (p.abortAt < p.startAt) return finish(p.abortAt, 'Aborted')
  launch(p.startAt)
  for (;;) {
    if (done === n) {
      const over = exceedsTolerance(failed, n, p.toleratedCount, p.toleratedPercentage)
      return finish(last, over ? 'Failed' : 'Succeeded')
    }
    const t = running.peekEnd()
    if (t > p.abortAt) return finish(p.abortAt, 'Aborted')
    if (t === Infinity) return { start, end, status }
    let freed = 0
    while (running.size > 0 && running.peekEnd() === t) {
      const i = running.pop()
      done++
      freed++
      if (isFailure(status[i])) failed++
    }
    last = t
    if (p.failFast && exceedsTolerance(failed, n, p.toleratedCount, p.toleratedPercentage)) {
      return finish(t, 'Failed')
    }
    free += freed
    launch(t)
  }
}

/** A binary heap of running items, earliest end first (ties: lower index first). */
class EndHeap {
  private readonly items: number[] = []

  constructor(private readonly end: Float64Array) {}

  get size(): number {
    return this.items.length
  }

  peekEnd(): number {
    return this.endOf(this.items[0])
  }

  push(index: number): void {
    const a = this.items
    a.push(index)
    let i = a.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.before(i, parent)) break
      this.swap(i, parent)
      i = parent
    }
  }

  /** The earliest item; only called when size > 0. */
  pop(): number {
    const a = this.items
    const top = a[0] ?? -1
    const last = a.pop() ?? -1
    if (a.length === 0) return top
    a[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      let m = i
      if (l < a.length && this.before(l, m)) m = l
      if (l + 1 < a.length && this.before(l + 1, m)) m = l + 1
      if (m === i) return top
      this.swap(i, m)
      i = m
    }
  }

  private endOf(index: number | undefined): number {
    return index === undefined ? Infinity : (this.end[index] ?? Infinity)
  }

  /** Whether the item at heap position `x` comes before the one at `y`. */
  private before(x: number, y: number): boolean {
    const ix = this.items[x] ?? 0
    const iy = this.items[y] ?? 0
    const ex = this.endOf(ix)
    const ey = this.endOf(iy)
    return ex < ey || (ex === ey && ix < iy)
  }

  private swap(x: number, y: number): void {
    const a = this.items
    const t = a[x] ?? 0
    a[x] = a[y] ?? 0
    a[y] = t
  }
}
