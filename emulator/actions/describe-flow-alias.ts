import { findAlias } from '../versions.js'
import { body, type ActionContext } from './context.js'
import { findFlow } from './lookup.js'
import { requiredName } from './validate.js'
import { aliasFields } from './version-body.js'

/** DescribeFlowAlias (GET). */
export function describeFlowAlias(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const name = requiredName(ctx.params, 'Name')
  const alias = findAlias(findFlow(ctx.store, flowName).published, flowName, name)
  return body({ Alias: aliasFields(alias, { time: 'utc', weight: 'number' }) }, ctx.requestId)
}
