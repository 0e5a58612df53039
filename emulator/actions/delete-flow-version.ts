import { ApiError } from '../errors.js'
import { aliasesUsing, findVersion } from '../versions.js'
import { body, type ActionContext } from './context.js'
import { findFlow } from './lookup.js'
import { requiredName, requiredVersion } from './validate.js'

/**
 * DeleteFlowVersion (POST). A version an alias routes to stays (412 PreconditionFailed, emulator
 * choice): deleting it would leave the alias pointing at nothing. Running executions of it go on.
 */
export function deleteFlowVersion(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const version = requiredVersion(ctx.params, 'FlowVersion')
  const { published } = findFlow(ctx.store, flowName)
  findVersion(published, flowName, version)
  const users = aliasesUsing(published, version)
  if (users.length > 0) {
    throw new ApiError(
      'PreconditionFailed',
      `Version ${version} of flow ${flowName} is routed to by alias ${users.join(', ')}: update or delete the alias first.`
    )
  }
  published.versions.delete(version)
  return body({}, ctx.requestId)
}
