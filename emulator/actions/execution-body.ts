import type { Execution } from '../../src/fnf/types.js'
import { isTerminal } from '../status.js'
import type { ExecutionRecord, Store } from '../store.js'

/** The execution fields of DescribeExecution / StartExecution / StopExecution, as of now. */
export function executionFields(store: Store, rec: ExecutionRecord): Execution {
  const status = store.status(rec)
  const fields: Execution = {
    Name: rec.name,
    FlowName: rec.flow.script.name,
    Status: status,
    StartedTime: isoTime(rec.startedAt),
    Input: rec.input,
    FlowDefinition: rec.definition
  }
  if (isTerminal(status)) fields.StoppedTime = isoTime(rec.timeline.endAt)
  // The service documents Output as the result of the execution; only a success has one.
  if (status === 'Succeeded' && rec.timeline.output !== undefined)
    fields.Output = rec.timeline.output
  return fields
}

/** `2019-01-01T01:01:01.001Z` */
export function isoTime(ms: number): string {
  return new Date(Math.floor(ms)).toISOString()
}
