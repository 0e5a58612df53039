import { ApiError } from '../errors.js'
import { body, type ActionContext } from './context.js'
import { executionFields } from './execution-body.js'
import { findExecution } from './lookup.js'
import { lengthParam, requiredExecutionName, requiredName } from './validate.js'

/** StopExecution (POST): ends a running execution now with ExecutionStopped {error, cause}. */
export function stopExecution(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const name = requiredExecutionName(ctx.params)
  const error = lengthParam(ctx.params, 'Error', 128)
  const cause = lengthParam(ctx.params, 'Cause', 4096)
  const rec = findExecution(ctx.store, flowName, name)
  if (ctx.store.isTerminal(rec)) throw new ApiError('ExecutionAlreadyCompleted', name, flowName)
  ctx.store.stop(rec, error, cause)
  return body(executionFields(ctx.store, rec), ctx.requestId)
}
