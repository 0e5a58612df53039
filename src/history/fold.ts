/**
 * Folds GetExecutionHistory pages into a step tree; report.ts reads the root cause off it.
 *
 * Streaming on purpose: a history may hold 5000 events of up to 32 KiB each, so the caller hands
 * over one page at a time and drops it. The model keeps only short strings (names, error codes,
 * truncated causes) and never step inputs or outputs, so its size does not depend on event size.
 * Where each event goes is placement.ts's job; this module applies the event to the node.
 */
import type { ExecutionStatus, HistoryEvent } from '../fnf/types.js'
import {
  DEFAULT_DETAIL_LIMITS,
  parseErrorDetail,
  type DetailLimits,
  type ErrorDetail,
  type ErrorFields
} from './detail.js'
import { isExecutionEvent } from './events.js'
import { markMapRun } from './map-run.js'
import { indexOf, findInThread, Placement, type ScopeKind } from './placement.js'
import { buildReport } from './report.js'
import { parseTime } from './time.js'
import { detach, keep, truncate } from './text.js'
import { newNode, runningAttempt, type MAttempt, type MNode } from './tree.js'
import type { FailureEventRef, HistoryModel, ModelOptions } from './types.js'

const MAX_NAME = 256
const MAX_TYPE = 100
const MAX_UNKNOWN_TYPES = 50
/**
 * Levels of the step tree (a parallel and its branch are two). Deeper events are odd events:
 * counted and left out, so the report's walks (snapshot, root cause, renderers) never recurse
 * deeper than this, whatever a history holds (1,600 nested parallels, say).
 */
export const MAX_TREE_DEPTH = 100

/** Thrown for an event the model cannot hold; `add` counts it as odd and goes on. */
class OddEvent extends Error {}

function tooDeep(node: MNode): boolean {
  let depth = 0
  for (let n: MNode | undefined = node; n !== undefined; n = n.parent) {
    if (++depth >= MAX_TREE_DEPTH) return true
  }
  return false
}

