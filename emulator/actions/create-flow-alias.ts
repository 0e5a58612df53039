import { createAlias, parseRouting } from '../versions.js'
import { body, type ActionContext } from './context.js'
import { findFlow } from './lookup.js'
import { required, requiredName } from './validate.js'
import { aliasFields } from './version-body.js'

/** CreateFlowAlias (POST, RoutingConfigurations as a JSON string). */
export function createFlowAlias(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const name = requiredName(ctx.params, 'Name')
  const routing = required(ctx.params, 'RoutingConfigurations')
  const { published } = findFlow(ctx.store, flowName)
  const alias = createAlias(published, flowName, {
    name,
    description: ctx.params.Description ?? '',
    routes: parseRouting(routing, published, flowName),
    createdAt: Math.floor(ctx.clock.now())
  })
  const fields = { FlowName: flowName, ...aliasFields(alias, { time: 'utc', weight: 'number' }) }
  return body(fields, ctx.requestId)
}
