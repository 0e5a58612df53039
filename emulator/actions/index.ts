import type { ActionHandler } from './context.js'
import { describeExecution } from './describe-execution.js'
import { describeFlow } from './describe-flow.js'
import { describeMapRun } from './describe-map-run.js'
import { getExecutionHistory } from './get-execution-history.js'
import { listExecutions } from './list-executions.js'
import { startExecution } from './start-execution.js'
import { stopExecution } from './stop-execution.js'

/** The Actions the emulator implements; any other Action is ActionNotSupported. */
export const ACTIONS: ReadonlyMap<string, ActionHandler> = new Map<string, ActionHandler>([
  ['DescribeExecution', describeExecution],
  ['GetExecutionHistory', getExecutionHistory],
  ['StartExecution', startExecution],
  ['StopExecution', stopExecution],
  ['DescribeFlow', describeFlow],
  ['ListExecutions', listExecutions],
  ['DescribeMapRun', describeMapRun]
])
