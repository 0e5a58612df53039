/** Turns the model's mutable tree into the read-only `StepNode` tree of the report. */
import { copyError } from './detail.js'
import type { MAttempt, MNode } from './tree.js'
import {
  PATH_SEPARATOR,
  type AttemptStatus,
  type StepNode,
  type StepStatus,
  type TaskAttempt
} from './types.js'

export function snapshot(
  n: MNode,
  parentPath: string[],
  terminal: boolean,
  ancestorHandled: boolean
): StepNode {
  const label = labelOf(n)
  const path = [...parentPath, label]
  const kind = n.kind === 'execution' ? 'step' : n.kind
  const handled = n.handled || ancestorHandled
  const children = n.children.map((c) => snapshot(c, path, terminal, handled))
  let status: StepStatus = n.status
  if (kind === 'branch' || kind === 'iteration') {
    // A thread failed when its last step failed and nothing after it caught the failure.
    const last = children[children.length - 1]
    if (last !== undefined && last.status === 'Failed' && !n.children.at(-1)?.handled) {
      status = 'Failed'
    } else if (n.exited) status = 'Succeeded'
  }
  if (status === 'Running' && terminal) status = 'Interrupted'

  const node: StepNode = {
    kind,
    name: n.name,
    label,
    path,
    pathText: path.join(PATH_SEPARATOR),
    status,
    handled: status === 'Failed' && handled,
    implicit: n.implicit,
    attempts: n.attempts.length,
    attemptList: n.attempts.map((a, i) => attemptSnapshot(a, i, terminal)),
    unknownEvents: n.unknown.slice(),
    unknownEventCount: n.unknownCount,
    children,
    firstEventId: n.firstEventId
  }
  if (n.index !== undefined) node.index = n.index
  if (n.mapRunName !== undefined) node.mapRunName = n.mapRunName
  if (n.startedAt !== undefined) node.startedAt = n.startedAt
  // A failed branch/iteration has no exit event: it ended when its last step did.
  const endedAt =
    n.endedAt ?? (status === 'Failed' && kind !== 'task' ? children.at(-1)?.endedAt : undefined)
  if (endedAt !== undefined && status !== 'Interrupted' && status !== 'Running') {
    node.endedAt = endedAt
    if (n.startedAt !== undefined) node.durationMs = endedAt - n.startedAt
  }
  copyError(node, n)
  if (status === 'Failed' && node.error === undefined && node.cause === undefined) {
    // StepFailed without a usable detail: the last failed attempt usually says why.
    const a = [...n.attempts].reverse().find((x) => x.error !== undefined || x.cause !== undefined)
    if (a?.error !== undefined) node.error = a.error
    if (a?.cause !== undefined) node.cause = a.cause
  }
  if (n.endEventId !== undefined) node.endEventId = n.endEventId
  if (n.failEventId !== undefined) node.failEventId = n.failEventId
  return node
}

function attemptSnapshot(a: MAttempt, i: number, terminal: boolean): TaskAttempt {
  const status: AttemptStatus = a.status === 'Running' && terminal ? 'Interrupted' : a.status
  const out: TaskAttempt = { number: i + 1, status }
  if (a.endType !== undefined) out.endType = a.endType
  if (a.startedAt !== undefined) out.startedAt = a.startedAt
  if (a.endedAt !== undefined) {
    out.endedAt = a.endedAt
    if (a.startedAt !== undefined) out.durationMs = a.endedAt - a.startedAt
  }
  if (a.error !== undefined) out.error = a.error
  if (a.cause !== undefined) out.cause = a.cause
  return out
}

function labelOf(n: MNode): string {
  if (n.kind === 'branch') return `branch ${n.index ?? '?'}`
  if (n.kind === 'iteration') return `iteration ${n.index ?? '?'}`
  return n.name === '' ? '(unnamed step)' : n.name
}
