/**
 * The shapes the history model produces: a step tree, the root cause and what could not be placed.
 * Renderers read only these; how they are built lives in fold.ts and its helpers.
 */
import type { ExecutionStatus, Execution, HistoryEvent } from '../fnf/types.js'
import type { DetailLimits } from './detail.js'

/** `map`: a Map state in distributed mode, which started a MapRun (its `MapRunStarted` event). */
export type StepKind = 'task' | 'parallel' | 'foreach' | 'map' | 'step' | 'branch' | 'iteration'

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
  time?: number | undefined
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
  /**
   * A distributed Map's MapRunName, read from its MapRunStarted event (history/map-run.ts); absent
   * when the event gave none the API would take.
   */
  mapRunName?: string
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
  /**
   * Events placed without a usable link where more than one open step or branch could have held
   * them: the tree (paths, attempt counts) is then the model's best reading, not a certainty.
   */
  guessedPlacements?: number
  /** Details that should have been JSON and were not. */
  brokenDetails: number
  /**
   * Events that could not be read at all (a field of the wrong type, a shape no code path
   * expected): each is skipped on its own and the rest of the history still makes the report.
   */
  oddEvents?: number
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
  /**
   * The links did not place every event and some placements were guesses (`stats.guessedPlacements`):
   * the renderers say so in one line and list `failureEvents`, which do not depend on the tree.
   */
  approximate?: boolean // set on every report the model builds; optional for reports built by hand
  /** Every failure event (Step/Task failures, timeouts), in history order; the first ones only. */
  failureEvents?: FailureEventRef[]
  stats: HistoryStats
}

/** A failure event as written, independent of where the model placed it. */
export interface FailureEventRef {
  eventId: number
  type: string
  stepName: string
  time?: number | undefined
  error?: string
  cause?: string
}

export interface HistoryModel {
  /** Folds a page of events in; the caller may drop `events` afterwards. */
  add(events: readonly HistoryEvent[]): void
  /** Builds the report from what was folded in so far (does not change the model). */
  result(execution?: Execution): ExecutionReport
}

export interface ModelOptions {
  /** Max failure events listed in `failureEvents` (all are placed in the tree). */
  failureEventLimit?: number
  limits?: DetailLimits
  /** Max chars kept per attempt's cause: attempts are many, the step's own cause is kept longer. */
  attemptCauseChars?: number
  /** Max unknown events listed per node (all are counted). */
  unknownPerNode?: number
}

export const PATH_SEPARATOR = ' › '
