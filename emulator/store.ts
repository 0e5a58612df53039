import { randomUUID } from 'node:crypto'
import type { ExecutionStatus } from './status.js'
import type { Clock } from './clock.js'
import { compileTimeline, type MapRunner } from './compile.js'
import { causeText, eventDetail } from './detail.js'
import { renderDefinition } from './definition.js'
import { expressDeadline, expressScript, isExpress } from './express.js'
import type { FlowScript } from './flow-script.js'
import { checkDistributedMaps, MapRun, type MapRunHost } from './map-run.js'
import { cutTimeline, type EndStatus, type Timeline } from './timeline.js'
import {
  emptyPublished,
  publish,
  type FlowVersionRecord,
  type Published,
  type Revision
} from './versions.js'

/** A flow: its latest definition (`script`, `definition`), versions and aliases. */
export interface FlowRecord {
  script: FlowScript
  id: string
  definition: string
  /** Emulated ms. */
  createdAt: number
  /** Emulated ms: when the latest definition was last replaced. */
  modifiedAt: number
  published: Published
}

/** How an execution starts. Default: the flow's latest definition, by StartExecution. */
export interface StartHow {
  revision?: Revision
  qualifier?: string | undefined
  express?: boolean
}

export interface ExecutionRecord {
  flow: FlowRecord
  name: string
  /**
   * What it runs: the definition is saved when the execution starts, so a later change to the flow
   * does not affect it (help.aliyun.com/en/document_detail/2505350.html, "FlowDefinition").
   */
  script: FlowScript
  definition: string
  /** The version it runs; absent: the latest definition. No response says (tests only). */
  version?: string
  /** The Qualifier it was started with. */
  qualifier?: string
  /**
   * Runs in express mode (at most 5 minutes, no history). Started by StartSyncExecution, it is kept
   * apart and no API lookup finds it; a child of an express MapRun (`item`) is found through its
   * MapRun instead (README, "Distributed Map").
   */
  express?: boolean
  /** The Input as a JSON object string. */
  input: string
  /** Emulated ms (StartedTime). */
  startedAt: number
  timeline: Timeline
  /**
   * Set while a held execution waits for `release`: its scripted timeline (the terminal event
   * included), from which `release` keeps the events that have happened. `timeline` meanwhile has
   * no terminal event and never ends.
   */
  held?: Timeline
  /** Events the history may show (`stepByStep`); unset: all that have happened. */
  revealed?: number
  /** A child of a distributed Map: its MapRun and item. */
  item?: { mapRun: MapRun; index: number }
  /** The MapRuns this execution has started or will start, in step order. */
  mapRuns?: MapRun[]
}

/** How a test ends a held execution. */
export interface ReleaseEnd {
  /** Default: how the script would have ended it. */
  status?: EndStatus
  /** Output of a Succeeded execution (serialized as JSON; a string is used as is). Default: the script's. */
  output?: unknown
  /** Error and cause of a Failed, TimedOut or Stopped execution. */
  error?: string
  cause?: string | Record<string, unknown>
}

const TERMINAL_EVENT: Record<EndStatus, string> = {
  Succeeded: 'ExecutionSucceeded',
  Failed: 'ExecutionFailed',
  TimedOut: 'ExecutionTimedOut',
  Stopped: 'ExecutionStopped'
}

/**
 * Flows and executions, and the one timer per running execution that fires when it ends so that
 * long polls answer at that moment (armed when the execution starts, or for a MapRun's child when
 * someone waits for it). Each execution keeps what it runs (`script`, `definition`). Express
 * executions StartSyncExecution starts are kept apart (`expressRuns`), out of every API lookup.
 * MapRuns (map-run.ts) create their children here, express ones included, among the executions
 * the API finds.
 */
export class Store {
  private readonly flows = new Map<string, FlowRecord>()
  private readonly executions = new Map<string, Map<string, ExecutionRecord>>()
  private readonly expressRuns = new Map<string, Map<string, ExecutionRecord>>()
  private readonly waiters = new Map<ExecutionRecord, Set<() => void>>()
  private readonly timers = new Map<ExecutionRecord, NodeJS.Timeout>()
  /** MapRuns by flow name, then MapRunName. */
  private readonly mapRuns = new Map<string, Map<string, MapRun>>()
  private readonly host: MapRunHost = {
    now: () => this.clock.now(),
    realDelayUntil: (at) => this.clock.realDelayUntil(at),
    addChild: (mapRun, index, { script, definition }, input, startedAt, timeline) => {
      const rec: ExecutionRecord = {
        // A child belongs to its parent's flow and runs the Map's child script (emulator choice).
        flow: mapRun.parent.flow,
        name: mapRun.childName(index),
        script,
        definition,
        input,
        startedAt,
        timeline,
        item: { mapRun, index }
      }
      if (mapRun.express) rec.express = true
      this.setTimeline(rec, timeline)
      // Not with StartSyncExecution's express executions: the API finds children (README).
      this.insert(this.executions, rec)
      return rec
    },
    stopChild: (rec, at, error, cause) => this.cut(rec, at, error, cause),
    outcomeChanged: (mapRun) => this.recompile(mapRun.parent)
  }

