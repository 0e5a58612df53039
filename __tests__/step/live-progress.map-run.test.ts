/**
 * Live progress (src/step/live-progress.ts) with a running distributed Map, against the emulator:
 * the item counts are logged after the history read that shows the Map running, and again as the
 * test releases items; DescribeMapRun is asked no more often than the history is read (once an
 * interval). The interval is shortened to 20 ms; every step waits for a logged line, never for
 * a duration.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { FnfClient } from '../../src/fnf/client.js'
import { startProgress } from '../../src/step/live-progress.js'
import { MapRunCalls } from '../../src/step/map-run-calls.js'
import { deepChild, mapFlow } from '../support/map-flows.js'

let emu: Emulator
beforeAll(async () => {
  emu = await startEmulator({
    rateLimit: null,
    flows: [mapFlow('fan', [1], { child: deepChild({ hold: true }) })]
  })
})
afterAll(() => emu.close())

describe('live progress of a distributed Map', () => {
  it('logs the item counts as the items end, a description per history read at most', async () => {
    emu.createExecution('fan', 'run-1', {})
    const client = new FnfClient({ endpoint: emu.url, credentials: () => DEMO_CREDENTIAL })
    const lines: string[] = []
    const waiting = new Map<string, () => void>()
    const logged = (line: string) =>
      new Promise<void>((resolve) => {
        if (lines.includes(line)) resolve()
        else waiting.set(line, resolve)
      })
    const progress = startProgress({
      client,
      flowName: 'fan',
      names: ['run-1'],
      labelled: false,
      info: (line) => {
        lines.push(line)
        waiting.get(line)?.()
      },
      warning: (line) => lines.push(`warning: ${line}`),
      intervalMs: 20,
      mapRuns: new MapRunCalls(client, 'fan', (line) => lines.push(`warning: ${line}`))
    })
    try {
      await logged('process: 0 of 5 items done, 0 failed')
      emu.releaseItems('fan', 'run-1', { items: [0, 1] })
      await logged('process: 2 of 5 items done, 1 failed')
      emu.releaseItems('fan', 'run-1', { count: 3 })
      await logged('process: 5 of 5 items done, 1 failed')
    } finally {
      await progress.close()
    }
    const count = (action: string) => emu.requests.filter((r) => r.action === action).length
    expect(count('DescribeMapRun')).toBeLessThanOrEqual(count('GetExecutionHistory'))
    expect(lines.filter((l) => l.startsWith('warning'))).toEqual([])
    // In the order the items ended, each count once.
    expect(lines.filter((l) => l.startsWith('process:'))).toEqual([
      'process: 0 of 5 items done, 0 failed',
      'process: 2 of 5 items done, 1 failed',
      'process: 5 of 5 items done, 1 failed'
    ])
  })
})
