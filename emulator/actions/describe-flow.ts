import type { Flow } from '../../src/fnf/types.js'
import { body, type ActionContext } from './context.js'
import { isoTime } from './execution-body.js'
import { findFlow } from './lookup.js'
import { requiredName } from './validate.js'

/** DescribeFlow (GET). */
export function describeFlow(ctx: ActionContext): string {
  const flow = findFlow(ctx.store, requiredName(ctx.params, 'Name'))
  const fields: Flow = {
    Name: flow.script.name,
    Id: flow.id,
    Definition: flow.definition,
    Description: flow.script.description ?? '',
    Type: 'FDL',
    ExecutionMode: 'Standard',
    RoleArn: flow.script.roleArn ?? '',
    CreatedTime: isoTime(flow.createdAt),
    LastModifiedTime: isoTime(flow.createdAt)
  }
  return body(fields, ctx.requestId)
}
