/**
 * Which Node runs the bundle. Both e2e projects run this file: `e2e` on the Node running jest,
 * `e2e-node24` on the Node.js 24 GitHub runs the action on (action.yml `runs.using`), which
 * scripts/run-action.ts spawns when the project's setup sets FNF_WAIT_NODE. The child prints its
 * version before the bundle starts (an `--import` of one line), and then waits on an execution.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { runAction } from '../../scripts/run-action.js'
import { RUNTIME_MAJOR } from '../../scripts/node24.mjs'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({
    flows: [{ name: 'ok-flow', steps: [{ type: 'pass', name: 'work' }], output: { ok: true } }]
  })
})
afterAll(async () => {
  await emulator.close()
})

const PRINT_VERSION = 'data:text/javascript,console.log("node "+process.version)'

it('runs the bundle on the Node its project names, and the bundle works there', async () => {
  const chosen = process.env.FNF_WAIT_NODE
  const expected = chosen
    ? execFileSync(chosen, ['--version'], { encoding: 'utf8' }).trim()
    : process.version
  emulator.createExecution('ok-flow', `runtime-${process.pid}`, {})
  const run = await runAction({
    nodeArgs: ['--import', PRINT_VERSION],
    inputs: {
      'flow-name': 'ok-flow',
      'execution-name': `runtime-${process.pid}`,
      endpoint: emulator.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
    }
  })
  expect(run.stdout.split('\n')[0]).toBe(`node ${expected}`)
  if (chosen) expect(expected).toMatch(new RegExp(`^v${RUNTIME_MAJOR}\\.`))
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  expect(run.outputs.status).toBe('Succeeded')
})
