import { isTerminal } from '../status.js'
import { ApiError } from '../errors.js'
import { expressName, isExpress } from '../express.js'
import type { ExecutionRecord, Store } from '../store.js'
import { optionalQualifier, resolveQualifier } from '../versions.js'
import { body, type ActionContext } from './context.js'
import { untilEnd } from './describe-execution.js'
import { isoTime } from './execution-body.js'
import { findFlow } from './lookup.js'
import { checkInput, generatedName } from './start-execution.js'
import { checkName, requiredName } from './validate.js'

/** The StartSyncExecution response (fnf-20190315 StartSyncExecutionResponseBody). */
interface SyncExecution {
  Name: string
  FlowName: string
  Status: string
  StartedTime: string
  StoppedTime?: string
  Output?: string
  ErrorCode?: string
  ErrorMessage?: string
}

/**
 * StartSyncExecution (POST), express flows only: starts an execution and holds the request until
 * it ends (at most 5 emulated minutes), then answers how it ended. The execution is named
 * `{ExecutionName}:{UUID}`, names need not be unique, and nothing can look it up afterwards. A
 * client that goes away ends the request, not the execution (emulator choice).
 */
export async function startSyncExecution(ctx: ActionContext): Promise<string> {
  const flowName = requiredName(ctx.params, 'FlowName')
  const given = ctx.params.ExecutionName
  const base = given === undefined ? undefined : checkName('ExecutionName', given)
  const input = checkInput(ctx.params.Input)
  const qualifier = optionalQualifier(ctx.params)
  const flow = findFlow(ctx.store, flowName)
  if (!isExpress(flow.script)) {
    // The code and message the StartSyncExecution response model gives as its example.
    throw ApiError.withMessage('ActionNotSupported', 'Standard execution is not supported')
  }
  const revision = resolveQualifier(flow, flow.published, flowName, qualifier, ctx.store.random)
  const name = expressName(base, generatedName)
  const rec = ctx.store.start(flow, name, input, { revision, qualifier, express: true })
  if (!ctx.store.isTerminal(rec)) await untilEnd(ctx, rec)
  return body(syncFields(ctx.store, rec), ctx.requestId)
}

function syncFields(store: Store, rec: ExecutionRecord): SyncExecution {
  const status = store.status(rec)
  const fields: SyncExecution = {
    Name: rec.name,
    FlowName: rec.flow.script.name,
    Status: status,
    StartedTime: isoTime(rec.startedAt)
  }
  if (!isTerminal(status)) return fields
  fields.StoppedTime = isoTime(rec.timeline.endAt)
  if (status === 'Succeeded') {
    if (rec.timeline.output !== undefined) fields.Output = rec.timeline.output
    return fields
  }
  // The error and cause of the terminal event (ExecutionFailed / TimedOut / Stopped).
  const { error, cause } = parseDetail(rec.timeline.events.at(-1)?.detail)
  if (typeof error === 'string') fields.ErrorCode = error
  if (typeof cause === 'string') fields.ErrorMessage = cause
  return fields
}

function parseDetail(detail: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(detail ?? '{}')
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}
