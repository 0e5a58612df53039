import { EXECUTION_STATUSES } from '../../src/fnf/types.js'
import { ApiError } from '../errors.js'
import { body, type ActionContext } from './context.js'
import { executionFields } from './execution-body.js'
import { findFlow } from './lookup.js'
import { intParam, requiredName } from './validate.js'

/**
 * ListExecutions (GET), oldest first. Filters: Status, ExecutionNamePrefix. NextToken is the name
 * of the first execution of the next page (the service's token is opaque).
 */
export function listExecutions(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const limit = intParam(ctx.params, 'Limit', 1, 100, 60)
  const status = ctx.params.Status
  if (status !== undefined && !(EXECUTION_STATUSES as readonly string[]).includes(status)) {
    throw new ApiError('InvalidArgument', `Status '${status}' is invalid.`)
  }
  findFlow(ctx.store, flowName)
  const prefix = ctx.params.ExecutionNamePrefix ?? ''
  const all = ctx.store
    .list(flowName)
    .map((rec) => executionFields(ctx.store, rec))
    .filter((e) => e.Name.startsWith(prefix) && (status === undefined || e.Status === status))
  const token = ctx.params.NextToken
  const first = token ? all.findIndex((e) => e.Name === token) : 0
  if (first < 0) throw new ApiError('InvalidArgument', `NextToken '${token}' is invalid.`)
  const page = all.slice(first, first + limit)
  const next = all[first + limit]
  const fields = next ? { Executions: page, NextToken: next.Name } : { Executions: page }
  return body(fields, ctx.requestId)
}
