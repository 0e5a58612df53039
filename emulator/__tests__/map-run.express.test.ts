/** Express children: listed by ListExecutions(MapRunName), but they keep no history. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import type { Emulator } from '../index.js'
import { call, fanFlow, mapRunName, untilEnded, fastEmulator } from './map-run-helpers.js'

describe('express children', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await fastEmulator([
      fanFlow('express', { items: 20, childMode: 'express' }),
      fanFlow('unknown', { items: 20, childMode: 'express', expressChildren: 'not-found' }),
      fanFlow('standard', { items: 20 })
    ])
  })
  afterAll(() => emu.close())

  it('are listed with their status; DescribeExecution answers; GetExecutionHistory has no events', async () => {
    emu.createExecution('express', 'run-1')
    expect((await untilEnded(emu, 'express', 'run-1')).Status).toBe('Succeeded')
    const name = mapRunName(emu, 'express', 'run-1')
    const list = await call(emu, 'ListExecutions', { FlowName: 'express', MapRunName: name })
    const children = list.json?.Executions as Execution[]
    expect(children).toHaveLength(20)
    expect(children.every((c) => c.Status === 'Succeeded' && c.FlowName === 'express')).toBe(true)

    const child = `${name}-0`
    const described = await call(emu, 'DescribeExecution', {
      FlowName: 'express',
      ExecutionName: child
    })
    expect(described.json).toMatchObject({ Name: child, Status: 'Succeeded', Input: '{"index":0}' })
    const h = await call(emu, 'GetExecutionHistory', { FlowName: 'express', ExecutionName: child })
    expect(h.status).toBe(200)
    expect(h.json?.Events).toEqual([])
    expect(h.json?.NextToken).toBeUndefined()
  })

  it("with expressChildren 'not-found' only ListExecutions knows them", async () => {
    emu.createExecution('unknown', 'run-1')
    await untilEnded(emu, 'unknown', 'run-1')
    const name = mapRunName(emu, 'unknown', 'run-1')
    const list = await call(emu, 'ListExecutions', { FlowName: 'unknown', MapRunName: name })
    expect(list.json?.Executions).toHaveLength(20)
    const params = { FlowName: 'unknown', ExecutionName: `${name}-0` }
    for (const action of ['DescribeExecution', 'GetExecutionHistory', 'StopExecution']) {
      const r = await call(emu, action, params)
      expect([action, r.status, r.json?.Code]).toEqual([action, 404, 'ExecutionNotExists'])
    }
  })

  it('standard children keep their own history', async () => {
    emu.createExecution('standard', 'run-1')
    await untilEnded(emu, 'standard', 'run-1')
    const name = mapRunName(emu, 'standard', 'run-1')
    const h = await call(emu, 'GetExecutionHistory', {
      FlowName: 'standard',
      ExecutionName: `${name}-0`
    })
    const types = (h.json?.Events as { Type: string }[]).map((e) => e.Type)
    expect(types[0]).toBe('ExecutionStarted')
    expect(types.at(-1)).toBe('ExecutionSucceeded')
  })

  it('DescribeFlow shows the Map in the CloudFlow spec with its children’s ExecutionMode', async () => {
    const express = await call(emu, 'DescribeFlow', { Name: 'express' })
    expect(express.json?.Definition).toMatch(
      /ProcessorConfig:\n\s+Mode: Distributed\n\s+ExecutionMode: Express/
    )
    const standard = await call(emu, 'DescribeFlow', { Name: 'standard' })
    expect(standard.json?.Definition).toMatch(/ExecutionMode: Standard/)
  })
})
