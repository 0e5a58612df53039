import * as core from '@actions/core'
import * as log from '../base/log.js'

/**
 * What the post step needs to stop an execution when the main step was killed before it could.
 * core.saveState appends to GITHUB_STATE at once, so what is saved survives a SIGKILL.
 */
const KEYS = {
  isPost: 'isPost',
  flowName: 'flow-name',
  executionName: 'execution-name',
  stopOnCancel: 'stop-on-cancel',
  phase: 'phase',
  /** Names whose StartExecution was sent, saved before the requests go out. */
  starting: 'starting',
  /** Names whose start the service refused: never this step's to stop. */
  refused: 'refused',
  /** Names the main step stopped (or found ended): the post step leaves them. */
  stopped: 'stopped'
} as const

export type Phase = 'waiting' | 'done'

/** GITHUB_STATE could not be written: the post step would not know what to stop, nor that it is the post step. */
export class StateError extends Error {
  constructor(cause: unknown) {
    super(
      `Could not save the step's state for its post step (${process.env.GITHUB_STATE ? `GITHUB_STATE is ${process.env.GITHUB_STATE}` : 'GITHUB_STATE is not set'}): ` +
        `${cause instanceof Error ? cause.message : String(cause)}. Nothing was started or read; ` +
        'run the step where the runner provides a writable GITHUB_STATE file.',
      { cause }
    )
    this.name = 'StateError'
  }
}

/** The first save: fails the step with a StateError (before any request) when it cannot be written. */
export function markMainStarted(): void {
  try {
    core.saveState(KEYS.isPost, 'true')
  } catch (error) {
    throw new StateError(error)
  }
}

/** Later saves: a failure is a warning (the step itself can still do its work). */
function save(key: string, value: string): void {
  try {
    core.saveState(key, value)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    log.warning(`Could not save the step's state for its post step (${key}): ${reason}`)
  }
}

export function isPost(): boolean {
  return core.getState(KEYS.isPost) === 'true'
}

/**
 * Before following: the post step stops `executionNames` if the main step never finishes. With
 * `start`, call it with none and then `saveStarted` as each start succeeds: the runner keeps the
 * last value saved for a key, so re-saving the growing list accumulates.
 */
export function saveWaiting(
  flowName: string,
  executionNames: readonly string[],
  stopOnCancel: boolean
): void {
  save(KEYS.flowName, flowName)
  save(KEYS.executionName, executionNames.join('\n'))
  save(KEYS.stopOnCancel, String(stopOnCancel))
  save(KEYS.phase, 'waiting' satisfies Phase)
}

/** Every execution started so far (the whole list each time: the last save of a key wins). */
export function saveStarted(executionNames: readonly string[]): void {
  save(KEYS.executionName, executionNames.join('\n'))
}

/**
 * Before any StartExecution is sent: a job killed while a start is unanswered still leaves its
 * name for the post step, which finds out whether it started.
 */
export function saveStarting(executionNames: readonly string[]): void {
  save(KEYS.starting, executionNames.join('\n'))
}

/** Every name whose start the service refused so far (the whole list each time). */
export function saveRefused(executionNames: readonly string[]): void {
  save(KEYS.refused, executionNames.join('\n'))
}

/** Every name the main step has stopped or found ended so far (the whole list each time). */
export function saveStopped(executionNames: readonly string[]): void {
  save(KEYS.stopped, executionNames.join('\n'))
}

export function saveDone(): void {
  save(KEYS.phase, 'done' satisfies Phase)
}

export interface SavedState {
  phase: string
  flowName: string
  /** Started (answered), or given to wait for. */
  executionNames: string[]
  stopOnCancel: boolean
  starting: string[]
  refused: string[]
  stopped: string[]
}

export function loadState(): SavedState {
  const list = (key: string): string[] => core.getState(key).split('\n').filter(Boolean)
  return {
    phase: core.getState(KEYS.phase),
    flowName: core.getState(KEYS.flowName),
    executionNames: list(KEYS.executionName),
    stopOnCancel: core.getState(KEYS.stopOnCancel) === 'true',
    starting: list(KEYS.starting),
    refused: list(KEYS.refused),
    stopped: list(KEYS.stopped)
  }
}

/** One execution the post step may have to stop; `started` is false when its start had no answer. */
export interface Leftover {
  readonly name: string
  readonly started: boolean
}

/**
 * Pure: what the post step goes after, in the order it stops them. Those known to have started
 * first (in the order saved), then those whose StartExecution was sent and never answered: they
 * may not exist, and a stop spent on one that does not is a token a running one did not get.
 * Never a name the service refused to start (it may be someone else's), nor one already stopped.
 */
export function leftovers(state: SavedState): Leftover[] {
  const skip = new Set([...state.stopped, ...state.refused])
  const started = state.executionNames.filter((n) => !skip.has(n))
  const known = new Set(started)
  const unanswered = state.starting.filter((n) => !skip.has(n) && !known.has(n))
  return [
    ...started.map((name) => ({ name, started: true })),
    ...unanswered.map((name) => ({ name, started: false }))
  ]
}
