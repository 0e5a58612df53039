/**
 * Live progress end to end: dist/index.js waits on a held execution whose running step the test
 * changes (`stepByStep`), and the new step must be in the log before the execution ends, the
 * report going on from what progress read. The interval is shortened to 1 s through the
 * tests-only FNF_WAIT_PROGRESS_INTERVAL_MS (the product's is a minute; the code path is the same).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { runAction } from '../../scripts/run-action.js'

const INTERVAL_MS = 1000
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({
    flows: [
      {
        name: 'live',
        hold: true,
        stepByStep: true,
        steps: [
          { type: 'task', name: 'build', durationMs: 10 },
          {
            type: 'task',
            name: 'smoke',
            durationMs: 10,
            fail: { error: 'Smoke.Flaky', cause: 'one probe timed out' },
            catch: true
          },
          { type: 'task', name: 'push-image', durationMs: 10 }
        ]
      }
    ]
  })
})
afterAll(async () => {
  await emulator.close()
})

describe('live progress', () => {
  it('shows the new running step before the execution ends; the report reads on from there', async () => {
    emulator.createExecution('live', 'live-1')
    emulator.advance('live', 'live-1', 'build')
    const seen: Array<{ line: string; status: string | undefined }> = []
    const historyReads = () => emulator.requests.filter((r) => r.action === 'GetExecutionHistory')
    let during: ReturnType<typeof historyReads> = []
    const run = await runAction({
      inputs: {
        'flow-name': 'live',
        'execution-name': 'live-1',
        endpoint: emulator.url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
        history: 'always'
      },
      env: { FNF_WAIT_PROGRESS_INTERVAL_MS: String(INTERVAL_MS) },
      onLine: (line) => {
        if (!/^(Running|Caught):/.test(line)) return
        seen.push({ line, status: emulator.execution('live', 'live-1')?.status })
        // The test moves the flow on only once the action has shown where it is.
        if (line.startsWith('Running: build')) emulator.advance('live', 'live-1', 'push-image')
        if (line.startsWith('Running: push-image')) {
          during = historyReads()
          emulator.release('live', 'live-1')
        }
      },
      killAfterMs: 30_000
    })
    expect(run.code).toBe(0)
    expect(seen.map((s) => s.line)).toEqual([
      expect.stringMatching(/^Running: build \([\d.]+ m?s\)$/),
      'Caught: smoke failed (Smoke.Flaky: one probe timed out); the flow went on.',
      expect.stringMatching(/^Running: push-image \([\d.]+ m?s\)$/)
    ])
    // Each line was logged while the execution still ran.
    expect(seen.every((s) => s.status === 'Running')).toBe(true)

    // Progress read the history as the flow moved (the rate, one read per interval, is decided on
    // a fake clock in __tests__/step/live-progress.test.ts: arrival times here race the machine).
    const history = historyReads()
    expect(during.length).toBeGreaterThanOrEqual(2)
    // The report went on from what progress read: one more page, not the whole history again.
    expect(history.length - during.length).toBe(1)
    expect(run.summary).toContain('push-image')
  })
})
