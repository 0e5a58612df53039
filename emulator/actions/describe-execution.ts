import type { ExecutionRecord } from '../store.js'
import { body, type ActionContext } from './context.js'
import { executionFields } from './execution-body.js'
import { findExecution } from './lookup.js'
import { intParam, requiredExecutionName, requiredName } from './validate.js'

/**
 * DescribeExecution (GET). With WaitTimeSeconds > 0 it is a real long poll: it answers the moment
 * the execution ends, or after WaitTimeSeconds of emulated time.
 */
export async function describeExecution(ctx: ActionContext): Promise<string> {
  const flowName = requiredName(ctx.params, 'FlowName')
  const name = requiredExecutionName(ctx.params)
  const waitSeconds = intParam(ctx.params, 'WaitTimeSeconds', 0, 60, 0)
  const rec = findExecution(ctx.store, flowName, name)
  if (waitSeconds > 0 && !ctx.store.isTerminal(rec)) {
    await untilEnd(ctx, rec, ctx.clock.toReal(waitSeconds * 1000))
  }
  return body(executionFields(ctx.store, rec), ctx.requestId)
}

/**
 * Resolves when the execution ends, after `realMs` (if given), or when the request is abandoned.
 */
export function untilEnd(ctx: ActionContext, rec: ExecutionRecord, realMs?: number): Promise<void> {
  return new Promise((resolve) => {
    if (ctx.signal.aborted) return resolve()
    const done = (): void => {
      ctx.holding?.(false)
      clearTimeout(timer)
      unsubscribe()
      ctx.signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = realMs === undefined ? undefined : setTimeout(done, realMs)
    const unsubscribe = ctx.store.onEnd(rec, done)
    ctx.signal.addEventListener('abort', done, { once: true })
    ctx.holding?.(true)
  })
}
