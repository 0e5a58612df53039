import { randomBytes } from 'node:crypto'
import { compileTimeline, failingCopy, type MapOutcome } from './compile.js'
import { renderDefinition } from './definition.js'
import { EXPRESS_MAX_MS, expressScript, isExpress } from './express.js'
import type { ChildScript, DistributedMapStep, FlowScript, StepScript } from './flow-script.js'
import { isFailure, planMapRun, type MapRunEnd, type Plan } from './map-run-plan.js'
import type { ExecutionRecord } from './store.js'
import type { Timeline } from './timeline.js'
import type { Revision } from './versions.js'

/**
 * One MapRun of a distributed Map step: its items, the children that have started, and its plan
 * (map-run-plan.ts). Children are created lazily, when someone looks and their planned start has
 * passed, from a timeline compiled once per item; no timer runs per item.
 */

export type MapRunStatus = 'Pending' | MapRunEnd | 'Running'

/** DescribeMapRun's ItemCounts (field names from the DescribeMapRun model). */
export interface ItemCounts {
  Total: number
  Pending: number
  Running: number
  Succeed: number
  Failed: number
  Aborted: number
}

/** What a MapRun needs from the store. */
export interface MapRunHost {
  now(): number
  realDelayUntil(at: number): number
  /**
   * Creates and registers the child of item `index`, started at `startedAt`: it belongs to the
   * parent's flow and runs `revision` (the Map's child script).
   */
  addChild(
    mapRun: MapRun,
    index: number,
    revision: Revision,
    input: string,
    startedAt: number,
    timeline: Timeline
  ): ExecutionRecord
  /** Ends a running child at `at` (not after now) with ExecutionStopped {error, cause}. */
  stopChild(rec: ExecutionRecord, at: number, error: string, cause: string): void
  /** The MapRun's outcome changed: the parent's timeline must be compiled again. */
  outcomeChanged(mapRun: MapRun): void
}

export const DEFAULT_CONCURRENCY = 100
export const DEFAULT_MAX_ITEMS = 10_000
export const MAX_ITEMS_ON_REQUEST = 1_000_000
export const MAP_RUN_FAILED = 'FnF.MapRunFailed'
/** The error of children stopped because their MapRun ended (emulator choice). */
export const MAP_RUN_ABORTED = 'FnF.MapRunAborted'

