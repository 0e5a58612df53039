import { randomUUID } from 'node:crypto'
import type { ExecutionStatus } from './status.js'
import type { Clock } from './clock.js'
import { compileTimeline } from './compile.js'
import { causeText, eventDetail } from './detail.js'
import { renderDefinition } from './definition.js'
import { expressDeadline, expressScript, isExpress } from './express.js'
import type { FlowScript } from './flow-script.js'
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
  /** Started by StartSyncExecution: no API lookup finds it (express executions keep no history). */
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
 * long polls answer at that moment.
 */
export class Store {
  private readonly flows = new Map<string, FlowRecord>()
  private readonly executions = new Map<string, Map<string, ExecutionRecord>>()
  private readonly expressRuns = new Map<string, Map<string, ExecutionRecord>>()
  private readonly waiters = new Map<ExecutionRecord, Set<() => void>>()
  private readonly timers = new Map<ExecutionRecord, NodeJS.Timeout>()

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
    return this.executions.get(flowName)?.get(name)
  }

  /** Executions of a flow, oldest first. */
  list(flowName: string): ExecutionRecord[] {
    return [...(this.executions.get(flowName)?.values() ?? [])]
  }

  /** An express execution, which only tests can look up. */
  expressExecution(flowName: string, name: string): ExecutionRecord | undefined {
    return this.expressRuns.get(flowName)?.get(name)
  }

  /** Express executions of a flow, oldest first (tests only). */
  expressList(flowName: string): ExecutionRecord[] {
    return [...(this.expressRuns.get(flowName)?.values() ?? [])]
  }

  /** Starts an execution now. The caller has checked that the flow exists and the name is free. */
  start(flow: FlowRecord, name: string, input: string, how: StartHow = {}): ExecutionRecord {
    const startedAt = Math.floor(this.clock.now())
    const revision: Revision = how.revision ?? flow
    const { script, definition, version } = revision
    const express = how.express === true
    const timeline = compileTimeline(
      express ? expressScript(script) : script,
      JSON.parse(input),
      startedAt
    )
    const rec: ExecutionRecord = { flow, name, script, definition, input, startedAt, timeline }
    if (version !== undefined) rec.version = version
    if (how.qualifier !== undefined) rec.qualifier = how.qualifier
    if (express) rec.express = true
    if (script.hold === true) {
      rec.held = timeline
      rec.timeline = { events: timeline.events.slice(0, -1), endAt: Infinity, status: 'Stopped' }
      // The service ends an express execution after 5 minutes, held or not.
      if (express) rec.timeline = expressDeadline(rec.timeline, startedAt, script.padBytes ?? 0)
      if (script.stepByStep === true) rec.revealed = 1
    }
    const runs = express ? this.expressRuns : this.executions
    let byName = runs.get(flow.script.name)
    if (!byName) runs.set(flow.script.name, (byName = new Map()))
    byName.set(name, rec)
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
    const at = Math.min(Math.floor(this.clock.now()), rec.timeline.endAt - 1)
    delete rec.held
    delete rec.revealed
    const detail: Record<string, unknown> = {}
    if (error !== undefined) detail.error = error
    if (cause !== undefined) detail.cause = causeText(cause)
    rec.timeline = cutTimeline(rec.timeline, Math.max(at, rec.startedAt), 'Stopped', {
      type: 'ExecutionStopped',
      detail: eventDetail(detail, rec.script.padBytes ?? 0)
    })
    this.ended(rec)
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
    const scripted = rec.held
    if (!scripted || this.isTerminal(rec)) {
      throw new Error(`execution ${rec.flow.script.name}/${rec.name} is not held running`)
    }
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
  }

  /** Calls `cb` once when the execution ends; returns an unsubscribe function. */
  onEnd(rec: ExecutionRecord, cb: () => void): () => void {
    let set = this.waiters.get(rec)
    if (!set) this.waiters.set(rec, (set = new Set()))
    set.add(cb)
    return () => set.delete(cb)
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    this.waiters.clear()
  }

  private armEndTimer(rec: ExecutionRecord): void {
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

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
