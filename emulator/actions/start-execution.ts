import { randomUUID } from 'node:crypto'
import { ApiError } from '../errors.js'
import { isExpress } from '../express.js'
import { optionalQualifier, resolveQualifier } from '../versions.js'
import { body, type ActionContext } from './context.js'
import { executionFields } from './execution-body.js'
import { findFlow } from './lookup.js'
import { checkName, requiredName } from './validate.js'

/**
 * StartExecution (POST). A running execution of the same name is returned as it is; a finished one
 * makes the call fail with ExecutionAlreadyExists (SDK docstring, fnf-api.md §4). `Qualifier` runs
 * a version, or one of an alias's versions. Express flows are refused.
 */
export function startExecution(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const given = ctx.params.ExecutionName
  const name = given === undefined ? generatedName() : checkName('ExecutionName', given)
  const input = checkInput(ctx.params.Input)
  const qualifier = optionalQualifier(ctx.params)
  const flow = findFlow(ctx.store, flowName)
  if (isExpress(flow.script)) {
    // "The specified flow must exist and be in Standard execution mode"; the code is undocumented
    // (emulator choice: the one the StartSyncExecution model shows for the opposite case).
    throw ApiError.withMessage('ActionNotSupported', 'Express execution is not supported')
  }
  const revision = resolveQualifier(flow, flow.published, flowName, qualifier, ctx.store.random)
  let rec = ctx.store.execution(flowName, name)
  if (rec && ctx.store.isTerminal(rec)) throw new ApiError('ExecutionAlreadyExists', name, flowName)
  rec ??= ctx.store.start(flow, name, input, { revision, qualifier })
  return body(executionFields(ctx.store, rec), ctx.requestId)
}

/** The Input must be a JSON object; absent means `{}`. */
export function checkInput(input: string | undefined): string {
  if (input === undefined || input === '') return '{}'
  let value: unknown
  try {
    value = JSON.parse(input)
  } catch {
    value = undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('InvalidArgument', 'Input must be a JSON object.')
  }
  return input
}

/**
 * The service generates a name when none is given; its form is undocumented. _(Emulator choice.)_ A
 * UUID, modelled on the zh ListExecutions example `397aba96-4d85-11ef-…`: it may start with a digit,
 * which the name rule forbids for names a caller gives, so clients must not re-check it.
 */
export function generatedName(): string {
  return randomUUID()
}
