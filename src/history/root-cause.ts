/**
 * Root causes and running steps, read off a finished step tree (see fold.ts for how it is built).
 */
import { copyError, type ErrorFields } from './detail.js'
import type { ExecutionReport, FailureCause, StepNode } from './types.js'

/**
 * Root causes of a failed execution. A failure propagates out of a thread only when it is the
 * thread's last step (nothing caught it and the thread went no further). Start from the top-level
 * thread and descend: into the branches/iterations of a failed parallel/foreach, every thread
 * whose failure propagated; a failed step with nothing failed below it is a leaf, i.e. a root
 * cause.
 */
export function failureCauses(steps: StepNode[], report: ExecutionReport): FailureCause[] {
  const leaves = blamed(steps, report)
  if (leaves.length === 0) {
    // Failed outside any step (e.g. an output mapping), or the history lacks the step events.
    const cause: FailureCause = { kind: 'failure', path: [], pathText: '', attempts: 0 }
    copyError(cause, report)
    if (report.stoppedAt !== undefined) cause.at = report.stoppedAt
    return [cause]
  }
  return leaves.map((step) => {
    const cause: FailureCause = {
      kind: 'failure',
      path: step.path,
      pathText: step.pathText,
      step,
      attempts: step.attempts
    }
    copyError(cause, step)
    if (cause.error === undefined && cause.cause === undefined) copyError(cause, report)
    if (step.endedAt !== undefined) cause.at = step.endedAt
    return cause
  })
}

/**
 * The leaves to blame, the primary one first. The execution fails with the error of the failure
 * that propagated, so a leaf with another error is never the primary root cause, whatever the
 * tree says (other leaves whose failure also propagated, e.g. concurrent iterations, follow it).
 * When the tree's propagation leads to no leaf with that error (links missing or read wrongly),
 * every failed leaf with that error is ranked: a step before a parallel/foreach (which is a leaf
 * only when the tree lost the branch that failed in it), the same cause before another one, a step
 * the flow did not go on after before one it seemed to (a guessed tree may place a later step
 * after it), then the earliest.
 */
function blamed(steps: StepNode[], report: ExecutionReport): StepNode[] {
  const propagated = propagatedLeaves(steps).sort(byFailure)
  if (report.error === undefined && report.cause === undefined) return propagated
  const rank = (n: StepNode): number[] => [
    isOwner(n) ? 1 : 0,
    sameCause(n, report) ? 0 : 1,
    n.handled ? 1 : 0,
    n.failEventId ?? n.endEventId ?? Infinity,
    n.firstEventId
  ]
  const best = (pool: StepNode[]): StepNode | undefined =>
    pool.filter((n) => sameError(n, report)).sort((a, b) => compare(rank(a), rank(b)))[0]
  const primary = best(propagated.filter((n) => !isOwner(n)))
  if (primary !== undefined) return [primary, ...propagated.filter((n) => n !== primary)]
  const first = best(failedLeaves(steps))
  return first !== undefined ? [first] : propagated
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

function byFailure(a: StepNode, b: StepNode): number {
  const order = (n: StepNode): number => n.failEventId ?? n.endEventId ?? Infinity
  return order(a) - order(b) || a.firstEventId - b.firstEventId
}

function isOwner(n: StepNode): boolean {
  return n.kind === 'parallel' || n.kind === 'foreach'
}

/** Same error, or no error on one side to compare (then the cause decides). */
function sameError(n: ErrorFields, execution: ErrorFields): boolean {
  if (execution.error === undefined || n.error === undefined) return sameCause(n, execution)
  return n.error === execution.error
}

function sameCause(n: ErrorFields, execution: ErrorFields): boolean {
  const a = n.causeRaw ?? n.cause
  const b = execution.causeRaw ?? execution.cause
  return a === undefined || b === undefined || a === b
}

/** Failed steps with no failed step below them, anywhere in the tree. */
function failedLeaves(steps: StepNode[]): StepNode[] {
  const out: StepNode[] = []
  const walk = (n: StepNode): boolean => {
    let below = false
    for (const c of n.children) below = walk(c) || below
    const isStep = n.kind !== 'branch' && n.kind !== 'iteration'
    if (isStep && n.status === 'Failed' && !below) {
      out.push(n)
      return true
    }
    return below || (isStep && n.status === 'Failed')
  }
  for (const s of steps) walk(s)
  return out
}

/** Leaves the tree says the failure propagated from (see failureCauses). */
function propagatedLeaves(steps: StepNode[]): StepNode[] {
  const leaves: StepNode[] = []
  const visitThread = (thread: StepNode[]): void => {
    const last = thread[thread.length - 1]
    if (last !== undefined && last.status === 'Failed' && !last.handled) visitStep(last)
  }
  const visitStep = (step: StepNode): void => {
    const before = leaves.length
    for (const scope of step.children) {
      if (scope.status === 'Failed') visitThread(scope.children)
    }
    if (leaves.length === before) leaves.push(step)
  }
  visitThread(steps)
  return leaves
}

/**
 * Innermost steps that were running when the execution ended: opened before the terminal event
 * and not settled before it (or at all). Branch/iteration scopes are not steps and are skipped.
 */
export function runningLeaves(steps: StepNode[], endEventId: number | undefined): StepNode[] {
  const out: StepNode[] = []
  const runningAtEnd = (n: StepNode): boolean => {
    if (n.status === 'Running' || n.status === 'Interrupted') return true
    if (endEventId === undefined) return false
    const settled = n.endEventId
    return n.firstEventId < endEventId && settled !== undefined && settled > endEventId
  }
  const walk = (n: StepNode): boolean => {
    let below = false
    for (const c of n.children) below = walk(c) || below
    const isStep = n.kind !== 'branch' && n.kind !== 'iteration'
    if (isStep && runningAtEnd(n) && !below) {
      out.push(n)
      return true
    }
    return below
  }
  for (const s of steps) walk(s)
  return out
}
