/**
 * Flow scripts: how a test describes what an execution of a flow will do. The emulator compiles a
 * script into a complete timeline when the execution starts (see timeline.ts), so the same script
 * always produces the same history. All durations are emulated milliseconds.
 */

/** An error as FnF reports it. `cause` objects are sent as a JSON string (like an FC payload). */
export interface StepError {
  error: string
  cause: string | Record<string, unknown>
}

interface StepCommon {
  name: string
  /**
   * Pad the EventDetail of every event this step (and its nested steps) writes to about this many
   * bytes. Capped at 64 KiB, the service's per-event maximum (CloudFlow). Inherits from the parent / the flow.
   */
  padBytes?: number
  /** A failure of this step is caught: the step fails, then its thread goes on with the next step. */
  catch?: boolean
}

/** A pass step: succeeds after `durationMs` (default 0) with `output` (default: its input). */
export interface PassStep extends StepCommon {
  type: 'pass'
  durationMs?: number
  output?: unknown
  /** Make the step fail instead (after `durationMs`). */
  fail?: StepError
}

/** A wait step: succeeds after `durationMs` (default 1000). */
export interface WaitStep extends StepCommon {
  type: 'wait'
  durationMs?: number
  fail?: StepError
}

/**
 * A task step. It makes `retries` failing attempts (each `TaskFailed` with `retryError`), then a
 * final attempt that succeeds, fails with `fail`, or times out when it runs longer than `timeoutMs`.
 */
export interface TaskStep extends StepCommon {
  type: 'task'
  /** Emulated ms each attempt runs. Default 100. */
  durationMs?: number
  /** Run time of the final attempt, when it differs from `durationMs`. */
  finalDurationMs?: number
  /** Failing attempts that are retried before the final one. Default 0. */
  retries?: number
  /** Gap between a failed attempt and the next one. Default 0. */
  retryIntervalMs?: number
  /** The error of each retried attempt. Default `FC.ServiceUnavailable`. */
  retryError?: StepError
  /** The final attempt fails with this error. */
  fail?: StepError
  /** The final attempt times out (`TaskTimedOut`, error `FnF.TaskTimeout`) if it runs longer. */
  timeoutMs?: number
  /** The task is never accepted: `TaskSubmitFailed` with this error, no retries. */
  submitFail?: StepError
  /** Output of a successful task (default `{}`); it becomes the step's output. */
  output?: unknown
  /** Shown in `TaskScheduled`. Default `acs:fc:cn-hangzhou:123456789012:services/emulator/functions/<name>`. */
  resourceArn?: string
}

/** A choice step: runs the steps of one branch in the choice's own thread (no Branch events). */
export interface ChoiceStep extends StepCommon {
  type: 'choice'
  branches: StepScript[][]
  /** Index of the branch to run, or a function of the step's input. Default 0. */
  pick?: number | ((input: unknown) => number)
}

/** A parallel step: every branch starts at once; their events interleave in time. */
export interface ParallelStep extends StepCommon {
  type: 'parallel'
  branches: StepScript[][]
}

/** A foreach step: `iterations` copies of `steps`. */
export interface ForeachStep extends StepCommon {
  type: 'foreach'
  iterations: number
  steps: StepScript[]
  /** How many iterations run at once. Default: all of them. 1 = sequential. */
  concurrency?: number
  /**
   * Make one iteration fail at one inner step (found by name, anywhere below this step, which must
   * be a pass, wait or task step). Its final attempt fails with `error` (default
   * `FC.Unhandled` / `"iteration <i> failed"`); `retries` replaces the task's retries there
   * (those attempts fail with `error` too, unless the task has a `retryError`).
   */
  failAt?: { iteration: number; step: string; error?: StepError; retries?: number }
}

/** A fail step: fails its thread with `error` and `cause`. */
export interface FailStep extends StepCommon {
  type: 'fail'
  error: string
  cause: string | Record<string, unknown>
}

