import type { ActionHandler } from './context.js'
import { describeExecution } from './describe-execution.js'
import { describeFlow } from './describe-flow.js'
import { describeMapRun } from './describe-map-run.js'
import { getExecutionHistory } from './get-execution-history.js'
import { listExecutions } from './list-executions.js'
import { startExecution } from './start-execution.js'
import { startSyncExecution } from './start-sync-execution.js'
import { stopExecution } from './stop-execution.js'
import { publishFlowVersion } from './publish-flow-version.js'
import { listFlowVersions } from './list-flow-versions.js'
import { deleteFlowVersion } from './delete-flow-version.js'
import { createFlowAlias } from './create-flow-alias.js'
import { updateFlowAlias } from './update-flow-alias.js'
import { describeFlowAlias } from './describe-flow-alias.js'
import { listFlowAliases } from './list-flow-aliases.js'
import { deleteFlowAlias } from './delete-flow-alias.js'

/** The Actions the emulator implements; any other Action is ActionNotSupported. */
export const ACTIONS: ReadonlyMap<string, ActionHandler> = new Map<string, ActionHandler>([
  ['DescribeExecution', describeExecution],
  ['GetExecutionHistory', getExecutionHistory],
  ['StartExecution', startExecution],
  ['StopExecution', stopExecution],
  ['DescribeFlow', describeFlow],
  ['ListExecutions', listExecutions],
  ['StartSyncExecution', startSyncExecution],
  ['PublishFlowVersion', publishFlowVersion],
  ['ListFlowVersions', listFlowVersions],
  ['DeleteFlowVersion', deleteFlowVersion],
  ['CreateFlowAlias', createFlowAlias],
  ['UpdateFlowAlias', updateFlowAlias],
  ['DescribeFlowAlias', describeFlowAlias],
  ['ListFlowAliases', listFlowAliases],
  ['DeleteFlowAlias', deleteFlowAlias],
  ['DescribeMapRun', describeMapRun]
])
