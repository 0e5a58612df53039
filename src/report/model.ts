/**
 * Folds GetExecutionHistory pages into a step tree and finds the root cause of a failure.
 *
 * Streaming on purpose: a history may hold 5000 events of up to 32 KiB each, so the caller hands
 * over one page at a time and drops it. The model keeps only short strings (names, error codes,
 * truncated causes) and never step inputs or outputs, so its size does not depend on event size.
 *
 * Threads (see docs/history-events.md): `ScheduleEventId` points at the previous event of the same
 * thread (top level, one parallel branch, one foreach iteration), and a branch/iteration's first
 * event points at its owner's `StepStarted`. Only "points into the same thread" is relied on, so a
 * service that links events differently (e.g. to the scheduling event) still builds the same tree.
 */
import type { Execution, ExecutionStatus, HistoryEvent } from '../fnf/types.js'
import { isTerminal } from '../fnf/types.js'
import {
  DEFAULT_DETAIL_LIMITS,
  parseErrorDetail,
  readIndex,
  copyError,
  type DetailLimits,
  type ErrorDetail,
  type ErrorFields
} from './detail.js'
import { failureCauses, runningLeaves } from './root-cause.js'
import { detach, keep, truncate } from './text.js'

export type StepKind = 'task' | 'parallel' | 'foreach' | 'step' | 'branch' | 'iteration'

/**
 * `Interrupted`: still open when the execution ended (stopped, timed out, or cancelled because a
 * sibling branch failed). `Running` only appears while the execution itself is not finished.
 */
export type StepStatus = 'Running' | 'Succeeded' | 'Failed' | 'Interrupted'
export type AttemptStatus = 'Running' | 'Succeeded' | 'Failed' | 'TimedOut' | 'Interrupted'

export interface TaskAttempt {
  /** 1-based, as people count attempts ("attempt 3 of 3"). */
  number: number
  status: AttemptStatus
  /** The event that ended the attempt when it did not succeed (TaskFailed, TaskTimedOut…). */
  endType?: string
  startedAt?: number
  endedAt?: number
  durationMs?: number
  error?: string
  cause?: string
}

export interface UnknownEventRef {
  eventId: number
  type: string
  time?: number
}

export interface StepNode {
  kind: StepKind
  /** The step name; for a branch or iteration, the name of the parallel/foreach step owning it. */
  name: string
  /**
   * Branch/iteration index as the service reports it (`branchIndex` / `index`), so 0-based:
   * "iteration 17" is the element `items[17]` of the foreach input. Used the same way in every
   * path, table and annotation.
   */
  index?: number
  /** Path segment: the step name, or `branch 2` / `iteration 17`. */
  label: string
  /** Segments from the top level down to this node, e.g. `['fanout', 'branch 2', 'push']`. */
  path: string[]
  /** `path` joined with ` › `. */
  pathText: string
  status: StepStatus
  /** Failed, but the flow went on (caught here or by an enclosing step): not a root cause. */
  handled: boolean
  /** Created from an event whose opening event (StepEntered/BranchEntered) is missing. */
  implicit: boolean
  startedAt?: number
  endedAt?: number
  durationMs?: number
  error?: string
  cause?: string
  causeRaw?: string
  causeType?: string
  /** Task attempts (TaskScheduled count); 0 for steps that run no task. */
  attempts: number
  attemptList: TaskAttempt[]
  /** Events of types this model does not know, in the order seen (the first few). */
  unknownEvents: UnknownEventRef[]
  unknownEventCount: number
  children: StepNode[]
  /** EventId that opened the node (its first event). */
  firstEventId: number
  /** EventId that settled it (StepSucceeded/StepFailed, Branch/IterationExited), if any. */
  endEventId?: number
  /** EventId of its StepFailed, if any: orders root causes. */
  failEventId?: number
}

export interface FailureCause {
  kind: 'failure'
  /** Empty when the execution failed outside any step (no failed step in the history). */
  path: string[]
  pathText: string
  step?: StepNode
  error?: string
  cause?: string
  causeRaw?: string
  causeType?: string
  attempts: number
  at?: number
}

export interface InterruptionCause {
  kind: 'stopped' | 'timedOut'
  error?: string
  cause?: string
  causeRaw?: string
  at?: number
  /** Innermost steps that were still running when the execution was stopped / timed out. */
  running: StepNode[]
}

export type RootCause = FailureCause | InterruptionCause

export interface HistoryStats {
  events: number
  steps: number
  duplicateEvents: number
  /** Events whose ScheduleEventId pointed at no known event (attached to the nearest open scope). */
  unresolvedLinks: number
  /** Details that should have been JSON and were not. */
  brokenDetails: number
  unknownEvents: number
  /** Unknown event types and how often each was seen. */
  unknownEventTypes: Record<string, number>
}