export class MapRun {
  readonly name = generatedName()
  /** Emulated ms of MapRunStarted. */
  readonly startedAt: number
  readonly total: number
  readonly concurrency: number
  readonly express: boolean
  private readonly childStart: number
  private abortAt: number
  private readonly admissions: { upTo: number; at: number }[] = []
  private readonly scripts: (ChildScript | undefined)[] = []
  private readonly templates: (Timeline | undefined)[] = []
  private readonly revisions = new WeakMap<ChildScript, Revision>()
  /** The children that have started, by item index (a prefix of the items). */
  private readonly started: ExecutionRecord[] = []
  private plan: Plan
  private cut = false
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly host: MapRunHost,
    readonly parent: ExecutionRecord,
    readonly step: DistributedMapStep,
    at: number,
    /** The parent's own deadline (its flow's timeoutMs): the MapRun is aborted then. */
    deadline: number
  ) {
    this.startedAt = at
    this.total = step.items
    this.concurrency = step.concurrency ?? DEFAULT_CONCURRENCY
    this.express = step.childMode === 'express'
    this.childStart = at + (step.pendingMs ?? 0)
    this.abortAt = deadline
    this.plan = this.replan()
    this.armTimer()
  }

  /** ToleratedFailedCount / ToleratedFailedPercentage as DescribeMapRun reports them (0: unset). */
  get tolerated(): { count: number; percentage: number } {
    return {
      count: this.step.toleratedFailureCount ?? 0,
      percentage: this.step.toleratedFailurePercentage ?? 0
    }
  }

  /** Express children the API does not know besides ListExecutions (`expressChildren`). */
  get hidesChildren(): boolean {
    return this.express && this.step.expressChildren === 'not-found'
  }

  childName(index: number): string {
    return `${this.name}-${index}`
  }

  /** What the parent's compile needs: Infinity while it has not ended or when it was aborted. */
  outcomeForParent(): MapOutcome {
    const o = this.plan.outcome
    if (!o || o.status === 'Aborted') return { ok: true, at: Infinity }
    if (o.status === 'Succeeded') return { ok: true, at: o.at }
    const failure = this.step.failure ?? {}
    return {
      ok: false,
      at: o.at,
      error: failure.error ?? MAP_RUN_FAILED,
      cause: failure.cause ?? this.failureCause(o.at),
      mapRunFailedEvent: failure.mapRunFailedEvent === true
    }
  }

  /** Creates the children whose start has passed, and stops those running when the MapRun ended. */
  sync(now = this.host.now()): void {
    const { start } = this.plan
    for (let i = this.started.length; i < this.total && (start[i] ?? Infinity) <= now; i++) {
      this.started.push(this.materialize(i, start[i] ?? now))
    }
    const o = this.plan.outcome
    if (this.cut || !o || o.at > now) return
    this.cut = true
    if (o.status === 'Succeeded') return
    const cause = `MapRun ${this.name} ${o.status === 'Failed' ? 'failed' : 'was aborted'}`
    for (const child of this.started) {
      if (child.timeline.endAt > o.at) this.host.stopChild(child, o.at, MAP_RUN_ABORTED, cause)
    }
  }

  /** The children that have started, in item order. */
  children(now = this.host.now()): readonly ExecutionRecord[] {
    this.sync(now)
    return this.started
  }

  status(now = this.host.now()): MapRunStatus {
    const o = this.plan.outcome
    if (o && o.at <= now) return o.status
    return (this.plan.start[0] ?? Infinity) > now ? 'Pending' : 'Running'
  }

  /** Emulated ms the MapRun ended, once it has. */
  stoppedAt(now = this.host.now()): number | undefined {
    const o = this.plan.outcome
    return o && o.at <= now ? o.at : undefined
  }

  counts(now = this.host.now()): ItemCounts {
    const c: ItemCounts = {
      Total: this.total,
      Pending: 0,
      Running: 0,
      Succeed: 0,
      Failed: 0,
      Aborted: 0
    }
    const { start, end, status, outcome } = this.plan
    const runEnd = outcome?.at ?? Infinity
    const over = runEnd <= now
    for (let i = 0; i < this.total; i++) {
      const s = start[i] ?? Infinity
      const e = end[i] ?? Infinity
      if (s > now) c[over ? 'Aborted' : 'Pending']++
      else if (e > runEnd) c[over ? 'Aborted' : 'Running']++
      else if (e > now) c.Running++
      else {
        const st = status[i]
        c[st === 'Succeeded' ? 'Succeed' : st === 'Stopped' ? 'Aborted' : 'Failed']++
      }
    }
    return c
  }

  /** Lets `count` more held items start (holdItems). */
  admit(count: number): void {
    if (this.step.holdItems !== true) throw new Error(`MapRun ${this.name} does not hold its items`)
    if (!Number.isInteger(count) || count < 0) throw new Error(`admit ${count} items?`)
    const upTo = (this.admissions.at(-1)?.upTo ?? 0) + count
    this.admissions.push({ upTo, at: this.host.now() })
    this.changed()
  }

  /** The parent ended at `at` (stopped, released): a MapRun still running then is aborted. */
  abort(at: number): void {
    if (at >= this.abortAt) return
    this.abortAt = at
    this.changed()
  }

  /** A child was released or stopped just now, or items were admitted: plan again. */
  changed(): void {
    const now = this.host.now()
    const before = this.plan.outcome
    if (before && before.at <= now) return
    this.plan = this.replan()
    this.sync(now)
    this.armTimer()
    const after = this.plan.outcome
    if (before?.at !== after?.at || before?.status !== after?.status) this.host.outcomeChanged(this)
  }

  /** The parent no longer reaches this MapRun (its plan changed before it started). */
  dispose(): void {
    clearTimeout(this.timer)
  }

  private replan(): Plan {
    return planMapRun({
      startAt: this.childStart,
      total: this.total,
      concurrency: this.concurrency,
      toleratedCount: this.step.toleratedFailureCount,
      toleratedPercentage: this.step.toleratedFailurePercentage,
      failFast: this.step.failFast !== false,
      abortAt: this.abortAt,
      admitAt: (i) => this.admitAt(i),
      endOf: (i, t) => {
        const child = this.started[i]
        if (child) return { at: child.timeline.endAt, status: child.timeline.status }
        const tpl = this.template(i)
        if (this.script(i).hold !== true) return { at: t + tpl.endAt, status: tpl.status }
        // Held until the test releases it; an express child still ends after 5 minutes (store.ts).
        return this.express
          ? { at: t + EXPRESS_MAX_MS, status: 'TimedOut' }
          : { at: Infinity, status: tpl.status }
      }
    })
  }

  private admitAt(index: number): number {
    if (this.step.holdItems !== true) return -Infinity
    return this.admissions.find((a) => a.upTo > index)?.at ?? Infinity
  }

  /** Children whose MapRun fails or is aborted later must be stopped then, even unobserved. */
  private armTimer(): void {
    clearTimeout(this.timer)
    const o = this.plan.outcome
    if (!o || o.status === 'Succeeded' || this.cut) return
    const fire = (): void => {
      if (this.host.now() < o.at) return this.armTimer()
      this.sync()
    }
    const delay = Math.min(Math.ceil(this.host.realDelayUntil(o.at)), 2 ** 31 - 1)
    this.timer = setTimeout(fire, delay)
    this.timer.unref()
  }

  private failureCause(at: number): string {
    const failed = this.countFailedBy(at)
    const { count, percentage } = this.tolerated
    return (
      `MapRun ${this.name} failed: ${failed} of ${this.total} items failed; ` +
      `tolerated: ${count} items, ${percentage}%`
    )
  }

  private countFailedBy(at: number): number {
    const { start, end, status } = this.plan
    let failed = 0
    for (let i = 0; i < this.total; i++) {
      if ((start[i] ?? Infinity) <= at && (end[i] ?? Infinity) <= at && isFailure(status[i])) {
        failed++
      }
    }
    return failed
  }

  private script(index: number): ChildScript {
    let script = this.scripts[index]
    if (!script) {
      const child = this.step.child
      script = typeof child === 'function' ? child(index) : child
      if (script.steps.some((s) => s.type === 'map')) {
        throw new Error(`MapRun ${this.name}: item ${index}: a child cannot run a distributed Map`)
      }
      const failAt = this.step.failAt
      if (failAt?.items.includes(index)) {
        script = { ...script, steps: failingCopy(script.steps, failAt, `item ${index}`) }
      }
      this.scripts[index] = script
    }
    return script
  }

  private input(index: number): string {
    const value = this.step.itemInput ? this.step.itemInput(index) : { index }
    return JSON.stringify(value ?? {})
  }

  /** The item's timeline as if it started at 0 (compile is shift-invariant). */
  private template(index: number): Timeline {
    let tpl = this.templates[index]
    if (!tpl) {
      const script = this.revision(this.script(index)).script
      // An express child runs within the 5 minutes of any express execution (express.ts).
      tpl = compileTimeline(
        this.express ? expressScript(script) : script,
        JSON.parse(this.input(index)),
        0
      )
      this.templates[index] = tpl
    }
    return tpl
  }

  private materialize(index: number, at: number): ExecutionRecord {
    const tpl = this.template(index)
    // The template has done its job; the child keeps its own copy.
    this.templates[index] = undefined
    const timeline: Timeline = {
      ...tpl,
      events: tpl.events.map((e) => ({ ...e, at: e.at + at })),
      endAt: tpl.endAt + at
    }
    const revision = this.revision(this.script(index))
    return this.host.addChild(this, index, revision, this.input(index), at, timeline)
  }

  /**
   * What a child runs: the child script under the parent's flow name (emulator choice), with its own
   * definition, rendered as CloudFlow.
   */
  private revision(child: ChildScript): Revision {
    let revision = this.revisions.get(child)
    if (!revision) {
      const script: FlowScript = { ...child, name: this.parent.flow.script.name, spec: 'cloudflow' }
      revision = { script, definition: renderDefinition(script) }
      this.revisions.set(child, revision)
    }
    return revision
  }
}

