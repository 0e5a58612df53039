/**
 * The gate for every printed line, as the runner reads the bundle's stdout: hostile step names,
 * causes and a retry's message never form a command the action did not compose (a line whose
 * TrimStart begins with `::`, or holding `##[`), and carry no bidi or zero-width character.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { runAction } from '../../scripts/run-action.js'
import { HOSTILE_PAYLOADS, HOSTILE_TEXT, stdoutProblems } from '../support/hostile-lines.js'

const NAME = HOSTILE_PAYLOADS.map((p) => p.replace(/[\r\n]/g, ' ')).join(' ')
let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({
    rateLimit: null,
    flows: [
      {
        name: 'hostile',
        hold: true,
        steps: [
          {
            type: 'pass',
            name: `caught ${NAME}`,
            catch: true,
            fail: { error: '\u3000::error::E', cause: HOSTILE_TEXT }
          },
          {
            type: 'fail',
            name: `failed ${NAME}`,
            error: '\u00a0::add-mask::x',
            cause: HOSTILE_TEXT
          }
        ]
      }
    ]
  })
})
afterAll(async () => {
  await emulator.close()
})

it('the bundle prints no command it did not compose, whatever the flow and the service say', async () => {
  emulator.createExecution('hostile', 'gate-1', {})
  emulator.release('hostile', 'gate-1')
  // A retried 5xx whose Message is hostile, then the real answer.
  emulator.injectFault({
    kind: 'answer',
    action: 'DescribeExecution',
    status: 503,
    body: JSON.stringify({ Code: '\u2028::stop-commands::x', Message: HOSTILE_TEXT })
  })
  const run = await runAction({
    inputs: {
      'flow-name': 'hostile',
      'execution-name': 'gate-1',
      endpoint: emulator.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
    }
  })
  expect(run.code).toBe(1)
  expect(run.stdout).toMatch(/after-ideographic-space/)
  expect(stdoutProblems(run.stdout)).toEqual([])
})
