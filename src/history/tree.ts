/**
 * The model's mutable step tree while events are folded in. Snapshots (snapshot.ts) turn it into
 * the read-only `StepNode` tree of the report.
 */
import type { ErrorFields } from './detail.js'
import type { StepKind, UnknownEventRef } from './types.js'

export type OpenStatus = 'Running' | 'Succeeded' | 'Failed'

export type NodeKind = StepKind | 'execution'

export interface MAttempt extends ErrorFields {
  status: 'Running' | 'Succeeded' | 'Failed' | 'TimedOut'
  endType?: string
  startedAt?: number | undefined
  endedAt?: number | undefined
}

/** Mutable node: steps, and scopes (execution, branch, iteration) that hold a thread of steps. */
export interface MNode extends ErrorFields {
  kind: NodeKind
  name: string
  index?: number
  status: OpenStatus
  handled: boolean
  implicit: boolean
  /** StepStarted seen (or implied by a later event): the step's body may have begun. */
  started: boolean
  exited: boolean
  startedAt?: number | undefined
  endedAt?: number | undefined
  firstEventId: number
  /** Event that settled the node (StepSucceeded/StepFailed, Branch/IterationExited). */
  endEventId?: number
  failEventId?: number
  attempts: MAttempt[]
  /** A distributed Map's MapRunName (see StepNode). */
  mapRunName?: string
  children: MNode[]
  unknown: UnknownEventRef[]
  unknownCount: number
  /** Scope of a step; owner step of a branch/iteration. */
  parent?: MNode
}

export function newNode(kind: NodeKind, nodeName: string, firstEventId: number): MNode {
  return {
    kind,
    name: nodeName,
    status: 'Running',
    handled: false,
    implicit: false,
    started: false,
    exited: false,
    firstEventId,
    attempts: [],
    children: [],
    unknown: [],
    unknownCount: 0
  }
}

/** A thread (scope) is the execution, a branch or an iteration; everything else is a step. */
export function isScope(n: MNode): boolean {
  return n.kind === 'execution' || n.kind === 'branch' || n.kind === 'iteration'
}

/** The scopes enclosing `thread`, innermost first, starting with `thread` itself. */
export function* scopesOutward(thread: MNode): Generator<MNode> {
  for (let s: MNode | undefined = thread; s !== undefined; s = s.parent?.parent) yield s
}

export function runningAttempt(step: MNode): MAttempt | undefined {
  const a = step.attempts[step.attempts.length - 1]
  return a !== undefined && a.status === 'Running' ? a : undefined
}
