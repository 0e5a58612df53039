import type { Flow } from '../../src/fnf/types.js'
import { findVersion } from '../versions.js'
import { body, type ActionContext } from './context.js'
import { isoTime } from './execution-body.js'
import { findFlow } from './lookup.js'
import { optionalVersion, requiredName } from './validate.js'

/** DescribeFlow (GET): the latest definition, or with FlowVersion that version's. */
export function describeFlow(ctx: ActionContext): string {
  const name = requiredName(ctx.params, 'Name')
  const version = optionalVersion(ctx.params, 'FlowVersion')
  const flow = findFlow(ctx.store, name)
  const shown = version === undefined ? undefined : findVersion(flow.published, name, version)
  const script = shown?.script ?? flow.script
  const fields: Flow = {
    Name: flow.script.name,
    Id: flow.id,
    Definition: shown?.definition ?? flow.definition,
    Description: script.description ?? '',
    Type: 'FDL',
    ExecutionMode: flow.script.executionMode ?? 'Standard',
    RoleArn: script.roleArn ?? '',
    CreatedTime: isoTime(flow.createdAt),
    LastModifiedTime: isoTime(shown?.createdAt ?? flow.modifiedAt)
  }
  return body(fields, ctx.requestId)
}