  /**
   * `random` draws the version of each execution started through a weighted alias (in [0, 1);
   * EmulatorOptions.random).
   */
  constructor(
    private readonly clock: Clock,
    readonly random: () => number = Math.random
  ) {}

  /** Adds a flow, or replaces its latest definition (its versions and aliases stay). */
  addFlow(script: FlowScript): FlowRecord {
    checkDistributedMaps(script)
    const now = Math.floor(this.clock.now())
    const previous = this.flows.get(script.name)
    if (previous && isExpress(previous.script) !== isExpress(script)) {
      // UpdateFlow has no ExecutionMode: a flow keeps the mode it was created with.
      throw new Error(`flow ${script.name}: the execution mode of a flow cannot change`)
    }
    const flow: FlowRecord = {
      script,
      id: previous?.id ?? randomUUID(),
      definition: script.definition ?? renderDefinition(script),
      createdAt: previous?.createdAt ?? now,
      modifiedAt: now,
      published: previous?.published ?? emptyPublished()
    }
    this.flows.set(script.name, flow)
    return flow
  }

  /** PublishFlowVersion: the latest definition becomes the next version. */
  publish(flow: FlowRecord, description: string): FlowVersionRecord {
    return publish(flow.published, flow, description, Math.floor(this.clock.now()))
  }

  flow(name: string): FlowRecord | undefined {
    return this.flows.get(name)
  }

  execution(flowName: string, name: string): ExecutionRecord | undefined {
    this.syncMapRuns(flowName)
    return this.executions.get(flowName)?.get(name)
  }

  /** Executions of a flow (MapRun children included), oldest first. */
  list(flowName: string): ExecutionRecord[] {
    this.syncMapRuns(flowName)
    return [...(this.executions.get(flowName)?.values() ?? [])]
  }

  /** An express execution started by StartSyncExecution, which only tests can look up. */
  expressExecution(flowName: string, name: string): ExecutionRecord | undefined {
    return this.expressRuns.get(flowName)?.get(name)
  }

  /** Express executions of a flow started by StartSyncExecution, oldest first (tests only). */
  expressList(flowName: string): ExecutionRecord[] {
    return [...(this.expressRuns.get(flowName)?.values() ?? [])]
  }

  /** A MapRun of the flow, once its MapRunStarted has happened. */
  mapRun(flowName: string, mapRunName: string): MapRun | undefined {
    const mapRun = this.mapRuns.get(flowName)?.get(mapRunName)
    return mapRun && mapRun.startedAt <= this.clock.now() ? mapRun : undefined
  }

  /** Starts an execution now. The caller has checked that the flow exists and the name is free. */
  start(flow: FlowRecord, name: string, input: string, how: StartHow = {}): ExecutionRecord {
    const startedAt = Math.floor(this.clock.now())
    const revision: Revision = how.revision ?? flow
    const { script, definition, version } = revision
    const rec: ExecutionRecord = {
      flow,
      name,
      script,
      definition,
      input,
      startedAt,
      timeline: NOT_COMPILED
    }
    if (version !== undefined) rec.version = version
    if (how.qualifier !== undefined) rec.qualifier = how.qualifier
    if (how.express === true) rec.express = true
    this.compile(rec)
    this.insert(rec.express === true ? this.expressRuns : this.executions, rec)
    this.armEndTimer(rec)
    return rec
  }

  status(rec: ExecutionRecord, now = this.clock.now()): ExecutionStatus {
    if (now >= rec.timeline.endAt) return rec.timeline.status
    return now < rec.startedAt + (rec.script.startingMs ?? 0) ? 'Starting' : 'Running'
  }

  isTerminal(rec: ExecutionRecord): boolean {
    return this.clock.now() >= rec.timeline.endAt
  }

  /** Stops a running execution now: events up to now stay, then ExecutionStopped. */
  stop(rec: ExecutionRecord, error: string | undefined, cause: string | undefined): void {
    this.afterEnd(rec, this.cut(rec, this.clock.now(), error, cause))
  }

