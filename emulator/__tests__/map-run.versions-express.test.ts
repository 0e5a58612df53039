/**
 * Distributed Maps together with versions, aliases and express mode: what each child runs, the
 * 5-minute limit of express children, lookups by generated names, and what a stop writes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Execution, HistoryEvent } from '../../src/fnf/types.js'
import { startEmulator, type ChildScript, type Emulator, type FlowScript } from '../index.js'
import { detail, fanFlow, untilEnded } from './map-run-helpers.js'
import { rpc } from './support/rpc.js'

const FIVE_MINUTES = 5 * 60 * 1000
/** Longer than an express execution may run. */
const SLOW_CHILD: ChildScript = {
  steps: [{ type: 'task', name: 'slow', durationMs: 2 * FIVE_MINUTES }]
}

function mapFlow(name: string, child: ChildScript, more: Partial<FlowScript> = {}): FlowScript {
  const flow = fanFlow(name, { items: 2, child, listChildren: true }, { prepare: false })
  return { ...flow, ...more }
}

async function children(emu: Emulator, flow: string, mapRunName: string): Promise<Execution[]> {
  const r = await rpc(emu, 'ListExecutions', { FlowName: flow, MapRunName: mapRunName })
  expect(r.status).toBe(200)
  return r.json?.Executions as Execution[]
}

async function lastEvent(emu: Emulator, flow: string, name: string): Promise<HistoryEvent> {
  const r = await rpc(emu, 'GetExecutionHistory', {
    FlowName: flow,
    ExecutionName: name,
    Limit: '999'
  })
  expect(r.status).toBe(200)
  const events = r.json?.Events as HistoryEvent[]
  return events.at(-1) as HistoryEvent
}

