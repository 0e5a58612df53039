import { causeText, eventDetail } from './detail.js'
import type {
  DistributedMapStep,
  FlowScript,
  Linking,
  ForeachStep,
  ParallelStep,
  StepError,
  StepScript,
  TaskStep
} from './flow-script.js'
import { cutTimeline, type Timeline, type TimelineEvent } from './timeline.js'

/**
 * How a distributed Map ended, as far as its parent can know when compiling: `at` is Infinity while
 * the MapRun has not ended (or never will for the parent: it was aborted), so nothing after it
 * happens yet.
 */
export type MapOutcome =
  | { ok: true; at: number }
  | { ok: false; at: number; error: string; cause: string; mapRunFailedEvent: boolean }

/** Runs the distributed Maps of one execution (map-run.ts): called once per Map step, in order. */
export interface MapRunner {
  run(step: DistributedMapStep, at: number): { name: string; outcome: MapOutcome }
}

/**
 * Compiles a flow script into the full timeline of one execution, following
 * docs/history-events.md: events in time order, one thread per parallel branch and per foreach
 * iteration, ScheduleEventId as the script's `linking` says (default: previous event of the same
 * thread). A script with distributed Maps needs `maps`; compiling again with the same runner gives
 * the same events up to where a MapRun's outcome changed.
 */
export function compileTimeline(
  flow: FlowScript,
  input: unknown,
  startedAt: number,
  maps?: MapRunner
): Timeline {
  return new Compiler(flow, maps).run(input, startedAt)
}

interface RawEvent {
  type: string
  stepName: string
  at: number
  detail: string
  thread: number
  prev: RawEvent | undefined
  /** The event that triggered this one, for `linking: 'trigger'` (else `prev`). */
  trigger: RawEvent | undefined
  /** Emission order, to keep ties in a stable order. */
  seq: number
  id?: number
}

interface Thread {
  id: number
  last: RawEvent | undefined
  /** StepStarted of the steps open in this thread (a choice's steps nest in its thread). */
  started?: RawEvent[]
  scheduled?: RawEvent
}

/** Events that follow a task's TaskScheduled (their trigger under the `trigger` linking). */
export const TASK_OUTCOMES: ReadonlySet<string> = new Set([
  'TaskStarted',
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut',
  'TaskSubmitFailed'
])

type Outcome =
  | { ok: true; at: number; output: unknown }
  | { ok: false; at: number; error: string; cause: string }

const DEFAULT_RETRY_ERROR: StepError = {
  error: 'FC.ServiceUnavailable',
  cause: 'The service is temporarily unavailable. Please retry.'
}
const TASK_TIMEOUT_ERROR = 'FnF.TaskTimeout'
const FLOW_TIMEOUT_ERROR = 'FnF.Timeout'

class Compiler {
  private seq = 0
  private threads = 0

  constructor(
    private readonly flow: FlowScript,
    private readonly maps: MapRunner | undefined
  ) {}

  run(input: unknown, startedAt: number): Timeline {
    const flowPad = this.flow.padBytes ?? 0
    const events: RawEvent[] = []
    const root: Thread = { id: this.threads++, last: undefined }
    const begin = startedAt + (this.flow.startingMs ?? 0)
    this.emit(events, root, 'ExecutionStarted', '', begin, { input }, flowPad)
    const outcome = this.steps(this.flow.steps, input, begin, root, events, flowPad)
    let output: string | undefined
    if (outcome.ok) {
      output = this.flowOutput(input, outcome.output)
      this.emit(
        events,
        root,
        'ExecutionSucceeded',
        '',
        outcome.at,
        { output: safeParse(output) },
        flowPad
      )
    } else {
      const detail = { error: outcome.error, cause: outcome.cause }
      this.emit(events, root, 'ExecutionFailed', '', outcome.at, detail, flowPad)
    }
    const linking = this.flow.linking ?? 'thread'
    const status = outcome.ok ? 'Succeeded' : 'Failed'
    const timeline = finalize(events, status, outcome.at, output, linking)
    const timeoutMs = this.flow.timeoutMs
    if (timeoutMs === undefined || outcome.at <= startedAt + timeoutMs) return timeline
    return timedOut(timeline, startedAt, timeoutMs, flowPad)
  }

  private flowOutput(input: unknown, last: unknown): string {
    const spec = this.flow.output
    const value = typeof spec === 'function' ? (spec as (i: unknown) => unknown)(input) : spec
    if (value === undefined) return JSON.stringify(last ?? {})
    return typeof value === 'string' ? value : JSON.stringify(value)
  }

