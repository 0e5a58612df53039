/** Executions as the step tracks them, for the step/ tests. */
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import { seen, track, type Tracked } from '../../src/step/execution-outcome.js'

/** Never read without a status; else read with that status and an output. */
export function tracked(
  name: string,
  status?: ExecutionStatus,
  exec: Partial<Execution> = {}
): Tracked {
  if (!status) return track(name, '{}')
  return seen(track(name, '{}'), {
    Name: name,
    FlowName: 'deploy',
    Status: status,
    Output: '{"ok":true}',
    ...exec
  })
}
