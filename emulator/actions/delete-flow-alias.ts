import { findAlias } from '../versions.js'
import { body, type ActionContext } from './context.js'
import { findFlow } from './lookup.js'
import { requiredName } from './validate.js'

/** DeleteFlowAlias (POST). Executions started through it keep it as their Qualifier. */
export function deleteFlowAlias(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const name = requiredName(ctx.params, 'Name')
  const { published } = findFlow(ctx.store, flowName)
  findAlias(published, flowName, name)
  published.aliases.delete(name)
  return body({}, ctx.requestId)
}