export function createHistoryModel(options: ModelOptions = {}): HistoryModel {
  const limits = options.limits ?? DEFAULT_DETAIL_LIMITS
  const attemptLimits: DetailLimits = {
    error: limits.error,
    cause: Math.min(limits.cause, options.attemptCauseChars ?? 1024)
  }
  const unknownPerNode = options.unknownPerNode ?? 20
  const failureEventLimit = options.failureEventLimit ?? 50

  const root = newNode('execution', '', 0)
  const place = new Placement(root)
  const names = new Map<string, string>()
  const unknownTypes = new Map<string, number>()
  const failureEvents: FailureEventRef[] = []
  let execStatus: ExecutionStatus | undefined
  let execEndEventId: number | undefined
  const stats = { events: 0, steps: 0, duplicateEvents: 0, brokenDetails: 0, oddEvents: 0 }
  let unknownTotal = 0

  function name(raw: string): string {
    // Thousands of iterations repeat the same few step names: keep one copy of each.
    const short = truncate(typeof raw === 'string' ? raw : '', MAX_NAME)
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

  function noteFailure(e: HistoryEvent, source: ErrorFields): void {
    if (failureEvents.length >= failureEventLimit) return
    const ref: FailureEventRef = { eventId: e.EventId, type: e.Type, stepName: e.StepName }
    const time = timeOf(e)
    if (time !== undefined) ref.time = time
    if (source.error !== undefined) ref.error = source.error
    if (source.cause !== undefined) ref.cause = source.cause
    failureEvents.push(ref)
  }

  function enterStep(thread: MNode, e: HistoryEvent, implicit: boolean): MNode {
    if (tooDeep(thread)) throw new OddEvent('nested too deep')
    const prev = thread.children[thread.children.length - 1]
    // A new step after a failed one in the same thread: that failure was caught.
    if (prev !== undefined && prev.status === 'Failed') prev.handled = true
    const step = newNode('step', e.StepName, e.EventId)
    step.implicit = implicit
    if (implicit) place.madeUp()
    step.startedAt = timeOf(e)
    step.parent = thread
    thread.children.push(step)
    place.register(step)
    stats.steps += 1
    return step
  }

  function stepFor(linked: MNode | undefined, e: HistoryEvent): MNode {
    const step = place.step(e, linked) ?? enterStep(linked ?? place.nearestOpen(), e, true)
    // Any event after StepEntered means the step's body began, even if StepStarted is missing.
    if (e.Type !== 'StepEntered') step.started = true
    return step
  }

  function lastAttempt(step: MNode, e: HistoryEvent): MAttempt {
    const running = runningAttempt(step)
    if (running !== undefined) return running
    // An attempt's end or start without its TaskScheduled (history gap): count it anyway.
    const fresh: MAttempt = { status: 'Running', startedAt: timeOf(e) }
    step.attempts.push(fresh)
    return fresh
  }

  function openScope(linked: MNode | undefined, e: HistoryEvent, kind: ScopeKind): MNode {
    const owner = place.owner(e, linked, kind) ?? enterStep(linked ?? place.nearestOpen(), e, true)
    if (tooDeep(owner)) throw new OddEvent('nested too deep')
    owner.started = true
    if (owner.kind === 'step') owner.kind = kind === 'branch' ? 'parallel' : 'foreach'
    const index = indexOf(e, kind) ?? owner.children.filter((c) => c.kind === kind).length
    const scope = newNode(kind, owner.name, e.EventId)
    scope.index = index
    scope.startedAt = timeOf(e)
    scope.parent = owner
    owner.children.push(scope)
    place.scopeOpened(scope)
    return scope
  }

  function closeScope(linked: MNode | undefined, e: HistoryEvent, kind: ScopeKind): MNode {
    let scope = place.scopeToClose(e, linked, kind)
    if (scope === undefined) {
      scope = openScope(linked, e, kind)
      scope.implicit = true
      place.madeUp()
    }
    scope.exited = true
    place.scopeClosed(scope)
    scope.endedAt = timeOf(e)
    scope.endEventId = e.EventId
    return scope
  }

  /** Returns the scope the event is recorded in. */
  function addUnknown(linked: MNode | undefined, e: HistoryEvent): MNode {
    const type = keep(typeof e.Type === 'string' ? e.Type : String(e.Type), MAX_TYPE)
    if (unknownTypes.has(type) || unknownTypes.size < MAX_UNKNOWN_TYPES) {
      unknownTypes.set(type, (unknownTypes.get(type) ?? 0) + 1)
    }
    unknownTotal += 1
    const thread = linked ?? place.nearestOpen()
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

  /** Applies a step-level event to its step; returns the thread it was placed in. */
  function onStep(linked: MNode | undefined, e: HistoryEvent): MNode {
    const step = stepFor(linked, e)
    const thread = step.parent ?? root
    switch (e.Type) {
      case 'StepSucceeded':
      case 'StepFailed': {
        step.status = e.Type === 'StepSucceeded' ? 'Succeeded' : 'Failed'
        step.endedAt = timeOf(e)
        step.endEventId = e.EventId
        if (e.Type === 'StepSucceeded') break
        step.failEventId = e.EventId
        setError(step, errorOf(e, limits), true)
        // StepFailed often repeats the last attempt's cause: share one string instead of two.
        const a = step.attempts[step.attempts.length - 1]
        if (a?.cause !== undefined && step.cause === a.cause) step.cause = a.cause
        noteFailure(e, step)
        break
      }
      case 'StepExited':
        step.exited = true
        step.endedAt ??= timeOf(e)
        place.unregister(step)
        break
      case 'TaskScheduled':
        step.kind = 'task'
        step.attempts.push({ status: 'Running', startedAt: timeOf(e) })
        break
      case 'TaskStarted':
      case 'TaskSubmitted':
        step.kind = 'task'
        lastAttempt(step, e)
        break
      case 'TaskSucceeded': {
        step.kind = 'task'
        const a = lastAttempt(step, e)
        a.status = 'Succeeded'
        a.endedAt = timeOf(e)
        break
      }
      case 'TaskFailed':
      case 'TaskTimedOut':
      case 'TaskSubmitFailed': {
        step.kind = 'task'
        const a = lastAttempt(step, e)
        a.status = e.Type === 'TaskTimedOut' ? 'TimedOut' : 'Failed'
        a.endType = e.Type
        a.endedAt = timeOf(e)
        setError(a, errorOf(e, attemptLimits), false)
        noteFailure(e, a)
        break
      }
      case 'MapRunStarted':
      case 'MapRunFailed':
        markMapRun(step, e)
        break
    }
    return thread
  }

  function fold(raw: HistoryEvent): void {
    // Every event uses the stored name: steps are matched by it (it may be shortened), and a node
    // must never hold the page's own string (it may be a slice of the whole response).
    const e: HistoryEvent = { ...raw, StepName: name(raw.StepName) }
    if (place.seen(e.EventId)) {
      stats.duplicateEvents += 1
      return
    }
    stats.events += 1
    const executionLevel = isExecutionEvent(e.Type)
    const linked = place.linked(e, executionLevel)
    let thread: MNode
    switch (e.Type) {
      case 'ExecutionStarted':
        thread = root
        root.startedAt = timeOf(e)
        execStatus ??= 'Running'
        break
      case 'ExecutionSucceeded':
      case 'ExecutionFailed':
      case 'ExecutionTimedOut':
      case 'ExecutionStopped':
        thread = root
        endExecution(e, e.Type.slice('Execution'.length) as ExecutionStatus)
        break
      case 'StepEntered':
        thread = place.enterThread(linked)
        enterStep(thread, e, false)
        break
      case 'StepStarted':
      case 'StepSucceeded':
      case 'StepFailed':
      case 'StepExited':
      case 'TaskScheduled':
      case 'TaskStarted':
      case 'TaskSubmitted':
      case 'TaskSucceeded':
      case 'TaskFailed':
      case 'TaskTimedOut':
      case 'TaskSubmitFailed':
      case 'MapRunStarted':
      case 'MapRunFailed':
        thread = onStep(linked, e)
        break
      case 'BranchEntered':
        thread = openScope(linked, e, 'branch')
        break
      case 'IterationEntered':
        thread = openScope(linked, e, 'iteration')
        break
      case 'BranchExited':
        thread = closeScope(linked, e, 'branch')
        break
      case 'IterationExited':
        thread = closeScope(linked, e, 'iteration')
        break
      default:
        thread = addUnknown(linked, e)
    }
    place.placed(e, thread)
  }

  return {
    add(events) {
      for (const e of events) {
        // One event of a shape nothing expected (a wrong-typed field, say) costs that event, not
        // the failure report: it is counted and the fold goes on.
        try {
          fold(e)
        } catch {
          stats.oddEvents += 1
        }
      }
    },
    result(execution) {
      return buildReport({
        root,
        execution,
        historyStatus: execStatus,
        execEndEventId,
        failureEvents: failureEvents.slice(),
        stats: {
          ...stats,
          unresolvedLinks: place.unresolved,
          guessedPlacements: place.guessed,
          unknownEvents: unknownTotal,
          unknownEventTypes: Object.fromEntries(unknownTypes)
        }
      })
    }
  }
}

function timeOf(e: HistoryEvent): number | undefined {
  return parseTime(e.Time)
}
