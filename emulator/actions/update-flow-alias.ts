import { parseRouting, updateAlias } from '../versions.js'
import { body, type ActionContext } from './context.js'
import { findFlow } from './lookup.js'
import { requiredName } from './validate.js'
import { aliasFields } from './version-body.js'

/** UpdateFlowAlias (POST): RoutingConfigurations and Description replace what was there. */
export function updateFlowAlias(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const name = requiredName(ctx.params, 'Name')
  const routing = ctx.params.RoutingConfigurations
  const { published } = findFlow(ctx.store, flowName)
  const alias = updateAlias(published, flowName, name, {
    routes: routing === undefined ? undefined : parseRouting(routing, published, flowName),
    description: ctx.params.Description
  })
  return body({ Alias: aliasFields(alias, { time: 'china', weight: 'number' }) }, ctx.requestId)
}