  private emit(
    buf: RawEvent[],
    thread: Thread,
    type: string,
    stepName: string,
    at: number,
    /** A string is the EventDetail exactly as given. */
    detail: Record<string, unknown> | string,
    pad: number
  ): RawEvent {
    const text = typeof detail === 'string' ? detail : eventDetail(detail, pad)
    const ev: RawEvent = {
      type,
      stepName,
      at,
      detail: text,
      thread: thread.id,
      prev: thread.last,
      trigger: thread.last,
      seq: this.seq++
    }
    thread.last = ev
    const started = (thread.started ??= [])
    if (type === 'StepStarted') started.push(ev)
    else if (type === 'TaskScheduled') thread.scheduled = ev
    else if (TASK_OUTCOMES.has(type)) ev.trigger = thread.scheduled ?? ev.prev
    else if (type === 'StepSucceeded' || type === 'StepFailed')
      ev.trigger = started.pop() ?? ev.prev
    buf.push(ev)
    return ev
  }

  private steps(
    steps: StepScript[],
    input: unknown,
    at: number,
    thread: Thread,
    buf: RawEvent[],
    pad: number
  ): Outcome {
    let data = input
    let now = at
    for (const step of steps) {
      const outcome = this.step(step, data, now, thread, buf, pad)
      if (!outcome.ok) return outcome
      data = outcome.output
      now = outcome.at
    }
    return { ok: true, at: now, output: data }
  }

  private step(
    step: StepScript,
    input: unknown,
    at: number,
    thread: Thread,
    buf: RawEvent[],
    inheritedPad: number
  ): Outcome {
    const pad = step.padBytes ?? inheritedPad
    const name = step.name
    if (step.type === 'custom') {
      let now = at
      for (const ev of step.events) {
        now += ev.afterMs ?? 0
        const detail = ev.rawDetail ?? toRecord(ev.detail ?? {})
        this.emit(buf, thread, ev.type, name, now, detail, pad)
      }
      return { ok: true, at: now, output: input }
    }
    this.emit(buf, thread, 'StepEntered', name, at, { input, local: {} }, pad)
    const started = this.emit(buf, thread, 'StepStarted', name, at, { input }, pad)
    const body = this.body(step, input, at, thread, started, buf, pad)
    if (body.ok) {
      this.emit(buf, thread, 'StepSucceeded', name, body.at, { output: body.output }, pad)
      this.emit(buf, thread, 'StepExited', name, body.at, { local: {} }, pad)
      return body
    }
    this.emit(
      buf,
      thread,
      'StepFailed',
      name,
      body.at,
      { error: body.error, cause: body.cause },
      pad
    )
    this.emit(buf, thread, 'StepExited', name, body.at, { local: {} }, pad)
    // A caught failure: the thread goes on with the step's input as its output.
    return step.catch === true ? { ok: true, at: body.at, output: input } : body
  }

  private body(
    step: Exclude<StepScript, { type: 'custom' }>,
    input: unknown,
    at: number,
    thread: Thread,
    started: RawEvent,
    buf: RawEvent[],
    pad: number
  ): Outcome {
    switch (step.type) {
      case 'pass':
        return settle(at + (step.durationMs ?? 0), step.fail, step.output ?? input)
      case 'wait':
        return settle(at + (step.durationMs ?? 1000), step.fail, input)
      case 'fail':
        return failed(at, { error: step.error, cause: step.cause })
      case 'task':
        return this.task(step, at, thread, buf, pad)
      case 'choice': {
        const index = typeof step.pick === 'function' ? step.pick(input) : (step.pick ?? 0)
        const branch = step.branches[index]
        if (!branch) throw new Error(`choice ${step.name}: no branch ${index}`)
        return this.steps(branch, input, at, thread, buf, pad)
      }
      case 'parallel':
        return this.parallel(step, input, at, started, buf, pad)
      case 'foreach':
        return this.foreach(step, input, at, started, buf, pad)
      case 'map':
        return this.distributedMap(step, input, at, thread, buf, pad)
    }
  }

