/**
 * What the step reads of its executions' distributed Maps after the wait
 * (src/step/read-map-runs.ts), against the emulator: within its bounds (MapRuns per step, child
 * histories per MapRun), not at all under `history: never`, nothing to list when nothing failed,
 * from live progress's reading when the history was not read, and a cancel ends it with what was
 * read by then.
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { useFollowing } from '../support/follow.js'
import { createHistoryReader, fetchHistory } from '../../src/history/index.js'
import type { Execution } from '../../src/fnf/types.js'
import { Deadline } from '../../src/step/deadline.js'
import type { Tracked } from '../../src/step/execution-outcome.js'
import { MapRunCalls } from '../../src/step/map-run-calls.js'
import { mapFlow } from '../support/map-flows.js'

jest.unstable_mockModule('@actions/core', () => core)
const { readMapRuns, MAP_RUNS_READ, CHILD_HISTORIES } =
  await import('../../src/step/read-map-runs.js')

const f = useFollowing({
  flows: [
    mapFlow('fan', [1, 3]),
    mapFlow('many', [0, 1, 2, 3, 4], { items: 6 }),
    mapFlow('clean', []),
    mapFlow('nameless', [2], { mapRunStarted: 'absent' })
  ]
})
let serial = 0
beforeEach(() => core.resetCore())

/** An execution of `flow` run to its end, as the step has it after reading its history. */
async function endedRun(flow: string, withReport = true): Promise<Tracked> {
  const name = `m-${++serial}`
  f.emulator.createExecution(flow, name, {})
  const client = f.client()
  const execution: Execution = await client.describeExecution({
    flowName: flow,
    executionName: name,
    waitTimeSeconds: 30
  })
  const base = { state: 'ended', name, input: '{}', execution } as const
  if (!withReport) return base
  const { report } = await fetchHistory(client, { flowName: flow, executionName: name })
  return { ...base, report }
}

function params(flow: string, outcomes: readonly Tracked[], inputs: Record<string, string> = {}) {
  const config = f.config({ 'flow-name': flow, ...inputs })
  const client = f.client()
  const warnings: string[] = []
  return {
    warnings,
    params: {
      config,
      calls: new MapRunCalls(client, flow, (l) => warnings.push(l)),
      client,
      outcomes,
      signal: new AbortController().signal,
      deadline: Deadline.after(10 * 60_000)
    }
  }
}

const mapRunRequests = () =>
  f.emulator.requests.filter((r) => r.action === 'DescribeMapRun' || r.params.MapRunName)

describe('readMapRuns', () => {
  it('reads the MapRun, its failed items and their histories', async () => {
    const t = await endedRun('fan')
    const { outcomes, error } = await readMapRuns(params('fan', [t]).params)
    expect(error).toBeUndefined()
    const [drill] = outcomes[0]?.mapRuns ?? []
    const name = f.emulator.mapRun('fan', t.name)?.name
    expect(drill).toMatchObject({
      step: { pathText: 'process', status: 'Failed' },
      mapRunName: name,
      run: { Status: 'Failed' },
      moreFailed: false,
      notes: []
    })
    expect(drill?.failed.map((c) => [c.execution.Name, c.report?.status])).toEqual([
      [`${name}-1`, 'Failed'],
      [`${name}-3`, 'Failed']
    ])
  })

  it(`reads at most ${CHILD_HISTORIES} children's histories; the others are named`, async () => {
    const t = await endedRun('many')
    const { outcomes } = await readMapRuns(params('many', [t]).params)
    const failed = outcomes[0]?.mapRuns?.[0]?.failed ?? []
    expect(failed).toHaveLength(5)
    expect(failed.filter((c) => c.report !== undefined)).toHaveLength(CHILD_HISTORIES)
    const name = f.emulator.mapRun('many', t.name)?.name ?? ''
    const childReads = f.emulator.requests.filter(
      (r) => r.action === 'GetExecutionHistory' && r.params.ExecutionName?.startsWith(name)
    )
    expect(childReads).toHaveLength(CHILD_HISTORIES)
  })

  it(`looks into at most ${MAP_RUNS_READ} MapRuns for the whole step`, async () => {
    const runs = await Promise.all(Array.from({ length: MAP_RUNS_READ + 2 }, () => endedRun('fan')))
    const before = f.emulator.requests.filter((r) => r.action === 'DescribeMapRun').length
    const { outcomes } = await readMapRuns(params('fan', runs).params)
    expect(outcomes.filter((t) => t.mapRuns !== undefined)).toHaveLength(MAP_RUNS_READ)
    const described = f.emulator.requests.filter((r) => r.action === 'DescribeMapRun').length
    expect(described - before).toBe(MAP_RUNS_READ)
  })

  it('lists nothing when the counts say nothing failed', async () => {
    const t = await endedRun('clean')
    const before = mapRunRequests().length
    const { outcomes } = await readMapRuns(params('clean', [t]).params)
    expect(outcomes[0]?.mapRuns?.[0]).toMatchObject({ run: { Status: 'Succeeded' }, failed: [] })
    expect(mapRunRequests().length - before).toBe(1)
  })

  it('says so, and asks nothing, when the history names no MapRun', async () => {
    const t = await endedRun('nameless')
    const before = mapRunRequests().length
    const { outcomes } = await readMapRuns(params('nameless', [t]).params)
    expect(outcomes[0]?.mapRuns?.[0]?.notes).toEqual([
      'Its MapRunStarted event gives no MapRunName this action can read, so its items are not ' +
        'shown; the report stays at the Map step.'
    ])
    expect(mapRunRequests().length).toBe(before)
  })

  it('reads nothing under history: never', async () => {
    const t = await endedRun('fan')
    const before = f.emulator.requests.length
    const { outcomes } = await readMapRuns(params('fan', [t], { history: 'never' }).params)
    expect(outcomes[0]).toBe(t)
    expect(f.emulator.requests.length).toBe(before)
  })

  it("finds the Map in live progress's reading when the history was not read after the wait", async () => {
    const t = await endedRun('fan', false)
    const reader = createHistoryReader(f.client(), { flowName: 'fan', executionName: t.name })
    await reader.readPage(100)
    const p = params('fan', [t]).params
    const { outcomes } = await readMapRuns({ ...p, readers: new Map([[t.name, reader]]) })
    expect(outcomes[0]?.report).toBeUndefined()
    expect(outcomes[0]?.mapRuns?.[0]?.failed).toHaveLength(2)
  })

  it('ends at a cancel with what it read by then, and the cancel as its error', async () => {
    const t = await endedRun('fan')
    const controller = new AbortController()
    const reason = new Error('cancelled')
    controller.abort(reason)
    const { outcomes, error } = await readMapRuns({
      ...params('fan', [t]).params,
      signal: controller.signal
    })
    expect(error).toBe(reason)
    expect(outcomes[0]?.mapRuns).toBeUndefined()
  })
})
