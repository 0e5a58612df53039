import type { MapRun } from '../map-run.js'
import { chinaTime } from '../rfc3339.js'
import { body, type ActionContext } from './context.js'
import { findExecution, findMapRun } from './lookup.js'
import { mapRunNameParam, requiredExecutionName, requiredName } from './validate.js'

/**
 * DescribeMapRun (GET, "every other API" rate bucket): one MapRun of an execution, its status and
 * item counts as of now. Fields and the `+08:00` time form from the DescribeMapRun model and API
 * page (fnf-api.md §10).
 */
export function describeMapRun(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const executionName = requiredExecutionName(ctx.params)
  const mapRunName = mapRunNameParam(ctx.params)
  const parent = findExecution(ctx.store, flowName, executionName)
  const mapRun = findMapRun(ctx.store, flowName, mapRunName, parent)
  return body(mapRunFields(mapRun, ctx.clock.now()), ctx.requestId)
}

function mapRunFields(mapRun: MapRun, now: number): object {
  const stoppedAt = mapRun.stoppedAt(now)
  const { count, percentage } = mapRun.tolerated
  return {
    Status: mapRun.status(now),
    ...(stoppedAt === undefined ? {} : { StoppedTime: chinaTime(stoppedAt) }),
    StartedTime: chinaTime(mapRun.startedAt),
    Concurrency: mapRun.concurrency,
    ToleratedFailedCount: count,
    ToleratedFailedPercentage: percentage,
    ExecutionName: mapRun.parent.name,
    MapRunName: mapRun.name,
    ItemCounts: mapRun.counts(now)
  }
}