  private distributedMap(
    step: DistributedMapStep,
    input: unknown,
    at: number,
    thread: Thread,
    buf: RawEvent[],
    pad: number
  ): Outcome {
    if (!this.maps) throw new Error(`map ${step.name}: distributed Maps need a MapRunner`)
    const { name, outcome } = this.maps.run(step, at)
    this.emit(buf, thread, 'MapRunStarted', step.name, at, mapRunStartedDetail(step, name), pad)
    if (outcome.ok) return { ok: true, at: outcome.at, output: input }
    const failure = { error: outcome.error, cause: outcome.cause }
    if (outcome.mapRunFailedEvent) {
      this.emit(buf, thread, 'MapRunFailed', step.name, outcome.at, failure, pad)
    }
    return { ok: false, at: outcome.at, ...failure }
  }

  private task(step: TaskStep, at: number, thread: Thread, buf: RawEvent[], pad: number): Outcome {
    const name = step.name
    const resourceArn =
      step.resourceArn ?? `acs:fc:cn-hangzhou:123456789012:services/emulator/functions/${name}`
    const emit = (type: string, t: number, detail: Record<string, unknown>): void => {
      this.emit(buf, thread, type, name, t, detail, pad)
    }
    if (step.submitFail) {
      emit('TaskScheduled', at, { resourceArn })
      const cause = causeText(step.submitFail.cause)
      emit('TaskSubmitFailed', at, { error: step.submitFail.error, cause })
      return { ok: false, at, error: step.submitFail.error, cause }
    }
    const duration = step.durationMs ?? 100
    const retryError = step.retryError ?? DEFAULT_RETRY_ERROR
    // One attempt from `t`: its outcome, with a timeout winning over the scripted result.
    const attempt = (t: number, runMs: number, failure: StepError | undefined): Outcome => {
      emit('TaskScheduled', t, { resourceArn })
      emit('TaskStarted', t, {})
      emit('TaskSubmitted', t, {})
      if (step.timeoutMs !== undefined && runMs > step.timeoutMs) {
        const end = t + step.timeoutMs
        const cause = `Task timed out after ${step.timeoutMs} ms`
        emit('TaskTimedOut', end, { error: TASK_TIMEOUT_ERROR, cause })
        return { ok: false, at: end, error: TASK_TIMEOUT_ERROR, cause }
      }
      const end = t + runMs
      if (failure) {
        const cause = causeText(failure.cause)
        emit('TaskFailed', end, { error: failure.error, cause })
        return { ok: false, at: end, error: failure.error, cause }
      }
      const output = step.output ?? {}
      emit('TaskSucceeded', end, { output })
      return { ok: true, at: end, output }
    }
    let t = at
    for (let i = 0; i < (step.retries ?? 0); i++) {
      t = attempt(t, duration, retryError).at + (step.retryIntervalMs ?? 0)
    }
    return attempt(t, step.finalDurationMs ?? duration, step.fail)
  }

  private parallel(
    step: ParallelStep,
    input: unknown,
    at: number,
    started: RawEvent,
    buf: RawEvent[],
    pad: number
  ): Outcome {
    const runs = step.branches.map((steps, branchIndex) => {
      const own: RawEvent[] = []
      const thread: Thread = { id: this.threads++, last: started }
      this.emit(own, thread, 'BranchEntered', step.name, at, { branchIndex }, pad)
      const outcome = this.steps(steps, input, at, thread, own, pad)
      if (outcome.ok)
        this.emit(own, thread, 'BranchExited', step.name, outcome.at, { branchIndex }, pad)
      return { own, outcome }
    })
    return this.join(runs, at, input, buf)
  }

  private foreach(
    step: ForeachStep,
    input: unknown,
    at: number,
    started: RawEvent,
    buf: RawEvent[],
    pad: number
  ): Outcome {
    const slots: number[] = new Array(
      Math.max(1, Math.min(step.concurrency ?? step.iterations, step.iterations))
    ).fill(at)
    const runs: { own: RawEvent[]; outcome: Outcome }[] = []
    for (let index = 0; index < step.iterations; index++) {
      // The iteration starts on the slot that frees first.
      const slot = slots.indexOf(Math.min(...slots))
      const start = slots[slot] ?? at
      const steps =
        step.failAt?.iteration === index
          ? failingCopy(step.steps, step.failAt, `iteration ${index}`)
          : step.steps
      const own: RawEvent[] = []
      const thread: Thread = { id: this.threads++, last: started }
      this.emit(own, thread, 'IterationEntered', step.name, start, { index }, pad)
      const outcome = this.steps(steps, input, start, thread, own, pad)
      if (outcome.ok)
        this.emit(own, thread, 'IterationExited', step.name, outcome.at, { index }, pad)
      slots[slot] = outcome.at
      runs.push({ own, outcome })
    }
    return this.join(runs, at, input, buf)
  }

