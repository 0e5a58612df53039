/**
 * Express flows: StartSyncExecution runs them and answers when they end, within 5 minutes
 * (alibabacloud.com/help/en/serverless-workflow/latest/standard-workflow-and-express-workflow).
 */
import { randomUUID } from 'node:crypto'
import { timedOut } from './compile.js'
import type { FlowScript } from './flow-script.js'
import type { Timeline } from './timeline.js'

/** "Maximum execution duration: 5 minutes" (emulated ms). */
export const EXPRESS_MAX_MS = 5 * 60 * 1000

export function isExpress(script: FlowScript): boolean {
  return script.executionMode === 'Express'
}

/** The script as an express execution runs it: the flow's own timeout, at most 5 minutes. */
export function expressScript(script: FlowScript): FlowScript {
  return { ...script, timeoutMs: Math.min(script.timeoutMs ?? Infinity, EXPRESS_MAX_MS) }
}

/** A held express execution's timeline: it still times out 5 minutes after its start. */
export function expressDeadline(held: Timeline, startedAt: number, pad: number): Timeline {
  return timedOut(held, startedAt, EXPRESS_MAX_MS, pad)
}

/**
 * `{ExecutionName}:{UUID}`, or a generated name without one (StartSyncExecution's ExecutionName:
 * "the system adds a UUID to the current execution name"; fnf-20190315 StartSyncExecutionRequest).
 */
export function expressName(given: string | undefined, generated: () => string): string {
  return given === undefined ? generated() : `${given}:${randomUUID()}`
}
