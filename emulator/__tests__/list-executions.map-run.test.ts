/** ListExecutions with MapRunName: one MapRun's children, filtered and paged like any listing. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import type { Emulator } from '../index.js'
import {
  DEEP_CHILD,
  call,
  fanFlow,
  mapRunName,
  untilEnded,
  fastEmulator
} from './map-run-helpers.js'

describe('ListExecutions with MapRunName', () => {
  let emu: Emulator
  let run1: string
  let run2: string

  beforeAll(async () => {
    emu = await fastEmulator([
      fanFlow('fan', {
        items: 40,
        child: { ...DEEP_CHILD, output: { done: true } },
        failAt: { items: [5, 6], step: 'load' },
        toleratedFailureCount: 2
      }),
      fanFlow('listed', { items: 4, listChildren: true }),
      fanFlow('other', { items: 2 })
    ])
    emu.createExecution('fan', 'run-1')
    emu.createExecution('fan', 'run-2')
    emu.createExecution('listed', 'run-1')
    emu.createExecution('other', 'run-1')
    for (const [flow, name] of [
      ['fan', 'run-1'],
      ['fan', 'run-2'],
      ['listed', 'run-1'],
      ['other', 'run-1']
    ] as const) {
      await untilEnded(emu, flow, name)
    }
    run1 = mapRunName(emu, 'fan', 'run-1')
    run2 = mapRunName(emu, 'fan', 'run-2')
  })
  afterAll(() => emu.close())

  async function pages(params: Record<string, string>): Promise<Execution[][]> {
    const all: Execution[][] = []
    let token: string | undefined
    do {
      const r = await call(emu, 'ListExecutions', {
        ...params,
        ...(token === undefined ? {} : { NextToken: token })
      })
      expect(r.status).toBe(200)
      all.push(r.json?.Executions as Execution[])
      token = r.json?.NextToken as string | undefined
    } while (token)
    return all
  }

  it("lists only that MapRun's children, in item order, paged by Limit and NextToken", async () => {
    const listed = await pages({ FlowName: 'fan', MapRunName: run1, Limit: '9' })
    expect(listed.map((p) => p.length)).toEqual([9, 9, 9, 9, 4])
    expect(listed.flat().map((e) => e.Name)).toEqual(
      Array.from({ length: 40 }, (_, i) => `${run1}-${i}`)
    )
    expect(listed.flat().every((e) => e.FlowName === 'fan')).toBe(true)
    const other = (await pages({ FlowName: 'fan', MapRunName: run2 })).flat()
    expect(other).toHaveLength(40)
    expect(other.every((e) => e.Name.startsWith(`${run2}-`))).toBe(true)
  })

  it('returns Input, Output and FlowDefinition, which MetadataOnly=true leaves out', async () => {
    const [full] = await pages({ FlowName: 'fan', MapRunName: run1, Limit: '1' })
    expect(full?.[0]).toMatchObject({
      Name: `${run1}-0`,
      Status: 'Succeeded',
      Input: '{"index":0}',
      Output: '{"done":true}'
    })
    expect(full?.[0]?.FlowDefinition).toMatch(/^Type: StateMachine\n/)
    const [meta] = await pages({
      FlowName: 'fan',
      MapRunName: run1,
      Limit: '1',
      MetadataOnly: 'true'
    })
    expect(Object.keys(meta?.[0] ?? {}).sort()).toEqual([
      'FlowName',
      'Name',
      'StartedTime',
      'Status',
      'StoppedTime'
    ])
  })

  it('filters by Status and ExecutionNamePrefix within the MapRun', async () => {
    const failed = (await pages({ FlowName: 'fan', MapRunName: run1, Status: 'Failed' })).flat()
    expect(failed.map((e) => e.Name)).toEqual([`${run1}-5`, `${run1}-6`])
    const prefixed = await pages({
      FlowName: 'fan',
      MapRunName: run1,
      ExecutionNamePrefix: `${run1}-3`
    })
    expect(prefixed.flat().map((e) => e.Name)).toEqual([`${run1}-3`, `${run1}-30`, ...nine(run1)])
  })

  it('plain ListExecutions leaves children out unless the Map step lists them', async () => {
    const fan = (await pages({ FlowName: 'fan' })).flat()
    expect(fan.map((e) => e.Name)).toEqual(['run-1', 'run-2'])
    const listed = (await pages({ FlowName: 'listed' })).flat()
    const name = mapRunName(emu, 'listed', 'run-1')
    expect(listed.map((e) => e.Name)).toEqual(['run-1', ...[0, 1, 2, 3].map((i) => `${name}-${i}`)])
  })

  it('refuses an unknown MapRunName (404), one of another flow (404), and a malformed one (400)', async () => {
    const other = mapRunName(emu, 'other', 'run-1')
    for (const [params, status, code] of [
      [{ FlowName: 'fan', MapRunName: 'c39142f1345b196d678333c41f113200' }, 404, 'MapRunNotExists'],
      [{ FlowName: 'fan', MapRunName: other }, 404, 'MapRunNotExists'],
      [{ FlowName: 'fan', MapRunName: 'no/slashes' }, 400, 'InvalidArgument'],
      [{ FlowName: 'fan', MapRunName: '' }, 400, 'InvalidArgument'],
      [{ FlowName: 'nope', MapRunName: run1 }, 404, 'FlowNotExists']
    ] as const) {
      const r = await call(emu, 'ListExecutions', params)
      expect([params, r.status, r.json?.Code]).toEqual([params, status, code])
    }
    const bad = await call(emu, 'ListExecutions', { FlowName: 'fan', MapRunName: 'a b' })
    expect(bad.json?.Message).toMatch(/MapRunName 'a b' is invalid/)
  })
})

/** `<name>-31` … `<name>-39`. */
function nine(name: string): string[] {
  return Array.from({ length: 9 }, (_, i) => `${name}-3${i + 1}`)
}