  /**
   * Joins concurrent threads. The first failure fails the owning step at that moment; whatever the
   * other threads would have done afterwards never happens.
   */
  private join(
    runs: { own: RawEvent[]; outcome: Outcome }[],
    at: number,
    input: unknown,
    buf: RawEvent[]
  ): Outcome {
    let failure: Outcome | undefined
    let end = at
    for (const { outcome } of runs) {
      if (!outcome.ok && (failure === undefined || outcome.at < failure.at)) failure = outcome
      end = Math.max(end, outcome.at)
    }
    const cut = failure?.at ?? Infinity
    for (const { own } of runs) for (const ev of own) if (ev.at <= cut) buf.push(ev)
    return failure ?? { ok: true, at: end, output: input }
  }
}

/** The timeline of an execution that times out `timeoutMs` after its start. */
export function timedOut(
  timeline: Timeline,
  startedAt: number,
  timeoutMs: number,
  pad: number
): Timeline {
  const cause = `Execution timed out after ${timeoutMs} ms`
  return cutTimeline(timeline, startedAt + timeoutMs, 'TimedOut', {
    type: 'ExecutionTimedOut',
    detail: eventDetail({ error: FLOW_TIMEOUT_ERROR, cause }, pad)
  })
}

function settle(at: number, fail: StepError | undefined, output: unknown): Outcome {
  return fail ? failed(at, fail) : { ok: true, at, output }
}

function failed(at: number, e: StepError): Outcome {
  return { ok: false, at, error: e.error, cause: causeText(e.cause) }
}

/** Where a copy of some steps fails: the step's name, and how (see ForeachStep.failAt). */
export interface FailAt {
  step: string
  error?: StepError
  retries?: number
}

/**
 * A copy of `steps` where the step called `failAt.step` (pass, wait or task, at any depth) fails;
 * the default cause is "`what` failed".
 */
export function failingCopy(steps: StepScript[], failAt: FailAt, what: string): StepScript[] {
  const error = failAt.error ?? { error: 'FC.Unhandled', cause: `${what} failed` }
  let found = false
  const visit = (list: StepScript[]): StepScript[] =>
    list.map((s): StepScript => {
      if (s.name === failAt.step && (s.type === 'task' || s.type === 'pass' || s.type === 'wait')) {
        found = true
        if (s.type === 'task' && failAt.retries !== undefined) {
          // The retried attempts fail the same way, unless the step says otherwise.
          return { ...s, fail: error, retries: failAt.retries, retryError: s.retryError ?? error }
        }
        return { ...s, fail: error }
      }
      switch (s.type) {
        case 'choice':
        case 'parallel':
          return { ...s, branches: s.branches.map(visit) }
        case 'foreach':
          return { ...s, steps: visit(s.steps) }
        default:
          return s
      }
    })
  const copy = visit(steps)
  if (!found) throw new Error(`failAt: no pass/wait/task step named ${failAt.step}`)
  return copy
}

/** The MapRunStarted EventDetail, spelled as the step says (DistributedMapStep.mapRunStarted). */
function mapRunStartedDetail(step: DistributedMapStep, name: string): Record<string, unknown> {
  const spelling = step.mapRunStarted ?? { key: 'MapRunName', at: 'output' }
  if (spelling === 'absent') return {}
  const named = { [spelling.key]: name }
  return spelling.at === 'output' ? { output: named } : named
}

function finalize(
  raw: RawEvent[],
  status: 'Succeeded' | 'Failed',
  endAt: number,
  output: string | undefined,
  linking: Linking
): Timeline {
  const sorted = raw.slice().sort((a, b) => a.at - b.at || a.seq - b.seq)
  const events = sorted.map((ev, i): TimelineEvent => {
    ev.id = i + 1
    return {
      id: i + 1,
      type: ev.type,
      stepName: ev.stepName,
      at: ev.at,
      scheduleEventId: linkOf(ev, i, linking),
      detail: ev.detail,
      thread: ev.thread
    }
  })
  const timeline: Timeline = { events, endAt, status, linking }
  if (status === 'Succeeded' && output !== undefined) timeline.output = output
  return timeline
}

/** `ScheduleEventId` of the event at position `i` (EventId `i + 1`). */
function linkOf(ev: RawEvent, i: number, linking: Linking): number {
  switch (linking) {
    case 'thread':
      return ev.prev?.id ?? 0
    case 'trigger':
      return ev.trigger?.id ?? 0
    case 'previous':
      return i
    case 'none':
      return 0
  }
}

function toRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
