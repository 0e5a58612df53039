/** Executions as the step tracks them, for the step/ tests. */
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import { track, type Tracked } from '../../src/step/tracked.js'

/** Never read without a status; else read with that status and an output. */
export function tracked(
  name: string,
  status?: ExecutionStatus,
  exec: Partial<Execution> = {}
): Tracked {
  if (!status) return track(name, '{}')
  return {
    ...track(name, '{}'),
    execution: { Name: name, FlowName: 'deploy', Status: status, Output: '{"ok":true}', ...exec }
  }
}
