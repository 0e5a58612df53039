/**
 * Qualifier: StartExecution runs the version it names (or one of the alias's versions), while a
 * newer version and a newer latest definition exist; an unknown one is refused; ListExecutions
 * filters by it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator, type FlowScript } from '../index.js'
import type { HistoryEvent } from '../../src/fnf/types.js'
import { expectError, rpc } from './support/rpc.js'

/** Version `n` of the flow: its one step and its output say which it is. */
function release(n: number): FlowScript {
  return {
    name: 'release',
    hold: true,
    steps: [{ type: 'pass', name: `step-v${n}` }],
    output: { ran: n }
  }
}

async function describeExecution(emu: Emulator, name: string): Promise<Record<string, unknown>> {
  const r = await rpc(emu, 'DescribeExecution', { FlowName: 'release', ExecutionName: name })
  expect(r.status).toBe(200)
  return r.json ?? {}
}

describe('Qualifier', () => {
  let emu: Emulator

  beforeAll(async () => {
    // Version 1 and 2 are published; the latest definition is a third one.
    emu = await startEmulator({ flows: [release(1)], rateLimit: null, random: () => 0 })
    emu.publishFlowVersion('release')
    emu.publishFlowVersion('release', release(2))
    emu.addFlow(release(3))
    emu.setFlowAlias('release', 'stable', [{ version: 1, weight: 100 }])
  })
  afterAll(() => emu.close())

  it('StartExecution with a version runs that version while a newer one exists', async () => {
    const r = await rpc(emu, 'StartExecution', {
      FlowName: 'release',
      ExecutionName: 'pinned',
      Qualifier: '1'
    })
    expect(r.status).toBe(200)
    // No response field says which version ran; the definition and what it does do.
    expect(r.json).not.toHaveProperty('Qualifier')
    expect(r.json).not.toHaveProperty('Version')
    const v1 = await rpc(emu, 'DescribeFlow', { Name: 'release', FlowVersion: '1' })
    expect(r.json?.FlowDefinition).toBe(v1.json?.Definition)
    expect(r.json?.FlowDefinition).toContain('step-v1')

    emu.release('release', 'pinned')
    const ended = await describeExecution(emu, 'pinned')
    expect(ended).toMatchObject({ Status: 'Succeeded', Output: '{"ran":1}' })
    const history = await rpc(emu, 'GetExecutionHistory', {
      FlowName: 'release',
      ExecutionName: 'pinned'
    })
    const steps = (history.json?.Events as HistoryEvent[]).map((e) => e.StepName)
    expect(steps).toContain('step-v1')
    expect(steps).not.toContain('step-v3')
    expect(emu.execution('release', 'pinned')).toMatchObject({
      mode: 'Standard',
      version: '1',
      qualifier: '1'
    })
  })

  it('without a Qualifier the latest definition runs, and keeps running after the flow changes', async () => {
    emu.createExecution('release', 'latest')
    emu.addFlow(release(4))
    emu.release('release', 'latest')
    const ended = await describeExecution(emu, 'latest')
    expect(ended).toMatchObject({ Status: 'Succeeded', Output: '{"ran":3}' })
    expect(ended.FlowDefinition).toContain('step-v3')
    const snapshot = emu.execution('release', 'latest')
    expect(snapshot).not.toHaveProperty('version')
    expect(snapshot).not.toHaveProperty('qualifier')
    emu.addFlow(release(3))
  })

  it('an alias runs the version its routing draws, and the execution records both', async () => {
    const r = await rpc(emu, 'StartExecution', {
      FlowName: 'release',
      ExecutionName: 'via-alias',
      Qualifier: 'stable'
    })
    expect(r.json?.FlowDefinition).toContain('step-v1')
    emu.createExecution('release', 'typed', {}, { qualifier: '2' })
    emu.release('release', 'typed')
    expect(await describeExecution(emu, 'typed')).toMatchObject({ Output: '{"ran":2}' })
    expect(emu.execution('release', 'via-alias')).toMatchObject({
      version: '1',
      qualifier: 'stable'
    })
    emu.release('release', 'via-alias')
  })

  it('refuses an unknown version or alias (404) and a malformed Qualifier (400), starting nothing', async () => {
    const start = (qualifier: string) =>
      rpc(emu, 'StartExecution', {
        FlowName: 'release',
        ExecutionName: 'refused',
        Qualifier: qualifier
      })
    expectError(await start('9'), 404, 'FlowVersionNotExists')
    expectError(await start('beta'), 404, 'FlowAliasNotExists')
    for (const bad of ['', '1a', '01', 'a b', 'x'.repeat(129)]) {
      expectError(await start(bad), 400, 'InvalidArgument')
    }
    expect(emu.execution('release', 'refused')).toBeUndefined()
    expect(() => emu.createExecution('release', 'refused', {}, { qualifier: '9' })).toThrow(
      'Version 9 of flow release does not exist'
    )
  })

  it('ListExecutions with Qualifier lists the executions started with that Qualifier', async () => {
    const names = async (qualifier?: string): Promise<string[]> => {
      const r = await rpc(emu, 'ListExecutions', {
        FlowName: 'release',
        ...(qualifier === undefined ? {} : { Qualifier: qualifier })
      })
      expect(r.status).toBe(200)
      return (r.json?.Executions as { Name: string }[]).map((e) => e.Name)
    }
    expect(await names('1')).toEqual(['pinned'])
    // via-alias ran version 1 too, but was asked for by its alias.
    expect(await names('stable')).toEqual(['via-alias'])
    expect(await names('2')).toEqual(['typed'])
    expect(await names('gone')).toEqual([])
    // The filter does not look the Qualifier up: an alias deleted since still finds its runs.
    emu.setFlowAlias('release', 'temp', [{ version: 2, weight: 1 }])
    emu.createExecution('release', 'short-lived', {}, { qualifier: 'temp' })
    const deleted = await rpc(emu, 'DeleteFlowAlias', { FlowName: 'release', Name: 'temp' })
    expect(deleted.status).toBe(200)
    expect(await names('temp')).toEqual(['short-lived'])
    expect(await names()).toEqual(['pinned', 'latest', 'via-alias', 'typed', 'short-lived'])
    expectError(
      await rpc(emu, 'ListExecutions', { FlowName: 'release', Qualifier: '-1' }),
      400,
      'InvalidArgument'
    )
  })
})