export interface ExecutionReport {
  flowName?: string
  executionName?: string
  status: ExecutionStatus | 'Unknown'
  startedAt?: number
  stoppedAt?: number
  durationMs?: number
  /** Execution-level error/cause (ExecutionFailed, ExecutionStopped, ExecutionTimedOut). */
  error?: string
  cause?: string
  causeRaw?: string
  causeType?: string
  /** Top-level steps, in the order they were entered. */
  steps: StepNode[]
  /** The primary root cause (`rootCauses[0]`); undefined for success or a still-running execution. */
  rootCause?: RootCause
  /**
   * Failed: every leaf failure that propagated to the execution's failure, earliest first (a
   * parallel or foreach can fail in several branches at once). Stopped/TimedOut: one entry.
   */
  rootCauses: RootCause[]
  /** Innermost steps still running at the end of the history (or when it ended). */
  running: StepNode[]
  /** Unknown events that belong to no step. */
  unknownEvents: UnknownEventRef[]
  unknownEventCount: number
  stats: HistoryStats
}

export interface HistoryModel {
  /** Folds a page of events in; the caller may drop `events` afterwards. */
  add(events: readonly HistoryEvent[]): void
  /** Builds the report from what was folded in so far (does not change the model). */
  result(execution?: Execution): ExecutionReport
}

export interface ModelOptions {
  limits?: DetailLimits
  /** Max chars kept per attempt's cause: attempts are many, the step's own cause is kept longer. */
  attemptCauseChars?: number
  /** Max unknown events listed per node (all are counted). */
  unknownPerNode?: number
}

export const PATH_SEPARATOR = ' › '

const MAX_NAME = 256
const MAX_TYPE = 100
const MAX_UNKNOWN_TYPES = 50

type OpenStatus = 'Running' | 'Succeeded' | 'Failed'

type NodeKind = StepKind | 'execution'

interface MAttempt extends ErrorFields {
  status: 'Running' | 'Succeeded' | 'Failed' | 'TimedOut'
  endType?: string
  startedAt?: number
  endedAt?: number
}

/** Mutable node: steps, and scopes (execution, branch, iteration) that hold a thread of steps. */
interface MNode extends ErrorFields {
  kind: NodeKind
  name: string
  index?: number
  status: OpenStatus
  handled: boolean
  implicit: boolean
  exited: boolean
  startedAt?: number
  endedAt?: number
  firstEventId: number
  /** Event that settled the node (StepSucceeded/StepFailed, Branch/IterationExited). */
  endEventId?: number
  failEventId?: number
  attempts: MAttempt[]
  children: MNode[]
  unknown: UnknownEventRef[]
  unknownCount: number
  /** Scope of a step; owner step of a branch/iteration. */
  parent?: MNode
}

const KNOWN = new Set([
  'ExecutionStarted',
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionTimedOut',
  'ExecutionStopped',
  'StepEntered',
  'StepStarted',
  'StepSucceeded',
  'StepFailed',
  'StepExited',
  'BranchEntered',
  'BranchExited',
  'IterationEntered',
  'IterationExited',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSubmitFailed',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut'
])

