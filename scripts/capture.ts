/**
 * What `npm run capture-history` reads, as a function (scripts/capture-history.ts is its command
 * line): one execution's whole history, redacted (capture-redact.ts), and, when a distributed Map
 * of it failed, the MapRun (DescribeMapRun) and the histories of its first failed children: as
 * many, found and ordered as the action reads them (src/step/map-run-calls.ts, read-map-runs.ts),
 * and redacted the same way. The fixture says what the report gives today (`expected`), children
 * grafted in.
 */
import type { FnfClient } from '../src/fnf/client.js'
import type { HistoryEvent, MapRun } from '../src/fnf/types.js'
import { mapStepsOf } from '../src/history/index.js'
import { MapRunCalls } from '../src/step/map-run-calls.js'
import { CHILD_HISTORIES } from '../src/step/read-map-runs.js'
import {
  expectedOf,
  foldCaptured,
  redactCredentials,
  redactEvent,
  redactExecution,
  type CapturedHistory,
  type CapturedMapRun
} from './capture-redact.js'

type Client = Pick<
  FnfClient,
  'describeExecution' | 'getExecutionHistory' | 'describeMapRun' | 'listExecutions'
>

export async function captureExecution(
  client: Client,
  flow: string,
  execution: string,
  /** Why a part could not be captured (a RAM policy without an action, say). */
  warn: (line: string) => void = () => {}
): Promise<CapturedHistory> {
  const described = await client.describeExecution({ flowName: flow, executionName: execution })
  const events = await historyOf(client, flow, execution)
  const captured: Omit<CapturedHistory, 'expected'> = {
    note: `${redactCredentials(flow)} / ${redactCredentials(execution)}: captured ${new Date().toISOString()}`,
    execution: redactExecution(described),
    events
  }
  const mapRuns = await failedMapRuns(client, flow, captured, warn)
  if (mapRuns.length > 0) captured.mapRuns = mapRuns
  return { ...captured, expected: expectedOf(foldCaptured(captured)) }
}

async function failedMapRuns(
  client: Client,
  flow: string,
  parent: Pick<CapturedHistory, 'execution' | 'events'>,
  warn: (line: string) => void
): Promise<CapturedMapRun[]> {
  const calls = new MapRunCalls(client, flow, warn)
  const out: CapturedMapRun[] = []
  for (const step of mapStepsOf(foldCaptured(parent))) {
    const mapRunName = step.mapRunName
    if (mapRunName === undefined || step.status !== 'Failed') continue
    const described = await calls.describe(parent.execution.Name, mapRunName)
    // What the report reads of it; names and request ids add nothing to a fixture.
    const run = described.ok ? countsOf(described.value) : undefined
    const listed = await calls.failedChildren(mapRunName, {}, run?.ItemCounts?.Failed)
    if (!listed.ok) warn(`The failed items of ${step.pathText} were not captured: ${listed.note}.`)
    const children: CapturedMapRun['children'] = []
    for (const child of listed.ok ? listed.value.executions.slice(0, CHILD_HISTORIES) : []) {
      children.push({
        execution: redactExecution(child),
        events: await historyOf(client, flow, child.Name)
      })
    }
    out.push({ step: step.pathText, mapRunName, ...(run ? { run } : {}), children })
  }
  return out
}

function countsOf(run: MapRun): MapRun {
  const { Status, ItemCounts, ToleratedFailedCount, ToleratedFailedPercentage } = run
  return {
    Status,
    ...(ItemCounts ? { ItemCounts } : {}),
    ...(ToleratedFailedCount !== undefined ? { ToleratedFailedCount } : {}),
    ...(ToleratedFailedPercentage !== undefined ? { ToleratedFailedPercentage } : {})
  }
}

async function historyOf(client: Client, flow: string, execution: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = []
  let nextToken: string | undefined
  for (let page = 0; page < 1000; page++) {
    const res = await client.getExecutionHistory({
      flowName: flow,
      executionName: execution,
      limit: 999,
      ...(nextToken !== undefined ? { nextToken } : {})
    })
    events.push(...(res.Events ?? []).map(redactEvent))
    if (typeof res.NextToken !== 'string' || res.NextToken === '') break
    nextToken = res.NextToken
  }
  return events
}
