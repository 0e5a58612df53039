import { ApiError } from '../errors.js'
import type { MapRun } from '../map-run.js'
import type { ExecutionRecord, FlowRecord, Store } from '../store.js'

export function findFlow(store: Store, flowName: string): FlowRecord {
  const flow = store.flow(flowName)
  if (!flow) throw new ApiError('FlowNotExists', flowName)
  return flow
}

export function findExecution(store: Store, flowName: string, name: string): ExecutionRecord {
  findFlow(store, flowName)
  const rec = store.execution(flowName, name)
  // Express children the API knows only through ListExecutions (`expressChildren: 'not-found'`).
  if (!rec || rec.item?.mapRun.hidesChildren)
    throw new ApiError('ExecutionNotExists', name, flowName)
  return rec
}

/** A MapRun of the flow (of `parent`, when given) whose MapRunStarted has happened. */
export function findMapRun(
  store: Store,
  flowName: string,
  mapRunName: string,
  parent?: ExecutionRecord
): MapRun {
  findFlow(store, flowName)
  const mapRun = store.mapRun(flowName, mapRunName)
  if (!mapRun || (parent && mapRun.parent !== parent)) {
    throw new ApiError('MapRunNotExists', mapRunName, flowName)
  }
  return mapRun
}
