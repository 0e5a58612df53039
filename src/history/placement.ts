/**
 * Where an event belongs in the step tree. Nothing public says how the service links events
 * (`ScheduleEventId` is "the ID of the event that triggered the current event"), so links are used
 * only once the history has shown they carry information, and every event can be placed without
 * them (see docs/history-events.md, "When links are missing"):
 *
 * - Links are trusted once one resolves to a known event that is not the event just before it.
 *   A history linked to "the previous event of the whole history", or not linked at all, never
 *   shows that, and a history linked per thread or per trigger shows it at the first interleaving
 *   (a second branch's first event points back at its owner, past the first branch).
 * - Otherwise an event goes to an open step of its `StepName` whose state fits the event (a task
 *   outcome needs a running attempt, a `StepExited` a settled step…), preferring the thread of the
 *   previous event and the threads enclosing it, then the step opened first. A new step enters the
 *   innermost open thread of the previous event; Branch/Iteration events are matched by owner name
 *   and `branchIndex` / `index`.
 * - A choice between two or more candidates is counted as a guess; any guess makes the report
 *   approximate.
 */
import type { HistoryEvent } from '../fnf/types.js'
import { readIndex } from './detail.js'
import { runningAttempt, scopesOutward, type MNode } from './tree.js'

export type ScopeKind = 'branch' | 'iteration'

export function indexOf(e: HistoryEvent, kind: ScopeKind): number | undefined {
  return readIndex(e.EventDetail, kind === 'branch' ? ['branchIndex', 'index'] : ['index'])
}

export class Placement {
  /** EventId → the scope (thread) the event was placed in. */
  private readonly threadOf = new Map<number, MNode>()
  /** Branches and iterations entered and not exited, in the order they were entered. */
  private readonly openScopes = new Set<MNode>()
  /** Steps not yet exited, by name. */
  private readonly openByName = new Map<string, MNode[]>()
  private lastThread: MNode
  private lastEventId = 0
  private lastTime: string | undefined
  /** Whether the event being placed happened at the same instant as the previous one. */
  private sameInstant = false
  private linksInformative = false
  guessed = 0
  unresolved = 0

  constructor(private readonly root: MNode) {
    this.lastThread = root
  }

  seen(eventId: number): boolean {
    return this.threadOf.has(eventId)
  }

  /** Records where an event went; the next event's fallbacks start from there. */
  placed(e: HistoryEvent, thread: MNode): void {
    this.threadOf.set(e.EventId, thread)
    this.lastThread = thread
    this.lastEventId = e.EventId
    this.lastTime = e.Time
  }

  /**
   * The thread the event's link points into, when links are known to be informative; undefined
   * when the event must be placed by the fallbacks. Counts links that resolve to nothing.
   */
  linked(e: HistoryEvent, executionLevel: boolean): MNode | undefined {
    this.sameInstant = e.Time === this.lastTime
    const target = this.threadOf.get(e.ScheduleEventId)
    if (target === undefined) {
      if (!executionLevel) this.unresolved += 1
      return undefined
    }
    if (e.ScheduleEventId !== this.lastEventId) this.linksInformative = true
    return this.linksInformative ? target : undefined
  }

  register(step: MNode): void {
    const list = this.openByName.get(step.name)
    if (list === undefined) this.openByName.set(step.name, [step])
    else list.push(step)
  }

  unregister(step: MNode): void {
    const list = this.openByName.get(step.name)
    if (list === undefined) return
    const i = list.lastIndexOf(step)
    if (i >= 0) list.splice(i, 1)
    if (list.length === 0) this.openByName.delete(step.name)
  }

  /** The innermost scope still open, starting from `scope` and walking outwards. */
  nearestOpen(scope: MNode = this.lastThread): MNode {
    for (const s of scopesOutward(scope)) if (s === this.root || !s.exited) return s
    return this.root
  }

  scopeOpened(scope: MNode): void {
    this.openScopes.add(scope)
  }

  scopeClosed(scope: MNode): void {
    this.openScopes.delete(scope)
  }

  /**
   * The thread a new step (StepEntered) enters: the previous event's thread when it is open and
   * waiting for a step, else the thread entered first that has no step yet, else the innermost
   * open thread around the previous event (a choice's steps run inside it).
   */
  enterThread(linked: MNode | undefined): MNode {
    if (linked !== undefined) return linked
    const here = this.nearestOpen()
    const waiting = [...this.openScopes].filter(
      (s) => s !== here && s.parent?.exited !== true && isReady(s)
    )
    if (waiting.length > 0) this.guessed += 1
    if (here === this.lastThread && isReady(here)) return here
    return waiting.find((s) => s.children.length === 0) ?? here
  }

