import { body, type ActionContext } from './context.js'
import { findFlow } from './lookup.js'
import { page } from './paging.js'
import { LIST_LIMIT, intParam, requiredName } from './validate.js'
import { aliasFields } from './version-body.js'

/** ListFlowAliases (GET): aliases in creation order; NextToken is the next page's first name. */
export function listFlowAliases(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const limit = intParam(ctx.params, 'Limit', LIST_LIMIT.min, LIST_LIMIT.max, LIST_LIMIT.fallback)
  const aliases = [...findFlow(ctx.store, flowName).published.aliases.values()]
  const { items, next } = page(aliases, (a) => a.name, ctx.params.NextToken, limit)
  const fields = {
    Aliases: items.map((a) => aliasFields(a, { time: 'china', weight: 'string' })),
    ...(next ? { NextToken: next } : {})
  }
  return body(fields, ctx.requestId)
}
