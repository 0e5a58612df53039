/** What the distributed Map tests share: raw signed calls, waiting for an end, the flow. */
import { expect } from '@jest/globals'
import type { HistoryEvent } from '../../src/fnf/types.js'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type ChildScript,
  type DistributedMapStep,
  type Emulator,
  type FlowScript
} from '../index.js'
import { rawCall, type RawResponse } from '../raw-rpc.js'

/** An emulator for these tests: emulated time runs 20× (nothing asserts on real time), no throttle. */
export function fastEmulator(flows: FlowScript[]): Promise<Emulator> {
  return startEmulator({ rateLimit: null, speed: 20, flows })
}

/** A history event's EventDetail, parsed. */
export function detail(e: HistoryEvent | undefined): Record<string, unknown> {
  return JSON.parse(e?.EventDetail ?? '{}') as Record<string, unknown>
}

/** DescribeMapRun's ItemCounts: `Total` and the counts given, the others 0. */
export function itemCounts(
  total: number,
  counts: Partial<Record<'Pending' | 'Running' | 'Succeed' | 'Failed' | 'Aborted', number>>
): Record<string, number> {
  return { Total: total, Pending: 0, Running: 0, Succeed: 0, Failed: 0, Aborted: 0, ...counts }
}

export function call(
  emu: Emulator,
  action: string,
  params: Record<string, string> = {}
): Promise<RawResponse> {
  return rawCall(emu.url, action, params, { credential: DEMO_CREDENTIAL })
}

/** Long-polls until the execution has ended; returns DescribeExecution's answer. */
export async function untilEnded(
  emu: Emulator,
  flow: string,
  name: string
): Promise<Record<string, unknown>> {
  for (let i = 0; i < 30; i++) {
    const r = await call(emu, 'DescribeExecution', {
      FlowName: flow,
      ExecutionName: name,
      WaitTimeSeconds: '20'
    })
    expect(r.status).toBe(200)
    const status = String(r.json?.Status)
    if (status !== 'Starting' && status !== 'Running') return r.json ?? {}
  }
  throw new Error(`${flow}/${name} did not end`)
}

export async function history(emu: Emulator, flow: string, name: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = []
  let token: string | undefined
  do {
    const params: Record<string, string> = { FlowName: flow, ExecutionName: name, Limit: '999' }
    if (token !== undefined) params.NextToken = token
    const r = await call(emu, 'GetExecutionHistory', params)
    expect(r.status).toBe(200)
    events.push(...(r.json?.Events as HistoryEvent[]))
    token = r.json?.NextToken as string | undefined
  } while (token)
  return events
}

export async function describeMapRun(
  emu: Emulator,
  flow: string,
  execution: string,
  mapRunName: string
): Promise<Record<string, unknown>> {
  const r = await call(emu, 'DescribeMapRun', {
    FlowName: flow,
    ExecutionName: execution,
    MapRunName: mapRunName
  })
  expect(r.status).toBe(200)
  return r.json ?? {}
}

/** The MapRunName an execution's MapRun has (from the test API, not from the history). */
export function mapRunName(emu: Emulator, flow: string, execution: string): string {
  const snapshot = emu.mapRun(flow, execution)
  if (!snapshot) throw new Error(`no MapRun of ${flow}/${execution}`)
  return snapshot.name
}

/**
 * The child: `load` (`loadMs` long) fails two levels deep (fan-out › branch 0 › load) while
 * a sibling branch succeeds.
 */
export function deepChild(loadMs = 100): ChildScript {
  return {
    steps: [
      { type: 'pass', name: 'read-item' },
      {
        type: 'parallel',
        name: 'fan-out',
        branches: [
          [{ type: 'task', name: 'load', durationMs: loadMs }],
          [{ type: 'pass', name: 'audit', durationMs: 50 }]
        ]
      }
    ]
  }
}

export const DEEP_CHILD = deepChild()

export const DEEP_ERROR = {
  error: 'FC.ConnectionTimeout',
  cause: { errorMessage: 'connect ETIMEDOUT 10.0.3.7:5432', errorType: 'ConnectionTimeout' }
}

/**
 * prepare → process (a distributed Map of DEEP_CHILD) → publish. Without `prepare` the MapRun
 * starts with the execution, so a test can look at it at once.
 */
export function fanFlow(
  name: string,
  map: Partial<DistributedMapStep> = {},
  { prepare = true }: { prepare?: boolean } = {}
): FlowScript {
  return {
    name,
    steps: [
      ...(prepare ? [{ type: 'task', name: 'prepare', durationMs: 100 } as const] : []),
      { type: 'map', name: 'process', items: 500, child: DEEP_CHILD, ...map },
      { type: 'task', name: 'publish', durationMs: 100 }
    ]
  }
}
