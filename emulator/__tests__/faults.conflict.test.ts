/** The injectable 409 ConcurrentUpdateError (StopExecution's, in the API metadata). */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import type { Emulator } from '../index.js'
import { call, expectError, startHeld } from './support/call.js'

let emu: Emulator
beforeAll(async () => {
  emu = await startHeld()
})
afterAll(() => emu.close())

const stop = () =>
  call(emu, 'StopExecution', { FlowName: 'held', ExecutionName: 'c-1' }, { method: 'POST' })

it('answers the next StopExecution with 409 and leaves the execution running; a retry stops it', async () => {
  emu.createExecution('held', 'c-1')
  emu.injectFault({ kind: 'conflict', action: 'StopExecution' })
  // Other Actions are not affected.
  const described = await call(emu, 'DescribeExecution', { FlowName: 'held', ExecutionName: 'c-1' })
  expect(described.status).toBe(200)

  const first = await stop()
  expect(expectError(first, 409, 'ConcurrentUpdateError')).toBe('Update conflict, please retry.')
  expect(emu.requests.at(-1)).toMatchObject({
    action: 'StopExecution',
    status: 409,
    code: 'ConcurrentUpdateError'
  })
  expect(emu.execution('held', 'c-1')?.status).toBe('Running')

  const retry = await stop()
  expect(retry.json).toMatchObject({ Name: 'c-1', Status: 'Stopped' })
})

it('count answers that many requests with 409', async () => {
  emu.createExecution('held', 'c-2')
  emu.injectFault({ kind: 'conflict', action: 'StopExecution', count: 2 })
  const params = { FlowName: 'held', ExecutionName: 'c-2' }
  for (let i = 0; i < 2; i++) {
    expectError(
      await call(emu, 'StopExecution', params, { method: 'POST' }),
      409,
      'ConcurrentUpdateError'
    )
  }
  expect((await call(emu, 'StopExecution', params, { method: 'POST' })).status).toBe(200)
})
