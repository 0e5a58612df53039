/**
 * The post step after a kill during the start phase, with a real process: dist/index.js starts 12
 * executions, 4 of whose StartExecution never get an answer, and is SIGKILLed once it has saved
 * the 8 that started. The post step, run with the state the runner would keep, stops all 8.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { runAction } from '../../scripts/run-action.js'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({
    rateLimit: null,
    flows: [{ name: 'held', hold: true, steps: [{ type: 'task', name: 'work', durationMs: 0 }] }]
  })
})
afterAll(async () => {
  await emulator.close()
})

it('SIGKILL mid-start: the post step stops every execution that started', async () => {
  const names = Array.from({ length: 12 }, (_, i) => `killed-${i}`)
  const inputs = {
    'flow-name': 'held',
    'execution-name': names.join('\n'),
    start: 'true',
    endpoint: emulator.url,
    'access-key-id': DEMO_CREDENTIAL.accessKeyId,
    'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
  }
  // The first four starts to arrive hang: the phase cannot settle while the others start.
  emulator.injectFault({ kind: 'hang', action: 'StartExecution', count: 4 })
  const main = await runAction({
    inputs,
    onLine: (line, child) => {
      // Written only after the eighth start was saved to GITHUB_STATE.
      if (line.startsWith('::debug::Saved 8 started execution(s)')) child.kill('SIGKILL')
    }
  })
  expect(main.signal).toBe('SIGKILL')
  const started = emulator.requests
    .filter((r) => r.action === 'StartExecution' && r.status === 200)
    .map((r) => r.params.ExecutionName!)
  expect(started).toHaveLength(8)
  expect(main.state).toMatchObject({ phase: 'waiting', 'stop-on-cancel': 'true' })
  expect(main.state['execution-name']!.split('\n').sort()).toEqual([...started].sort())

  const post = await runAction({ inputs, state: main.state })
  expect(post.code).toBe(0)
  for (const name of started) expect(emulator.execution('held', name)?.status).toBe('Stopped')
  const hung = names.filter((n) => !started.includes(n))
  expect(
    emulator.requests.filter(
      (r) => r.action === 'StopExecution' && hung.includes(r.params.ExecutionName!)
    )
  ).toHaveLength(0)
})