export function createHistoryModel(options: ModelOptions = {}): HistoryModel {
  const limits = options.limits ?? DEFAULT_DETAIL_LIMITS
  const attemptLimits: DetailLimits = {
    error: limits.error,
    cause: Math.min(limits.cause, options.attemptCauseChars ?? 1024)
  }
  const unknownPerNode = options.unknownPerNode ?? 20

  const root = newNode('execution', '', 0)
  /** EventId → the scope (thread) the event belongs to. */
  const threadOf = new Map<number, MNode>()
  /** Steps not yet exited, by name: the last resort when an event's link is unusable. */
  const openByName = new Map<string, MNode[]>()
  const names = new Map<string, string>()
  const unknownTypes = new Map<string, number>()
  let lastThread: MNode = root
  let execStatus: ExecutionStatus | undefined
  let execEndEventId: number | undefined
  const stats = { events: 0, steps: 0, duplicateEvents: 0, unresolvedLinks: 0, brokenDetails: 0 }
  let unknownTotal = 0

  function name(raw: string): string {
    // Thousands of iterations repeat the same few step names: keep one copy of each.
    const short = truncate(raw, MAX_NAME)
    let interned = names.get(short)
    if (interned === undefined) {
      interned = detach(short)
      names.set(interned, interned)
    }
    return interned
  }

  function errorOf(e: HistoryEvent, lim: DetailLimits): ErrorDetail {
    const d = parseErrorDetail(e.EventDetail, lim)
    if (!d.json && d.raw !== undefined) stats.brokenDetails += 1
    return d
  }

  /** Attempts keep error and the readable cause only: there can be many of them. */
  function setError(target: ErrorFields, d: ErrorDetail, full: boolean): void {
    if (d.error !== undefined) target.error = d.error
    // No error field at all: the raw detail is the best explanation there is.
    const cause = d.cause ?? (d.error === undefined ? d.raw : undefined)
    if (cause !== undefined) target.cause = cause
    if (!full) return
    if (d.causeRaw !== undefined) target.causeRaw = d.causeRaw
    if (d.causeType !== undefined) target.causeType = d.causeType
  }

  function register(step: MNode): void {
    const list = openByName.get(step.name)
    if (list === undefined) openByName.set(step.name, [step])
    else list.push(step)
  }

  function unregister(step: MNode): void {
    const list = openByName.get(step.name)
    if (list === undefined) return
    const i = list.lastIndexOf(step)
    if (i >= 0) list.splice(i, 1)
    if (list.length === 0) openByName.delete(step.name)
  }

  /** The innermost scope still open, starting from `scope` and walking outwards. */
  function nearestOpen(scope: MNode): MNode {
    let s: MNode | undefined = scope
    while (s !== undefined && s !== root && s.exited) s = s.parent?.parent
    return s ?? root
  }

  /**
   * The step named `stepName` that an event in `thread` belongs to: the thread's own open step,
   * else an enclosing step (a parallel's StepSucceeded may point into its last branch), else any
   * open step of that name.
   */
  function findStep(thread: MNode, stepName: string): MNode | undefined {
    const own = findInThread(thread, stepName)
    if (own !== undefined) return own
    for (let s: MNode | undefined = thread; s !== undefined; s = s.parent?.parent) {
      const owner = s.parent
      if (owner !== undefined && owner.name === stepName && !owner.exited) return owner
    }
    const open = openByName.get(stepName)
    return open?.[open.length - 1]
  }

  /** The thread's open step of that name, or its last step if that has the name. */
  function findInThread(thread: MNode, stepName: string): MNode | undefined {
    const kids = thread.children
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i]
      if (k !== undefined && k.name === stepName && !k.exited) return k
    }
    const last = kids[kids.length - 1]
    return last !== undefined && last.name === stepName ? last : undefined
  }

  function enterStep(thread: MNode, e: HistoryEvent, implicit: boolean): MNode {
    const prev = thread.children[thread.children.length - 1]
    // A new step after a failed one in the same thread: that failure was caught.
    if (prev !== undefined && prev.status === 'Failed') prev.handled = true
    const step = newNode('step', e.StepName, e.EventId)
    step.implicit = implicit
    step.startedAt = timeOf(e)
    step.parent = thread
    thread.children.push(step)
    register(step)
    stats.steps += 1
    return step
  }

  function stepFor(thread: MNode, e: HistoryEvent): MNode {
    return findStep(thread, e.StepName) ?? enterStep(thread, e, true)
  }

  function lastAttempt(step: MNode, e: HistoryEvent): MAttempt {
    const a = step.attempts[step.attempts.length - 1]
    if (a !== undefined && a.status === 'Running') return a
    // An attempt's end or start without its TaskScheduled (history gap): count it anyway.
    const fresh: MAttempt = { status: 'Running', startedAt: timeOf(e) }
    step.attempts.push(fresh)
    return fresh
  }

  function openScope(thread: MNode, e: HistoryEvent, kind: 'branch' | 'iteration'): MNode {
    const owner = stepFor(thread, e)
    if (owner.kind === 'step') owner.kind = kind === 'branch' ? 'parallel' : 'foreach'
    const index =
      readIndex(e.EventDetail, kind === 'branch' ? ['branchIndex', 'index'] : ['index']) ??
      owner.children.filter((c) => c.kind === kind).length
    const scope = newNode(kind, owner.name, e.EventId)
    scope.index = index
    scope.startedAt = timeOf(e)
    scope.parent = owner
    owner.children.push(scope)
    return scope
  }

  function closeScope(linked: MNode, e: HistoryEvent, kind: 'branch' | 'iteration'): MNode {
    let scope: MNode | undefined
    for (let s: MNode | undefined = linked; s !== undefined; s = s.parent?.parent) {
      if (s.kind === kind && s.name === e.StepName && !s.exited) {
        scope = s
        break
      }
    }
    if (scope === undefined) {
      // The link did not lead into the branch: find it by owner and index.
      const owner = findStep(linked, e.StepName)
      const index = readIndex(
        e.EventDetail,
        kind === 'branch' ? ['branchIndex', 'index'] : ['index']
      )
      scope = owner?.children.find((c) => c.kind === kind && !c.exited && c.index === index)
      if (scope === undefined) {
        scope = openScope(linked, e, kind)
        scope.implicit = true
      }
    }
    scope.exited = true
    scope.endedAt = timeOf(e)
    scope.endEventId = e.EventId
    return scope
  }

  /** Returns the scope the event is recorded in. */
  function addUnknown(thread: MNode, e: HistoryEvent): MNode {
    const type = keep(e.Type, MAX_TYPE)
    if (unknownTypes.has(type) || unknownTypes.size < MAX_UNKNOWN_TYPES) {
      unknownTypes.set(type, (unknownTypes.get(type) ?? 0) + 1)
    }
    unknownTotal += 1
    // Only a step of this thread: a Branch/Iteration-like event names its owner step but belongs
    // to the branch it sits in.
    const step = e.StepName !== '' ? findInThread(thread, e.StepName) : undefined
    const target = step ?? thread
    target.unknownCount += 1
    if (target.unknown.length < unknownPerNode) {
      target.unknown.push({ eventId: e.EventId, type, time: timeOf(e) })
    }
    return step?.parent ?? thread
  }

  function endExecution(e: HistoryEvent, status: ExecutionStatus): void {
    execStatus = status
    execEndEventId = e.EventId
    root.endedAt = timeOf(e)
    if (status !== 'Succeeded') setError(root, errorOf(e, limits), true)
  }

  function fold(raw: HistoryEvent): void {
    // Every event uses the stored name: steps are matched by it (it may be shortened), and a node
    // must never hold the page's own string (it may be a slice of the whole response).
    const e: HistoryEvent = { ...raw, StepName: name(raw.StepName) }
    if (threadOf.has(e.EventId)) {
      stats.duplicateEvents += 1
      return
    }
    stats.events += 1
    let linked = threadOf.get(e.ScheduleEventId)
    const executionLevel = e.Type.startsWith('Execution') && KNOWN.has(e.Type)
    if (linked === undefined && !executionLevel) {
      stats.unresolvedLinks += 1
      linked = nearestOpen(lastThread)
    }
    let thread = linked ?? root

    switch (e.Type) {
      case 'ExecutionStarted':
        thread = root
        root.startedAt = timeOf(e)
        execStatus ??= 'Running'
        break
      case 'ExecutionSucceeded':
        thread = root
        endExecution(e, 'Succeeded')
        break
      case 'ExecutionFailed':
        thread = root
        endExecution(e, 'Failed')
        break
      case 'ExecutionTimedOut':
        thread = root
        endExecution(e, 'TimedOut')
        break
      case 'ExecutionStopped':
        thread = root
        endExecution(e, 'Stopped')
        break
      case 'StepEntered':
        enterStep(thread, e, false)
        break
      case 'StepStarted':
        thread = stepFor(thread, e).parent ?? thread
        break
      case 'StepSucceeded': {
        const step = stepFor(thread, e)
        thread = step.parent ?? thread
        step.status = 'Succeeded'
        step.endedAt = timeOf(e)
        step.endEventId = e.EventId
        break
      }
      case 'StepFailed': {
        const step = stepFor(thread, e)
        thread = step.parent ?? thread
        step.status = 'Failed'
        step.endedAt = timeOf(e)
        step.endEventId = e.EventId
        step.failEventId = e.EventId
        setError(step, errorOf(e, limits), true)
        // StepFailed often repeats the last attempt's cause: share one string instead of two.
        const a = step.attempts[step.attempts.length - 1]
        if (a?.cause !== undefined && step.cause === a.cause) step.cause = a.cause
        break
      }
      case 'StepExited': {
        const step = stepFor(thread, e)
        thread = step.parent ?? thread
        step.exited = true
        step.endedAt ??= timeOf(e)
        unregister(step)
        break
      }
      case 'TaskScheduled': {
        const step = stepFor(thread, e)
        thread = step.parent ?? thread
        step.kind = 'task'
        step.attempts.push({ status: 'Running', startedAt: timeOf(e) })
        break
      }
      case 'TaskStarted':
      case 'TaskSubmitted': {
        const step = stepFor(thread, e)
        thread = step.parent ?? thread
        step.kind = 'task'
        lastAttempt(step, e)
        break
      }
      case 'TaskSucceeded': {
        const step = stepFor(thread, e)
        thread = step.parent ?? thread
        step.kind = 'task'
        const a = lastAttempt(step, e)
        a.status = 'Succeeded'
        a.endedAt = timeOf(e)
        break
      }
      case 'TaskFailed':
      case 'TaskTimedOut':
      case 'TaskSubmitFailed': {
        const step = stepFor(thread, e)
        thread = step.parent ?? thread
        step.kind = 'task'
        const a = lastAttempt(step, e)
        a.status = e.Type === 'TaskTimedOut' ? 'TimedOut' : 'Failed'
        a.endType = e.Type
        a.endedAt = timeOf(e)
        setError(a, errorOf(e, attemptLimits), false)
        break
      }
      case 'BranchEntered':
        thread = openScope(thread, e, 'branch')
        break
      case 'IterationEntered':
        thread = openScope(thread, e, 'iteration')
        break
      case 'BranchExited':
        thread = closeScope(thread, e, 'branch')
        break
      case 'IterationExited':
        thread = closeScope(thread, e, 'iteration')
        break
      default:
        thread = addUnknown(thread, e)
    }
    threadOf.set(e.EventId, thread)
    lastThread = thread
  }

  return {
    add(events) {
      for (const e of events) fold(e)
    },
    result(execution) {
      return buildReport({
        root,
        execution,
        historyStatus: execStatus,
        execEndEventId,
        stats: {
          ...stats,
          unknownEvents: unknownTotal,
          unknownEventTypes: Object.fromEntries(unknownTypes)
        }
      })
    }
  }
}

