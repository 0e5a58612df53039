/**
 * Root causes and running steps, read off a finished step tree (see model.ts for how it is built).
 */
import { copyError } from './detail.js'
import type { ExecutionReport, FailureCause, StepNode } from './model.js'

/**
 * Root causes of a failed execution. A failure propagates out of a thread only when it is the
 * thread's last step (nothing caught it and the thread went no further). Start from the top-level
 * thread and descend: into the branches/iterations of a failed parallel/foreach, every thread
 * whose failure propagated; a failed step with nothing failed below it is a leaf, i.e. a root
 * cause. Ordered by the leaf's failure event, so the first one is the failure that came first.
 */
export function failureCauses(steps: StepNode[], report: ExecutionReport): FailureCause[] {
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

  if (leaves.length === 0) {
    // Failed outside any step (e.g. an output mapping), or the history lacks the step events.
    const cause: FailureCause = { kind: 'failure', path: [], pathText: '', attempts: 0 }
    copyError(cause, report)
    if (report.stoppedAt !== undefined) cause.at = report.stoppedAt
    return [cause]
  }
  const order = (n: StepNode): number => n.failEventId ?? n.endEventId ?? Infinity
  leaves.sort((a, b) => order(a) - order(b) || a.firstEventId - b.firstEventId)
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