/** One raw event written by a custom step. */
export interface CustomEvent {
  /** Any `Type`, including ones the API pages do not list (e.g. `MapRunStarted`). */
  type: string
  /** Emulated ms after the previous event of the step. Default 0. */
  afterMs?: number
  /** Serialized as JSON. Ignored when `rawDetail` is given. Default `{}`. */
  detail?: unknown
  /** The EventDetail string exactly as given (e.g. broken JSON). */
  rawDetail?: string
}

/** Writes raw events in its thread (no Step* events). An empty name writes execution-level events. */
export interface CustomStep extends Omit<StepCommon, 'catch'> {
  type: 'custom'
  events: CustomEvent[]
}

/**
 * What a child of a distributed Map runs: a flow script without a name (children run under the
 * parent's FlowName) and without distributed Maps of its own; its mode is the Map step's
 * `childMode`. `hold` and `stepByStep` hold each child like any execution (`emulator.release`,
 * `releaseItems`, `advance`).
 */
export type ChildScript = Omit<
  FlowScript,
  'name' | 'definition' | 'description' | 'roleArn' | 'spec' | 'executionMode'
>

/**
 * Where the MapRunStarted event's EventDetail carries the MapRunName. The API pages say only that
 * it is in the event's output (fnf-api.md §10); the key's spelling is undocumented, so the action
 * must cope with each of these. `absent`: the detail has no name at all (`{}`).
 */
export type MapRunStartedDetail =
  { key: 'MapRunName' | 'mapRunName'; at: 'output' | 'top' } | 'absent'

/** How the Map step fails when the MapRun does (undocumented: emulator choices, see README). */
export interface MapRunFailure {
  /** The step's (and the execution's) error. Default `FnF.MapRunFailed`. */
  error?: string
  /** Default: names the MapRun and the counts (`3 of 500 items failed; tolerated: 0 items`). */
  cause?: string
  /** Also writes a `MapRunFailed` event (same error, cause) before `StepFailed`. Default false. */
  mapRunFailedEvent?: boolean
}

/**
 * A Map state in distributed mode (CloudFlow): each item runs as a child execution of its own, at
 * most `concurrency` at once, and the MapRun's outcome decides the step's. Only at the top level of
 * a flow script (an emulator limit). The step writes StepEntered, StepStarted, MapRunStarted, and
 * when the MapRun has ended StepSucceeded (output: the step's input) or StepFailed.
 */
export interface DistributedMapStep extends StepCommon {
  type: 'map'
  /** How many items (one child execution each). 0..maxItems. */
  items: number
  /** MaxItems: 10,000 by default; the service raises it up to 1,000,000 on request. */
  maxItems?: number
  /** MaxConcurrency: children running at once. Default 100. */
  concurrency?: number
  /** Failed children tolerated before the MapRun fails (ToleratedFailureCount). */
  toleratedFailureCount?: number
  /** Percentage (0-100) of all items tolerated to fail (ToleratedFailurePercentage). */
  toleratedFailurePercentage?: number
  /**
   * ProcessorConfig.ExecutionMode of the children. Default `standard`. An express child ends
   * `TimedOut` after 5 minutes, held or not, like any express execution.
   */
  childMode?: 'standard' | 'express'
  /** Each child's script: one for all, or a function of the item index. */
  child: ChildScript | ((index: number) => ChildScript)
  /**
   * These items' children fail at one inner step (found by name, at any depth: a pass, wait or
   * task step), like ForeachStep.failAt. Default error `FC.Unhandled` / `"item <i> failed"`.
   */
  failAt?: { items: number[]; step: string; error?: StepError; retries?: number }
  /** The input of item `index`. Default `{ index }`. */
  itemInput?: (index: number) => unknown
  /** Emulated ms the MapRun stays `Pending` before its first children start. Default 0. */
  pendingMs?: number
  /**
   * Items start only when the test lets them: `emulator.admitItems(flow, execution, n)` lets `n`
   * more start (as slots free up). The MapRun's progress is then decided by the test.
   */
  holdItems?: boolean
  /** Where MapRunStarted carries the MapRunName. Default `{ key: 'MapRunName', at: 'output' }`. */
  mapRunStarted?: MapRunStartedDetail
  failure?: MapRunFailure
  /**
   * Default true: the MapRun fails the moment its failures exceed the tolerance (running children
   * are stopped, pending items never start). false: every item runs, then the tolerance decides.
   */
  failFast?: boolean
  /** Plain ListExecutions (no MapRunName) lists the children too. Default false. */
  listChildren?: boolean
  /**
   * What the API says of an express child besides ListExecutions: `no-history` (default:
   * DescribeExecution answers, GetExecutionHistory has no events) or `not-found` (both, and
   * StopExecution, answer 404 ExecutionNotExists).
   */
  expressChildren?: 'no-history' | 'not-found'
}