describe('distributed Maps with versions and express mode', () => {
  let emu: Emulator

  beforeAll(async () => {
    // Emulated time runs 1000× so that 5 emulated minutes pass at once; nothing asserts on real time.
    emu = await startEmulator({ rateLimit: null, speed: 1000 })
  })
  afterAll(() => emu.close())

  it("a parent started with a Qualifier runs that version's Map, and its children that version's child script", async () => {
    emu.addFlow(mapFlow('versioned', { steps: [{ type: 'pass', name: 'old-item' }] }))
    expect(emu.publishFlowVersion('versioned')).toBe('1')
    emu.addFlow(mapFlow('versioned', { steps: [{ type: 'pass', name: 'new-item' }] }))
    emu.createExecution('versioned', 'pinned', {}, { qualifier: '1' })
    expect((await untilEnded(emu, 'versioned', 'pinned')).Status).toBe('Succeeded')

    const mapRun = emu.mapRun('versioned', 'pinned')
    const listed = await children(emu, 'versioned', mapRun?.name ?? '')
    expect(listed).toHaveLength(2)
    for (const child of listed) {
      expect(child.FlowDefinition).toContain('old-item')
      expect(child.FlowDefinition).not.toContain('new-item')
    }
    // Children were not started with a Qualifier: that filter finds the parent alone.
    const byQualifier = await rpc(emu, 'ListExecutions', { FlowName: 'versioned', Qualifier: '1' })
    expect((byQualifier.json?.Executions as Execution[]).map((e) => e.Name)).toEqual(['pinned'])
    const all = await rpc(emu, 'ListExecutions', { FlowName: 'versioned' })
    expect(all.json?.Executions).toHaveLength(3)
  })

  it('express children end TimedOut 5 minutes after their start, which fails the MapRun', async () => {
    emu.addFlow(
      fanFlow(
        'slow-express',
        { items: 2, childMode: 'express', child: SLOW_CHILD },
        { prepare: false }
      )
    )
    emu.createExecution('slow-express', 'run-1')
    const parent = await untilEnded(emu, 'slow-express', 'run-1')
    expect(parent.Status).toBe('Failed')
    const mapRun = emu.mapRun('slow-express', 'run-1')
    expect(mapRun?.status).toBe('Failed')
    expect(mapRun?.itemCounts).toMatchObject({ Total: 2, Failed: 2 })
    for (const child of await children(emu, 'slow-express', mapRun?.name ?? '')) {
      expect(child.Status).toBe('TimedOut')
      const ran = Date.parse(child.StoppedTime ?? '') - Date.parse(child.StartedTime ?? '')
      expect(ran).toBe(FIVE_MINUTES)
    }
    // The same child in standard mode runs its 10 minutes.
    emu.addFlow(fanFlow('slow-standard', { items: 1, child: SLOW_CHILD }, { prepare: false }))
    emu.createExecution('slow-standard', 'run-1')
    expect((await untilEnded(emu, 'slow-standard', 'run-1')).Status).toBe('Succeeded')
  })

  it('a held express child cannot be held past 5 minutes: the MapRun plans for its end', async () => {
    emu.addFlow(
      fanFlow(
        'held-express',
        {
          items: 2,
          childMode: 'express',
          child: { hold: true, steps: [{ type: 'task', name: 't' }] }
        },
        { prepare: false }
      )
    )
    emu.createExecution('held-express', 'run-1')
    expect((await untilEnded(emu, 'held-express', 'run-1')).Status).toBe('Failed')
    const mapRun = emu.mapRun('held-express', 'run-1')
    expect(mapRun?.children.map((c) => c.status)).toEqual(['TimedOut', 'TimedOut'])
    expect(() => emu.releaseItems('held-express', 'run-1', { items: [0] })).toThrow(
      /not held running/
    )
  })

  it('the test API shows express children as Express, found by their names', async () => {
    emu.addFlow(fanFlow('shown', { items: 2, childMode: 'express' }, { prepare: false }))
    emu.createExecution('shown', 'run-1')
    await untilEnded(emu, 'shown', 'run-1')
    const name = emu.mapRun('shown', 'run-1')?.children[1]?.name ?? ''
    expect(emu.execution('shown', name)).toMatchObject({
      name,
      mode: 'Express',
      status: 'Succeeded'
    })
    expect(emu.executions('shown').map((e) => [e.name, e.mode])).toEqual([
      ['run-1', 'Standard'],
      [expect.stringMatching(/-0$/), 'Express'],
      [name, 'Express']
    ])
  })

  it('an express flow cannot run a distributed Map', async () => {
    const flow: FlowScript = { ...mapFlow('express-parent', SLOW_CHILD), executionMode: 'Express' }
    expect(() => emu.addFlow(flow)).toThrow(/runs only in a standard flow/)
    await expect(startEmulator({ flows: [flow] })).rejects.toThrow(/runs only in a standard flow/)
  })

  it('DescribeMapRun finds a parent under a name only the service generates (a digit first)', async () => {
    emu.addFlow(fanFlow('generated', { items: 1 }, { prepare: false }))
    const parent = '397aba96-4d85-11ef-8f9a-00163e0a1b2c'
    emu.createExecution('generated', parent)
    const r = await rpc(emu, 'DescribeMapRun', {
      FlowName: 'generated',
      ExecutionName: parent,
      MapRunName: emu.mapRun('generated', parent)?.name ?? ''
    })
    expect(r.status).toBe(200)
    expect(r.json?.ExecutionName).toBe(parent)
  })

  it('StopExecution writes its Error and Cause, padded as what the execution runs says', async () => {
    const held: FlowScript = {
      name: 'padded',
      hold: true,
      padBytes: 2048,
      steps: [{ type: 'task', name: 't' }]
    }
    emu.addFlow(held)
    emu.publishFlowVersion('padded')
    const { padBytes: _padded, ...unpadded } = held
    emu.addFlow(unpadded)
    emu.createExecution('padded', 'v1', {}, { qualifier: '1' })
    emu.createExecution('padded', 'latest')
    emu.addFlow(
      mapFlow('padded-child', { hold: true, padBytes: 4096, steps: [{ type: 'task', name: 't' }] })
    )
    emu.createExecution('padded-child', 'run-1')
    const child = emu.mapRun('padded-child', 'run-1')?.children[0]?.name ?? ''

    const stops: [string, string, number][] = [
      ['padded', 'v1', 2048],
      ['padded', 'latest', 0],
      ['padded-child', child, 4096]
    ]
    for (const [flow, name, pad] of stops) {
      const stop = { FlowName: flow, ExecutionName: name, Error: 'Cancelled', Cause: 'by the test' }
      expect((await rpc(emu, 'StopExecution', stop)).status).toBe(200)
      const ev = await lastEvent(emu, flow, name)
      expect(ev.Type).toBe('ExecutionStopped')
      expect(detail(ev)).toMatchObject({ error: 'Cancelled', cause: 'by the test' })
      if (pad > 0) expect(Buffer.byteLength(ev.EventDetail ?? '')).toBe(pad)
      else expect(Buffer.byteLength(ev.EventDetail ?? '')).toBeLessThan(100)
    }
  })
})
