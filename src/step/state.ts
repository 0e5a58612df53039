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

export function markMainStarted(): void {
  core.saveState(KEYS.isPost, 'true')
}

export function isPost(): boolean {
  return core.getState(KEYS.isPost) === 'true'
}

export function saveWaiting(
  flowName: string,
  executionNames: string[],
  stopOnCancel: boolean
): void {
  core.saveState(KEYS.flowName, flowName)
  core.saveState(KEYS.executionName, executionNames.join('\n'))
  core.saveState(KEYS.stopOnCancel, String(stopOnCancel))
  core.saveState(KEYS.phase, 'waiting' satisfies Phase)
}

export function saveDone(): void {
  core.saveState(KEYS.phase, 'done' satisfies Phase)
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