export type StepScript =
  | PassStep
  | WaitStep
  | TaskStep
  | ChoiceStep
  | ParallelStep
  | ForeachStep
  | FailStep
  | CustomStep
  | DistributedMapStep

export interface FlowScript {
  name: string
  steps: StepScript[]
  description?: string
  /**
   * `Express` flows run only through StartSyncExecution (at most 5 emulated minutes, no history);
   * StartExecution refuses them. Default `Standard`. `''` is a standard flow whose DescribeFlow
   * answers an empty ExecutionMode, which the SDK documents as meaning Standard.
   */
  executionMode?: ExecutionMode
  /** FDL text returned by DescribeFlow / DescribeExecution. Default: rendered from the steps. */
  definition?: string
  /**
   * The spec the rendered definition follows: legacy FDL (`fdl`) or CloudFlow (`cloudflow`,
   * `Type: StateMachine`). Default `fdl`, or `cloudflow` when a step is a distributed Map (legacy
   * FDL has none).
   */
  spec?: 'fdl' | 'cloudflow'
  roleArn?: string
  /** The execution ends `TimedOut` at this emulated ms after its start; running steps never finish. */
  timeoutMs?: number
  /**
   * Output of a successful execution: a value (serialized as JSON; a string is used as is) or a
   * function of the parsed input. Default: the output of the last step.
   */
  output?: unknown | ((input: unknown) => unknown)
  /** Emulated ms the execution is `Starting` before `ExecutionStarted`. Default 0. */
  startingMs?: number
  /** Default padBytes for every step (see StepCommon.padBytes); also pads execution events. */
  padBytes?: number
  /**
   * Executions of this flow run their steps as scripted but never end on their own: they stay
   * `Running` until the test calls `emulator.release(flow, name, end)` (or StopExecution). This is
   * how a test decides when an execution ends, instead of racing a duration against a process.
   */
  hold?: boolean
  /**
   * With `hold`: the history shows only `ExecutionStarted` until the test calls
   * `emulator.advance(flow, name, step)`, which reveals the scripted events up to the first
   * `StepStarted` of `step`. So a test decides when the running step changes. `release` (or
   * StopExecution) reveals the rest of what has happened by then.
   */
  stepByStep?: boolean
  /**
   * What each event's `ScheduleEventId` points at. Nothing public says how the service links
   * events, so the report must give the same root cause under each of these (default `thread`):
   * - `thread`: the previous event of the same thread (top level, one branch, one iteration);
   * - `trigger`: the triggering event: a task's outcome → its `TaskScheduled`, a step's outcome →
   *   its `StepStarted`, a branch's or iteration's first event → the owner's `StepStarted`, any
   *   other event → the previous event of its thread;
   * - `previous`: the previous event of the whole history (as the documented sample reads);
   * - `none`: always 0.
   */
  linking?: Linking
}

export type Linking = 'thread' | 'trigger' | 'previous' | 'none'

export const LINKINGS: readonly Linking[] = ['thread', 'trigger', 'previous', 'none']

export type ExecutionMode = 'Standard' | 'Express' | ''