function newNode(kind: NodeKind, nodeName: string, firstEventId: number): MNode {
  return {
    kind,
    name: nodeName,
    status: 'Running',
    handled: false,
    implicit: false,
    exited: false,
    firstEventId,
    attempts: [],
    children: [],
    unknown: [],
    unknownCount: 0
  }
}

function timeOf(e: HistoryEvent): number | undefined {
  return parseTime(e.Time)
}

export function parseTime(time: string | undefined): number | undefined {
  if (time === undefined || time === '') return undefined
  const ms = Date.parse(time)
  return Number.isNaN(ms) ? undefined : ms
}

interface BuildInput {
  root: MNode
  execution: Execution | undefined
  historyStatus: ExecutionStatus | undefined
  execEndEventId: number | undefined
  stats: HistoryStats
}

function buildReport(input: BuildInput): ExecutionReport {
  const { root, execution } = input
  const status = reportStatus(execution?.Status, input.historyStatus)
  const terminal = isTerminal(status)

  const steps = root.children.map((c) => snapshot(c, [], terminal, false))
  const startedAt = root.startedAt ?? parseTime(execution?.StartedTime)
  const stoppedAt = terminal ? (parseTime(execution?.StoppedTime) ?? root.endedAt) : undefined

  const endId = terminal ? input.execEndEventId : undefined
  const running = runningLeaves(steps, endId)
  const report: ExecutionReport = {
    status,
    steps,
    rootCauses: [],
    running,
    unknownEvents: root.unknown,
    unknownEventCount: root.unknownCount,
    stats: input.stats
  }
  const flowName = execution?.FlowName
  const executionName = execution?.Name
  if (flowName !== undefined) report.flowName = flowName
  if (executionName !== undefined) report.executionName = executionName
  if (startedAt !== undefined) report.startedAt = startedAt
  if (stoppedAt !== undefined) report.stoppedAt = stoppedAt
  if (startedAt !== undefined && stoppedAt !== undefined) report.durationMs = stoppedAt - startedAt
  copyError(report, root)

  if (status === 'Failed') {
    report.rootCauses = failureCauses(steps, report)
  } else if (status === 'Stopped' || status === 'TimedOut') {
    const cause: InterruptionCause = {
      kind: status === 'Stopped' ? 'stopped' : 'timedOut',
      running
    }
    copyError(cause, root)
    if (stoppedAt !== undefined) cause.at = stoppedAt
    report.rootCauses = [cause]
  }
  const first = report.rootCauses[0]
  if (first !== undefined) report.rootCause = first
  return report
}

/**
 * DescribeExecution is authoritative once it says the execution ended; before that the history
 * may already hold the terminal event (it was fetched later), so a terminal history status wins.
 */
function reportStatus(
  described: ExecutionStatus | undefined,
  fromHistory: ExecutionStatus | undefined
): ExecutionStatus | 'Unknown' {
  if (described !== undefined && isTerminal(described)) return described
  if (fromHistory !== undefined && isTerminal(fromHistory)) return fromHistory
  return described ?? fromHistory ?? 'Unknown'
}

function snapshot(
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
