import { body, type ActionContext } from './context.js'
import { findFlow } from './lookup.js'
import { page } from './paging.js'
import { LIST_LIMIT, intParam, requiredName } from './validate.js'
import { versionFields } from './version-body.js'

/** ListFlowVersions (GET): versions oldest first; NextToken is the next page's first version. */
export function listFlowVersions(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const limit = intParam(ctx.params, 'Limit', LIST_LIMIT.min, LIST_LIMIT.max, LIST_LIMIT.fallback)
  const flow = findFlow(ctx.store, flowName)
  const versions = [...flow.published.versions.values()]
  const { items, next } = page(versions, (v) => v.version, ctx.params.NextToken, limit)
  const fields = { FlowVersions: items.map(versionFields), ...(next ? { NextToken: next } : {}) }
  return body(fields, ctx.requestId)
}
