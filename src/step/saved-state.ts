import * as core from '@actions/core'

/**
 * What the post step needs to stop an execution when the main step was killed before it could.
 * core.saveState appends to GITHUB_STATE at once, so what is saved survives a SIGKILL.
 */
const KEYS = {
  isPost: 'isPost',
  flowName: 'flow-name',
  executionName: 'execution-name',
  stopOnCancel: 'stop-on-cancel',
  phase: 'phase'
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
    core.warning(`Could not save the step's state for its post step (${key}): ${reason}`)
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

export function saveDone(): void {
  save(KEYS.phase, 'done' satisfies Phase)
}

export function loadState(): {
  phase: string
  flowName: string
  executionNames: string[]
  stopOnCancel: boolean
} {
  return {
    phase: core.getState(KEYS.phase),
    flowName: core.getState(KEYS.flowName),
    executionNames: core.getState(KEYS.executionName).split('\n').filter(Boolean),
    stopOnCancel: core.getState(KEYS.stopOnCancel) === 'true'
  }
}
