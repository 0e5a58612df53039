/**
 * Live progress of distributed Maps (src/step/map-progress.ts) against the emulator, the test
 * deciding when items end (held children, released in groups): a line when a running MapRun's
 * counts change and none otherwise, one DescribeMapRun per running Map and read (at most
 * MAP_RUNS_PER_READ), nothing for a Map that is not running, and nothing more once refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type EmulatorCredential
} from '../../emulator/index.js'
import { FnfClient } from '../../src/fnf/client.js'
import { fetchHistory, type ExecutionReport } from '../../src/history/index.js'
import { MapRunCalls } from '../../src/step/map-run-calls.js'
import { MAP_RUNS_PER_READ, mapProgress } from '../../src/step/map-progress.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { exec, fold } from '../support/history-model.js'
import { deepChild, mapFlow } from '../support/map-flows.js'

const DENIED: EmulatorCredential = {
  accessKeyId: 'LTAInoDescribeMapRun',
  accessKeySecret: 'no-describe-map-run-secret',
  deniedActions: ['DescribeMapRun']
}

const MAP = mapFlow('held', [1], { child: deepChild({ hold: true }) }).steps[1]!

let emu: Emulator
beforeAll(async () => {
  emu = await startEmulator({
    rateLimit: null,
    credentials: [DEMO_CREDENTIAL, DENIED],
    // The Map first: its MapRun starts with the execution, so the first read shows it running.
    flows: [{ ...mapFlow('held', [1], { child: deepChild({ hold: true }) }), steps: [MAP] }]
  })
})
afterAll(() => emu.close())

function calls(credential = DEMO_CREDENTIAL) {
  const client = new FnfClient({ endpoint: emu.url, credentials: () => credential, maxAttempts: 1 })
  const warnings: string[] = []
  return { client, warnings, calls: new MapRunCalls(client, 'held', (l) => warnings.push(l)) }
}

/** A new execution whose 5 items all run, held; its history as read now (the Map running). */
async function running(name: string): Promise<ExecutionReport> {
  emu.createExecution('held', name, {})
  const { client } = calls()
  const { report } = await fetchHistory(client, { flowName: 'held', executionName: name })
  return report
}

const described = (name: string) =>
  emu.requests.filter((r) => r.action === 'DescribeMapRun' && r.params.ExecutionName === name)

describe('mapProgress', () => {
  it('logs the counts when they change, and only then', async () => {
    const report = await running('run-1')
    const progress = mapProgress(calls().calls, 'run-1')
    expect(await progress.lines(report, {})).toEqual(['process: 0 of 5 items done, 0 failed'])
    expect(await progress.lines(report, {})).toEqual([])
    // Item 1 fails in `load` (its script's own ending) when released.
    emu.releaseItems('held', 'run-1', { items: [0, 1] })
    expect(await progress.lines(report, {})).toEqual(['process: 2 of 5 items done, 1 failed'])
    expect(described('run-1')).toHaveLength(3)
  })

  it('describes a Map it saw running once more when it has ended, for its last counts', async () => {
    const report = await running('run-5')
    const progress = mapProgress(calls().calls, 'run-5')
    expect(await progress.lines(report, {})).toEqual(['process: 0 of 5 items done, 0 failed'])
    emu.releaseItems('held', 'run-5', { count: 5 })
    const { client } = calls()
    const after = await fetchHistory(client, { flowName: 'held', executionName: 'run-5' })
    expect(after.report.steps[0]?.status).toBe('Failed')
    expect(await progress.lines(after.report, {})).toEqual(['process: 5 of 5 items done, 1 failed'])
    expect(await progress.lines(after.report, {})).toEqual([])
    expect(described('run-5')).toHaveLength(2)
  })

  it('describes no Map that is not running', async () => {
    const report = await running('run-2')
    const ended: ExecutionReport = {
      ...report,
      steps: report.steps.map((s) => ({ ...s, status: 'Succeeded' as const }))
    }
    expect(await mapProgress(calls().calls, 'run-2').lines(ended, {})).toEqual([])
    expect(described('run-2')).toHaveLength(0)
  })

  it(`describes at most ${MAP_RUNS_PER_READ} running Maps a read`, async () => {
    const h = new HistoryBuilder().started()
    const par = h.top.open('fan')
    for (let i = 0; i < MAP_RUNS_PER_READ + 2; i++) {
      const branch = par.branch(i)
      branch.open(`map-${i}`)
      branch.emit('MapRunStarted', `map-${i}`, { output: { MapRunName: `r${i}` } })
    }
    const report = fold(h.events, exec('Running', { Name: 'run-3' }))
    // Unknown to the emulator: each is a 404, and no line.
    expect(await mapProgress(calls().calls, 'run-3').lines(report, {})).toEqual([])
    expect(described('run-3')).toHaveLength(MAP_RUNS_PER_READ)
  })

  it('stops describing once a RAM policy refuses, after its one warning', async () => {
    const report = await running('run-4')
    const { calls: denied, warnings } = calls(DENIED)
    const progress = mapProgress(denied, 'run-4')
    expect(await progress.lines(report, {})).toEqual([])
    expect(await progress.lines(report, {})).toEqual([])
    expect(described('run-4')).toHaveLength(1)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('fnf:DescribeMapRun')
  })
})
