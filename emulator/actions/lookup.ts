import { ApiError } from '../errors.js'
import type { ExecutionRecord, FlowRecord, Store } from '../store.js'

export function findFlow(store: Store, flowName: string): FlowRecord {
  const flow = store.flow(flowName)
  if (!flow) throw new ApiError('FlowNotExists', flowName)
  return flow
}

export function findExecution(store: Store, flowName: string, name: string): ExecutionRecord {
  findFlow(store, flowName)
  const rec = store.execution(flowName, name)
  if (!rec) throw new ApiError('ExecutionNotExists', name, flowName)
  return rec
}
