import { body, type ActionContext } from './context.js'
import { findFlow } from './lookup.js'
import { requiredName } from './validate.js'
import { versionFields } from './version-body.js'

/** PublishFlowVersion (POST): the flow's latest definition becomes version 1, 2, … */
export function publishFlowVersion(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const description = ctx.params.Description ?? ''
  const flow = findFlow(ctx.store, flowName)
  const version = ctx.store.publish(flow, description)
  return body({ FlowName: flowName, ...versionFields(version) }, ctx.requestId)
}
