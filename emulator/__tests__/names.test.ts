/**
 * Names: the documented rule applies to names a caller gives; lookups accept any name the service
 * could have generated (a UUID starting with a digit, an express `{name}:{UUID}`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '../index.js'
import { call, expectError, startHeld } from './support/call.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const DIGIT_FIRST = '397aba96-4d85-11ef-8f9a-00163e0a1b2c'
const EXPRESS = 'order-42:5c1b8a4e-7d3f-4c2a-9b6e-1f0a2b3c4d5e'

let emu: Emulator
beforeAll(async () => {
  emu = await startHeld()
})
afterAll(() => emu.close())

const start = (params: Record<string, string>) =>
  call(emu, 'StartExecution', { FlowName: 'held', ...params }, { method: 'POST' })

describe('StartExecution', () => {
  it('without ExecutionName generates a UUID the lookups find', async () => {
    const r = await start({})
    const name = String(r.json?.Name)
    expect(name).toMatch(UUID)
    const described = await call(emu, 'DescribeExecution', {
      FlowName: 'held',
      ExecutionName: name
    })
    expect(described.json).toMatchObject({ Name: name, Status: 'Running' })
  })

  it.each([DIGIT_FIRST, EXPRESS, '-dash', 'a b', 'é', 'x'.repeat(129)])(
    'refuses a given ExecutionName %p that breaks the name rule',
    async (ExecutionName) => {
      const r = await start({ ExecutionName })
      expect(expectError(r, 400, 'InvalidArgument')).toContain('ExecutionName')
      expect(emu.execution('held', ExecutionName)).toBeUndefined()
    }
  )

  it('accepts the longest name the rule allows', async () => {
    const name = `_${'n'.repeat(127)}`
    expect((await start({ ExecutionName: name })).json?.Name).toBe(name)
  })
})

describe('lookups of names the service could have generated', () => {
  beforeAll(() => {
    emu.createExecution('held', DIGIT_FIRST)
    emu.createExecution('held', EXPRESS)
  })

  it.each([DIGIT_FIRST, EXPRESS])(
    '%s: DescribeExecution, GetExecutionHistory, StopExecution answer',
    async (name) => {
      const params = { FlowName: 'held', ExecutionName: name }
      expect((await call(emu, 'DescribeExecution', params)).json).toMatchObject({ Name: name })
      expect((await call(emu, 'GetExecutionHistory', params)).status).toBe(200)
      const stopped = await call(emu, 'StopExecution', params, { method: 'POST' })
      expect(stopped.json).toMatchObject({ Name: name, Status: 'Stopped' })
    }
  )

  it.each(['DescribeExecution', 'GetExecutionHistory', 'StopExecution'])(
    '%s of an absent generated-looking name: 404 ExecutionNotExists',
    async (api) => {
      const r = await call(
        emu,
        api,
        { FlowName: 'held', ExecutionName: '0a1b2c3d-0000-4000-8000-000000000000' },
        { method: api === 'StopExecution' ? 'POST' : 'GET' }
      )
      expectError(r, 404, 'ExecutionNotExists')
    }
  )

  it.each(['a b', 'é', 'a/b', 'x'.repeat(129), ''])(
    'a name no execution could have (%p) is still InvalidArgument',
    async (ExecutionName) => {
      const r = await call(emu, 'DescribeExecution', { FlowName: 'held', ExecutionName })
      expect(expectError(r, 400, 'InvalidArgument')).toContain('ExecutionName')
    }
  )

  it('FlowName keeps the documented rule', async () => {
    const r = await call(emu, 'DescribeExecution', { FlowName: '1flow', ExecutionName: 'x' })
    expect(expectError(r, 400, 'InvalidArgument')).toContain('FlowName')
  })

  it('createExecution refuses a name no execution could have', () => {
    expect(() => emu.createExecution('held', 'a b')).toThrow(/ExecutionName 'a b' is invalid/)
  })
})
