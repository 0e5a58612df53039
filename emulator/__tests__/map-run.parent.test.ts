/** How the parent goes on from its MapRuns: held parents, caught failures, one Map after another. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '../index.js'
import {
  DEEP_CHILD,
  describeMapRun,
  fanFlow,
  fastEmulator,
  history,
  mapRunName,
  untilEnded
} from './map-run-helpers.js'

const HELD = { ...DEEP_CHILD, hold: true }
const map = { type: 'map', items: 3, child: HELD } as const

describe('the parent of a MapRun', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await fastEmulator([
      { ...fanFlow('held-parent', { items: 3 }, { prepare: false }), hold: true },
      {
        name: 'caught',
        steps: [
          { ...map, name: 'process', catch: true },
          { type: 'pass', name: 'after' }
        ]
      },
      {
        name: 'two-maps',
        steps: [
          { ...map, name: 'first' },
          { ...map, name: 'second', items: 2 }
        ]
      },
      fanFlow(
        'step-by-step',
        { items: 1, child: { ...DEEP_CHILD, hold: true, stepByStep: true } },
        { prepare: false }
      )
    ])
  })
  afterAll(() => emu.close())

  it('a held parent goes on after its MapRun and stays Running until released', async () => {
    emu.createExecution('held-parent', 'run-1')
    const name = mapRunName(emu, 'held-parent', 'run-1')
    // The children run on their own; once the MapRun has succeeded the parent runs `publish`.
    await untilEnded(emu, 'held-parent', `${name}-2`)
    expect((await describeMapRun(emu, 'held-parent', 'run-1', name)).Status).toBe('Succeeded')
    expect(emu.execution('held-parent', 'run-1')?.status).toBe('Running')
    emu.release('held-parent', 'run-1')
    expect((await untilEnded(emu, 'held-parent', 'run-1')).Status).toBe('Succeeded')
  })

  it('a caught MapRun failure lets the parent go on with the next step', async () => {
    emu.createExecution('caught', 'run-1')
    emu.releaseItems('caught', 'run-1', { items: [1], end: { status: 'Failed' } })
    expect((await untilEnded(emu, 'caught', 'run-1')).Status).toBe('Succeeded')
    const events = await history(emu, 'caught', 'run-1')
    expect(events.filter((e) => e.StepName !== '').map((e) => `${e.Type} ${e.StepName}`)).toEqual([
      'StepEntered process',
      'StepStarted process',
      'MapRunStarted process',
      'StepFailed process',
      'StepExited process',
      'StepEntered after',
      'StepStarted after',
      'StepSucceeded after',
      'StepExited after'
    ])
  })

  it('a second Map starts its own MapRun when the first has ended', async () => {
    emu.createExecution('two-maps', 'run-1')
    const first = mapRunName(emu, 'two-maps', 'run-1')
    expect(await mapRunNames(emu, 'two-maps', 'run-1')).toEqual([first])
    emu.releaseItems('two-maps', 'run-1', { count: 3 })
    const [, secondName = ''] = await mapRunNames(emu, 'two-maps', 'run-1')
    expect(secondName).toMatch(/^[a-f][0-9a-f]{31}$/)
    expect(secondName).not.toBe(first)
    // Without a name, the test API means the first MapRun.
    expect(emu.mapRun('two-maps', 'run-1')?.name).toBe(first)
    expect(emu.mapRun('two-maps', 'run-1', secondName)?.itemCounts.Running).toBe(2)
    emu.releaseItems('two-maps', 'run-1', { count: 2, mapRunName: secondName })
    expect((await untilEnded(emu, 'two-maps', 'run-1')).Status).toBe('Succeeded')
    expect((await describeMapRun(emu, 'two-maps', 'run-1', secondName)).ItemCounts).toMatchObject({
      Succeed: 2
    })
  })

  it('a stepByStep child shows its steps as the test advances it', async () => {
    emu.createExecution('step-by-step', 'run-1')
    const child = `${mapRunName(emu, 'step-by-step', 'run-1')}-0`
    expect((await history(emu, 'step-by-step', child)).map((e) => e.Type)).toEqual([
      'ExecutionStarted'
    ])
    emu.advance('step-by-step', child, 'fan-out')
    const shown = await history(emu, 'step-by-step', child)
    expect(shown.at(-1)).toMatchObject({ Type: 'StepStarted', StepName: 'fan-out' })
  })
})

/** The MapRunNames in the parent's history (MapRunStarted, default spelling). */
async function mapRunNames(emu: Emulator, flow: string, name: string): Promise<string[]> {
  const events = await history(emu, flow, name)
  return events
    .filter((e) => e.Type === 'MapRunStarted')
    .map((e) => (JSON.parse(e.EventDetail) as { output: { MapRunName: string } }).output.MapRunName)
}