  /** Reveals a `stepByStep` execution's events up to the next `StepStarted` of `step`. */
  advance(rec: ExecutionRecord, step: string): void {
    const from = rec.revealed
    if (from === undefined) {
      throw new Error(`execution ${rec.flow.script.name}/${rec.name} is not held step by step`)
    }
    const at = rec.timeline.events.findIndex(
      (e, i) => i >= from && e.type === 'StepStarted' && e.stepName === step
    )
    if (at < 0) throw new Error(`no StepStarted of ${step} after event ${from}`)
    rec.revealed = at + 1
  }

  /** Ends a held execution now, as `end` says. Throws unless it is held and still running. */
  release(rec: ExecutionRecord, end: ReleaseEnd = {}): void {
    this.afterEnd(rec, this.endHeld(rec, end))
  }

  /**
   * Releases held children of one MapRun at once (`end` as in release), then plans the MapRun
   * once. Throws before releasing anything if one of them is not held and running.
   */
  releaseItems(mapRun: MapRun, children: readonly ExecutionRecord[], end: ReleaseEnd = {}): void {
    for (const rec of children) this.checkHeld(rec)
    for (const rec of children) this.endHeld(rec, end)
    mapRun.changed()
  }

  private checkHeld(rec: ExecutionRecord): void {
    if (!rec.held || this.isTerminal(rec)) {
      throw new Error(`execution ${rec.flow.script.name}/${rec.name} is not held running`)
    }
  }

  /** Ends a held execution now; returns when. */
  private endHeld(rec: ExecutionRecord, end: ReleaseEnd): number {
    this.checkHeld(rec)
    const scripted = rec.held ?? rec.timeline
    const status = end.status ?? scripted.status
    const at = Math.max(Math.floor(this.clock.now()), rec.startedAt)
    const pad = rec.script.padBytes ?? 0
    let output: string | undefined
    const detail: Record<string, unknown> = {}
    if (status === 'Succeeded') {
      output =
        end.output === undefined
          ? (scripted.output ?? '{}')
          : typeof end.output === 'string'
            ? end.output
            : JSON.stringify(end.output)
      detail.output = safeParse(output)
    } else {
      if (end.error !== undefined) detail.error = end.error
      if (end.cause !== undefined) detail.cause = causeText(end.cause)
    }
    const timeline = cutTimeline(rec.timeline, at, status, {
      type: TERMINAL_EVENT[status],
      detail: eventDetail(detail, pad)
    })
    rec.timeline = output === undefined ? timeline : { ...timeline, output }
    delete rec.held
    delete rec.revealed
    this.ended(rec)
    return at
  }

  /** Calls `cb` once when the execution ends; returns an unsubscribe function. */
  onEnd(rec: ExecutionRecord, cb: () => void): () => void {
    let set = this.waiters.get(rec)
    if (!set) this.waiters.set(rec, (set = new Set()))
    set.add(cb)
    if (!this.timers.has(rec)) this.armEndTimer(rec)
    return () => set.delete(cb)
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    this.waiters.clear()
    for (const byName of this.mapRuns.values()) for (const m of byName.values()) m.dispose()
  }

  /** Ends a running execution at `at` (not later than now) with ExecutionStopped; returns when. */
  private cut(
    rec: ExecutionRecord,
    when: number,
    error: string | undefined,
    cause: string | undefined
  ): number {
    const at = Math.max(Math.min(Math.floor(when), rec.timeline.endAt - 1), rec.startedAt)
    delete rec.held
    delete rec.revealed
    const detail: Record<string, unknown> = {}
    if (error !== undefined) detail.error = error
    if (cause !== undefined) detail.cause = causeText(cause)
    rec.timeline = cutTimeline(rec.timeline, at, 'Stopped', {
      type: 'ExecutionStopped',
      detail: eventDetail(detail, rec.script.padBytes ?? 0)
    })
    this.ended(rec)
    return at
  }

  /**
   * An execution ended at `at` (StopExecution, release): the MapRun it is a child of, or the
   * MapRuns it started, hear of it.
   */
  private afterEnd(rec: ExecutionRecord, at: number): void {
    rec.item?.mapRun.changed()
    const runs = rec.mapRuns ?? []
    // A MapRun the parent had not started yet never will.
    const unstarted = runs.findIndex((m) => m.startedAt > at)
    if (unstarted >= 0) this.dropMapRuns(rec, unstarted)
    for (const m of runs) m.abort(at)
  }