  /** The step a step-level event (StepStarted, Task*, StepSucceeded/Failed/Exited) belongs to. */
  step(e: HistoryEvent, linked: MNode | undefined): MNode | undefined {
    if (linked !== undefined) {
      const found = this.findFrom(linked, e.StepName)
      if (found !== undefined) return found
    }
    const open = this.openByName.get(e.StepName) ?? []
    const fitting = open.filter((s) => fits(e.Type, s))
    return this.choose(fitting.length > 0 ? fitting : open, (s) => [s])
  }

  /** The parallel/foreach step a BranchEntered/IterationEntered opens a thread of. */
  owner(e: HistoryEvent, linked: MNode | undefined, kind: ScopeKind): MNode | undefined {
    if (linked !== undefined) {
      const found = this.findFrom(linked, e.StepName)
      if (found !== undefined) return found
    }
    const index = indexOf(e, kind)
    const open = (this.openByName.get(e.StepName) ?? []).filter((s) => s.status === 'Running')
    const free = open.filter(
      (s) => index === undefined || !s.children.some((c) => c.kind === kind && c.index === index)
    )
    // Every open owner already has a thread of that index: this one's opening events are missing.
    return this.choose(index === undefined && free.length === 0 ? open : free, (s) => [s])
  }

  /** A node made up for an event whose opening events are missing: where it goes is a guess. */
  madeUp(): void {
    this.guessed += 1
  }

  /** The open branch/iteration a BranchExited/IterationExited closes, if it can be found. */
  scopeToClose(e: HistoryEvent, linked: MNode | undefined, kind: ScopeKind): MNode | undefined {
    if (linked !== undefined) {
      for (const s of scopesOutward(linked)) {
        if (s.kind === kind && s.name === e.StepName && !s.exited) return s
      }
    }
    const index = indexOf(e, kind)
    const scopes: MNode[] = []
    for (const owner of this.openByName.get(e.StepName) ?? []) {
      for (const c of owner.children) {
        if (c.kind === kind && !c.exited && (index === undefined || c.index === index)) {
          scopes.push(c)
        }
      }
    }
    return this.choose(scopes, (s) => (s.parent === undefined ? [s] : [s, s.parent]))
  }

  /**
   * The thread's open step of that name (or its last step if named so), else an enclosing step
   * (a parallel's StepSucceeded may point into its last branch), else any open step of that name.
   */
  private findFrom(thread: MNode, stepName: string): MNode | undefined {
    const own = findInThread(thread, stepName)
    if (own !== undefined) return own
    for (const s of scopesOutward(thread)) {
      const owner = s.parent
      if (owner !== undefined && owner.name === stepName && !owner.exited) return owner
    }
    const open = this.openByName.get(stepName)
    return open?.[open.length - 1]
  }

  /**
   * One of `candidates`: when the event happened at the same instant as the previous one, the one
   * nearest the previous event's thread (a thread's events at one instant tend to follow each
   * other; `near` lists the nodes a candidate is recognised by in the chain of enclosing threads),
   * else the one opened first (equal work ends in the order it began).
   */
  private choose(candidates: MNode[], near: (c: MNode) => MNode[]): MNode | undefined {
    if (candidates.length <= 1) return candidates[0]
    this.guessed += 1
    const chain = this.sameInstant ? scopesOutward(this.lastThread) : []
    for (const s of chain) {
      const hit = candidates.findLast((c) => {
        const marks = near(c)
        return marks.some((m) => m.parent === s || m === s)
      })
      if (hit !== undefined) return hit
      // A step whose own branches the previous event sits in: an owner's end after its last branch.
      const owner = s.parent
      if (owner !== undefined && candidates.includes(owner)) return owner
    }
    return candidates.reduce((a, b) => (b.firstEventId < a.firstEventId ? b : a))
  }
}

/** The thread's open step of that name, or its last step if that has the name. */
export function findInThread(thread: MNode, stepName: string): MNode | undefined {
  const kids = thread.children
  for (let i = kids.length - 1; i >= 0; i--) {
    const k = kids[i]
    if (k !== undefined && k.name === stepName && !k.exited) return k
  }
  const last = kids[kids.length - 1]
  return last !== undefined && last.name === stepName ? last : undefined
}

function isReady(thread: MNode): boolean {
  const last = thread.children[thread.children.length - 1]
  return last === undefined || last.exited
}

/** Whether a step is in a state where an event of this type can come next. */
function fits(type: string, s: MNode): boolean {
  switch (type) {
    case 'StepStarted':
      return !s.started
    case 'TaskScheduled':
      return s.status === 'Running' && runningAttempt(s) === undefined
    case 'TaskStarted':
    case 'TaskSubmitted':
    case 'TaskSucceeded':
    case 'TaskFailed':
    case 'TaskTimedOut':
    case 'TaskSubmitFailed':
      return runningAttempt(s) !== undefined
    case 'StepSucceeded':
    case 'StepFailed':
      return s.status === 'Running'
    case 'StepExited':
      return s.status !== 'Running'
    default:
      return true
  }
}