/**
 * Throws for a distributed Map the emulator cannot run: one below the top level, inside a child or
 * in an express flow (emulator limits), or a number out of the documented ranges.
 */
export function checkDistributedMaps(flow: FlowScript): void {
  const nested = (steps: StepScript[], where: string): void => {
    for (const s of steps) {
      if (s.type === 'map') {
        throw new Error(`flow ${flow.name}: distributed Map ${s.name} ${where} (emulator limit)`)
      }
      if (s.type === 'parallel' || s.type === 'choice') for (const b of s.branches) nested(b, where)
      if (s.type === 'foreach') nested(s.steps, where)
    }
  }
  if (isExpress(flow) && flow.steps.some((s) => s.type === 'map')) {
    // No API finds an express execution, so nothing could describe its MapRun or list its children.
    throw new Error(
      `flow ${flow.name}: a distributed Map runs only in a standard flow (emulator limit)`
    )
  }
  for (const s of flow.steps) {
    if (s.type === 'parallel' || s.type === 'choice') {
      for (const b of s.branches) nested(b, 'must be at the top level of the flow')
    }
    if (s.type === 'foreach') nested(s.steps, 'must be at the top level of the flow')
    if (s.type !== 'map') continue
    const where = `flow ${flow.name}: distributed Map ${s.name}`
    const maxItems = s.maxItems ?? DEFAULT_MAX_ITEMS
    checkInt(`${where}: maxItems`, maxItems, 1, MAX_ITEMS_ON_REQUEST)
    checkInt(`${where}: items`, s.items, 0, maxItems)
    checkInt(`${where}: concurrency`, s.concurrency ?? DEFAULT_CONCURRENCY, 1, Infinity)
    checkInt(`${where}: toleratedFailureCount`, s.toleratedFailureCount ?? 0, 0, Infinity)
    const pct = s.toleratedFailurePercentage ?? 0
    if (!(pct >= 0 && pct <= 100)) {
      throw new Error(`${where}: toleratedFailurePercentage must be in 0-100, got ${pct}`)
    }
    for (const i of s.failAt?.items ?? []) checkInt(`${where}: failAt item`, i, 0, s.items - 1)
    if (typeof s.child !== 'function') nested(s.child.steps, 'cannot run inside a child')
  }
}

function checkInt(what: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${what} must be an integer in ${min}-${max}, got ${value}`)
  }
}

/** 32 hex digits, like the API page's example, a letter first so that it passes the name rule. */
function generatedName(): string {
  for (;;) {
    const name = randomBytes(16).toString('hex')
    if (/^[a-f]/.test(name)) return name
  }
}