  private compile(rec: ExecutionRecord): void {
    const script = runScript(rec)
    const runner = script.steps.some((s) => s.type === 'map') ? this.mapRunner(rec) : undefined
    const timeline = compileTimeline(script, JSON.parse(rec.input), rec.startedAt, runner)
    // MapRuns the execution no longer reaches, or that would start after it has ended.
    const reached = runner?.reached ?? 0
    const gone = (rec.mapRuns ?? []).findIndex(
      (m, i) => i >= reached || m.startedAt > timeline.endAt
    )
    if (gone >= 0) this.dropMapRuns(rec, gone)
    this.setTimeline(rec, timeline)
  }

  /** The MapRuns of one execution, the same ones each time it is compiled again. */
  private mapRunner(rec: ExecutionRecord): MapRunner & { reached: number } {
    const timeoutMs = runScript(rec).timeoutMs
    const deadline = timeoutMs === undefined ? Infinity : rec.startedAt + timeoutMs
    const runs = (rec.mapRuns ??= [])
    const runner = {
      reached: 0,
      run: (step: Parameters<MapRunner['run']>[0], at: number) => {
        const i = runner.reached++
        // An earlier MapRun now ends at another moment: this one has not started, start it anew.
        if (runs[i] && runs[i].startedAt !== at) this.dropMapRuns(rec, i)
        let mapRun = runs[i]
        if (!mapRun) {
          mapRun = new MapRun(this.host, rec, step, at, deadline)
          runs.push(mapRun)
          let byName = this.mapRuns.get(rec.flow.script.name)
          if (!byName) this.mapRuns.set(rec.flow.script.name, (byName = new Map()))
          byName.set(mapRun.name, mapRun)
        }
        return { name: mapRun.name, outcome: mapRun.outcomeForParent() }
      }
    }
    return runner
  }

  private dropMapRuns(rec: ExecutionRecord, from: number): void {
    for (const m of rec.mapRuns?.splice(from) ?? []) {
      m.dispose()
      this.mapRuns.get(rec.flow.script.name)?.delete(m.name)
    }
  }

  /** A MapRun's outcome changed: the parent, still running, goes on from it. */
  private recompile(rec: ExecutionRecord): void {
    if (this.isTerminal(rec)) return
    this.compile(rec)
    this.armEndTimer(rec)
  }

  private setTimeline(rec: ExecutionRecord, timeline: Timeline): void {
    const { script } = rec
    if (script.hold !== true) {
      rec.timeline = timeline
      return
    }
    rec.held = timeline
    rec.timeline = { events: timeline.events.slice(0, -1), endAt: Infinity, status: 'Stopped' }
    // The service ends an express execution after 5 minutes, held or not.
    if (rec.express === true) {
      rec.timeline = expressDeadline(rec.timeline, rec.startedAt, script.padBytes ?? 0)
    }
    if (script.stepByStep === true) rec.revealed ??= 1
  }

  private insert(runs: Map<string, Map<string, ExecutionRecord>>, rec: ExecutionRecord): void {
    let byName = runs.get(rec.flow.script.name)
    if (!byName) runs.set(rec.flow.script.name, (byName = new Map()))
    byName.set(rec.name, rec)
  }

  private syncMapRuns(flowName: string): void {
    const byName = this.mapRuns.get(flowName)
    if (!byName) return
    const now = this.clock.now()
    for (const m of byName.values()) m.sync(now)
  }

  private armEndTimer(rec: ExecutionRecord): void {
    clearTimeout(this.timers.get(rec))
    this.timers.delete(rec)
    // A held execution ends only on release or stop.
    if (rec.timeline.endAt === Infinity) return
    const fire = (): void => {
      // Timers may fire a hair early against the emulated clock; never announce an end too soon.
      if (!this.isTerminal(rec)) return this.armEndTimer(rec)
      this.ended(rec)
    }
    // setTimeout overflows above 2^31-1 ms; a very long execution simply re-arms.
    const delay = Math.min(Math.ceil(this.clock.realDelayUntil(rec.timeline.endAt)), 2 ** 31 - 1)
    const timer = setTimeout(fire, delay)
    timer.unref()
    this.timers.set(rec, timer)
  }

  private ended(rec: ExecutionRecord): void {
    const timer = this.timers.get(rec)
    if (timer) clearTimeout(timer)
    this.timers.delete(rec)
    const set = this.waiters.get(rec)
    this.waiters.delete(rec)
    for (const cb of set ?? []) cb()
  }
}

const NOT_COMPILED: Timeline = { events: [], endAt: Infinity, status: 'Stopped' }

/** The script as the execution runs it: an express one within its 5 minutes. */
function runScript(rec: ExecutionRecord): FlowScript {
  return rec.express === true ? expressScript(rec.script) : rec.script
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
