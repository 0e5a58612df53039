import type { Execution } from '../../src/fnf/types.js'
import { ApiError } from '../errors.js'
import { optionalQualifier } from '../versions.js'
import type { Params } from '../params.js'
import { parseRfc3339 } from '../rfc3339.js'
import { isExecutionStatus } from '../status.js'
import type { ExecutionRecord } from '../store.js'
import { body, type ActionContext } from './context.js'
import { executionFields } from './execution-body.js'
import { findFlow, findMapRun } from './lookup.js'
import { intParam, mapRunNameParam, requiredName } from './validate.js'

/**
 * ListExecutions (GET), oldest first. Filters: Status, ExecutionNamePrefix, StartedTimeBegin /
 * StartedTimeEnd (RFC 3339 with any offset, both inclusive), Qualifier; MapRunName lists that
 * MapRun's children instead of the flow's executions (which leave children out unless their Map
 * step has `listChildren`). MetadataOnly=true leaves out Input, Output and
 * FlowDefinition. NextToken is the name of the first execution of the next page (the service's
 * token is opaque). Output is the whole output, as DescribeExecution gives it.
 */
export function listExecutions(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const limit = intParam(ctx.params, 'Limit', 1, 99, 60)
  const status = ctx.params.Status
  if (status !== undefined && !isExecutionStatus(status)) {
    throw new ApiError('InvalidArgument', `Status '${status}' is invalid.`)
  }
  const begin = timeParam(ctx.params, 'StartedTimeBegin')
  const end = timeParam(ctx.params, 'StartedTimeEnd')
  const metadataOnly = boolParam(ctx.params, 'MetadataOnly')
  const qualifier = optionalQualifier(ctx.params)
  const mapRunName = ctx.params.MapRunName === undefined ? undefined : mapRunNameParam(ctx.params)
  findFlow(ctx.store, flowName)
  const prefix = ctx.params.ExecutionNamePrefix ?? ''
  const source =
    mapRunName === undefined
      ? ctx.store.list(flowName).filter(listedWithFlow)
      : findMapRun(ctx.store, flowName, mapRunName).children()
  const all = source
    .filter(
      (rec) =>
        rec.name.startsWith(prefix) &&
        // The Qualifier the execution was started with, as asked (emulator choice).
        (qualifier === undefined || rec.qualifier === qualifier) &&
        (begin === undefined || Math.floor(rec.startedAt) >= begin) &&
        (end === undefined || Math.floor(rec.startedAt) <= end)
    )
    .map((rec) => executionFields(ctx.store, rec))
    .filter((e) => status === undefined || e.Status === status)
  const token = ctx.params.NextToken
  const first = token ? all.findIndex((e) => e.Name === token) : 0
  if (first < 0) throw new ApiError('InvalidArgument', `NextToken '${token}' is invalid.`)
  const page = all.slice(first, first + limit).map((e) => (metadataOnly ? metadata(e) : e))
  const next = all[first + limit]
  const fields = next ? { Executions: page, NextToken: next.Name } : { Executions: page }
  return body(fields, ctx.requestId)
}

function listedWithFlow(rec: ExecutionRecord): boolean {
  return !rec.item || rec.item.mapRun.step.listChildren === true
}

function metadata(e: Execution): Execution {
  const { Input: _input, Output: _output, FlowDefinition: _definition, ...rest } = e
  return rest
}

/**
 * An optional RFC 3339 time, as epoch ms. The SDK model asks for "UTC RFC3339"; RFC 3339 allows any
 * offset, so `+08:00` (how newer responses write times) is read as the instant it names.
 */
function timeParam(params: Params, name: string): number | undefined {
  const raw = params[name]
  if (raw === undefined) return undefined
  const ms = parseRfc3339(raw)
  if (ms === undefined) {
    throw new ApiError(
      'InvalidArgument',
      `${name} '${raw}' is not an RFC 3339 time like 2019-01-01T01:01:01.001Z or 2019-01-01T09:01:01+08:00.`
    )
  }
  return ms
}

function boolParam(params: Params, name: string): boolean {
  const raw = params[name]
  if (raw === undefined) return false
  if (raw !== 'true' && raw !== 'false') {
    throw new ApiError('InvalidArgument', `${name} must be true or false, got '${raw}'.`)
  }
  return raw === 'true'
}
