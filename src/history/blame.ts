/**
 * What to blame for how an execution ended, as one value: every output, the failure message,
 * the annotations, the summaries and the PR comment read this, and nothing else reads the root
 * causes (root-cause.ts finds them; this says which one is the answer).
 */
import { redactSecrets } from '../base/secrets.js'
import { DEFAULT_DETAIL_LIMITS, readCause, type ErrorFields } from './detail.js'
import { keep } from './text.js'
import type { ExecutionReport, FailureCause, StepNode, TaskAttempt } from './types.js'

/** A failed step the execution's failure came from. */
export interface BlamedStep {
  /** From the top level down; empty when the execution failed outside any step. */
  readonly path: readonly string[]
  /** `path` joined with ` › `; '' when the path is empty. */
  readonly pathText: string
  readonly error?: string
  readonly cause?: string
  /** The cause as written, when `cause` is the message read out of a JSON payload. */
  readonly causeRaw?: string
  readonly causeType?: string
  /** Task attempts (0 for a step that runs no task), and what each ran into. */
  readonly attempts: number
  readonly attemptList: readonly TaskAttempt[]
}

export type Blame =
  /**
   * Failed: the step to blame, undefined when no history says where (it was not read), and the
   * other failures that also ended the execution (a parallel or foreach failing in several places).
   */
  | {
      readonly kind: 'failed'
      readonly step?: BlamedStep
      readonly others: readonly BlamedStep[]
      /** An express execution: no history says which step; the error is StartSyncExecution's. */
      readonly express?: true
    }
  /** Stopped or timed out: no step is to blame; the stop's or timeout's error, and what ran. */
  | {
      readonly kind: 'stopped' | 'timedOut'
      readonly error?: string
      readonly cause?: string
      readonly running: readonly StepNode[]
      /** An express execution: no history says what ran. */
      readonly express?: true
    }
  /** Our wait ended first: the steps still running then. */
  | { readonly kind: 'waitEnded'; readonly running: readonly StepNode[] }
  /** Succeeded, or nothing known that could explain anything. */
  | { readonly kind: 'none' }

export interface BlameFacts {
  /** The status the execution is shown with: the report's, else DescribeExecution's. */
  status: ExecutionReport['status']
  /** Absent when the history was not read. */
  report?: ExecutionReport
  /** Our own wait gave up while the execution was still running. */
  waitTimedOut: boolean
  /** An express execution (no history): how StartSyncExecution said it ended. */
  express?: ExpressEnd
}

/** StartSyncExecution's account of an express execution's end, as the service wrote it. */
export interface ExpressEnd {
  /** ErrorCode. */
  readonly error?: string
  /** ErrorMessage. */
  readonly cause?: string
}

/** Pure: what to blame, from the status the execution ended with and its history's report. */
export function blameOf({ status, report, waitTimedOut, express }: BlameFacts): Blame {
  if (express !== undefined) {
    const blamed = expressBlame(status, express)
    if (blamed !== undefined) return blamed
  }
  switch (status) {
    case 'Failed': {
      const [first, ...rest] = (report?.rootCauses ?? []).filter(isFailure)
      if (first === undefined) return { kind: 'failed', others: [] }
      return { kind: 'failed', step: primary(first, report), others: rest.map(blamedStep) }
    }
    case 'Stopped':
    case 'TimedOut': {
      const root = report?.rootCause
      const cause = root?.kind === 'failure' ? undefined : root
      return {
        kind: status === 'Stopped' ? 'stopped' : 'timedOut',
        ...errorOf(cause ?? report),
        running: cause?.running ?? report?.running ?? []
      }
    }
    case 'Running':
    case 'Starting':
      return waitTimedOut ? { kind: 'waitEnded', running: report?.running ?? [] } : { kind: 'none' }
    default:
      return { kind: 'none' }
  }
}

/**
 * The blame in three strings, as the outputs, the failure message and the several-execution table
 * give it: the failed step's path (or ''), and the error and cause.
 */
export function blameFields(blame: Blame): { step: string; error?: string; cause?: string } {
  if (blame.kind === 'failed') return { step: blame.step?.pathText ?? '', ...errorOf(blame.step) }
  if (blame.kind === 'stopped' || blame.kind === 'timedOut') return { step: '', ...errorOf(blame) }
  return { step: '' }
}

/**
 * An express execution that did not succeed: its error code and message are the root cause, read
 * like a history's (bounded, a JSON message unpacked, secrets redacted), with no step to name.
 */
function expressBlame(status: BlameFacts['status'], end: ExpressEnd): Blame | undefined {
  const detail: ErrorFields = {}
  if (end.error !== undefined) {
    detail.error = keep(redactSecrets(end.error), DEFAULT_DETAIL_LIMITS.error)
  }
  if (end.cause !== undefined) Object.assign(detail, readCause(redactSecrets(end.cause)))
  if (status === 'Failed') {
    const step: BlamedStep = { path: [], pathText: '', ...detail, attempts: 0, attemptList: [] }
    return { kind: 'failed', step, others: [], express: true }
  }
  if (status === 'Stopped' || status === 'TimedOut') {
    const kind = status === 'Stopped' ? 'stopped' : 'timedOut'
    return { kind, ...errorOf(detail), running: [], express: true }
  }
  return undefined
}

function isFailure(cause: { kind: string }): cause is FailureCause {
  return cause.kind === 'failure'
}

/**
 * The execution failed with the primary failure's error: what the step's own events leave out
 * (a StepFailed with an error and no cause) the execution's failure says.
 */
function primary(cause: FailureCause, report: ExecutionReport | undefined): BlamedStep {
  const step = blamedStep(cause)
  const error = step.error ?? report?.error
  const fromExecution = step.cause === undefined ? report : undefined
  return {
    ...step,
    ...(error !== undefined ? { error } : {}),
    ...(fromExecution?.cause !== undefined ? { cause: fromExecution.cause } : {}),
    ...(fromExecution?.causeRaw !== undefined ? { causeRaw: fromExecution.causeRaw } : {}),
    ...(fromExecution?.causeType !== undefined ? { causeType: fromExecution.causeType } : {})
  }
}

function blamedStep(cause: FailureCause): BlamedStep {
  return {
    path: cause.path,
    pathText: cause.pathText,
    ...errorOf(cause),
    ...(cause.causeRaw !== undefined ? { causeRaw: cause.causeRaw } : {}),
    ...(cause.causeType !== undefined ? { causeType: cause.causeType } : {}),
    attempts: cause.attempts,
    attemptList: cause.step?.attemptList ?? []
  }
}

/** The error and cause of `from` that are set (a blame never holds `undefined` values). */
export function errorOf(from: { error?: string; cause?: string } | undefined): {
  error?: string
  cause?: string
} {
  return {
    ...(from?.error !== undefined ? { error: from.error } : {}),
    ...(from?.cause !== undefined ? { cause: from.cause } : {})
  }
}
