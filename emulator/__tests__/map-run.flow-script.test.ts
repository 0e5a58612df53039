/**
 * The distributed Map in flow scripts: each spelling of MapRunStarted, the CloudFlow definition it
 * renders, and the scripts the emulator refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { load } from 'js-yaml'
import {
  startEmulator,
  type Emulator,
  type FlowScript,
  type MapRunStartedDetail
} from '../index.js'
import { renderDefinition } from '../definition.js'
import { DEEP_CHILD, fanFlow, history, mapRunName, fastEmulator } from './map-run-helpers.js'

const SPELLINGS: [string, MapRunStartedDetail | undefined, (name: string) => unknown][] = [
  ['default', undefined, (name) => ({ output: { MapRunName: name } })],
  [
    'MapRunName in output',
    { key: 'MapRunName', at: 'output' },
    (n) => ({ output: { MapRunName: n } })
  ],
  [
    'mapRunName in output',
    { key: 'mapRunName', at: 'output' },
    (n) => ({ output: { mapRunName: n } })
  ],
  ['MapRunName at the top', { key: 'MapRunName', at: 'top' }, (n) => ({ MapRunName: n })],
  ['mapRunName at the top', { key: 'mapRunName', at: 'top' }, (n) => ({ mapRunName: n })],
  ['absent', 'absent', () => ({})]
]

describe('MapRunStarted spellings', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await fastEmulator(
      SPELLINGS.map(([, spelling], i) =>
        fanFlow(
          `spelling-${i}`,
          { items: 3, ...(spelling ? { mapRunStarted: spelling } : {}) },
          { prepare: false }
        )
      )
    )
  })
  afterAll(() => emu.close())

  it.each(SPELLINGS.map(([label, , expected], i) => [label, i, expected] as const))(
    '%s',
    async (_label, i, expected) => {
      const flow = `spelling-${i}`
      emu.createExecution(flow, 'run-1')
      // The Map is the first step: MapRunStarted is there as soon as the execution starts.
      const started = (await history(emu, flow, 'run-1')).find((e) => e.Type === 'MapRunStarted')
      expect(started?.StepName).toBe('process')
      const name = mapRunName(emu, flow, 'run-1')
      expect(JSON.parse(started?.EventDetail ?? 'null')).toEqual(expected(name))
    }
  )
})

describe('the CloudFlow definition of a distributed Map', () => {
  const flow: FlowScript = fanFlow('render', {
    concurrency: 40,
    toleratedFailureCount: 5,
    toleratedFailurePercentage: 1.5,
    childMode: 'express'
  })

  it('is rendered as a StateMachine whose Map has the distributed fields and the child as Processor', () => {
    const doc = load(renderDefinition(flow)) as {
      Type: string
      StartAt: string
      States: Record<string, unknown>[]
    }
    expect(doc).toMatchObject({ Type: 'StateMachine', SpecVersion: 'v1', StartAt: 'prepare' })
    expect(doc.States.map((s) => [s.Type, s.Name])).toEqual([
      ['Task', 'prepare'],
      ['Map', 'process'],
      ['Task', 'publish']
    ])
    const map = doc.States[1]
    expect(map).toMatchObject({
      ProcessorConfig: { Mode: 'Distributed', ExecutionMode: 'Express' },
      MaxConcurrency: 40,
      MaxItems: 10000,
      ToleratedFailureCount: 5,
      ToleratedFailurePercentage: 1.5,
      Next: 'publish'
    })
    const processor = map?.Processor as { StartAt: string; States: Record<string, unknown>[] }
    expect(processor.StartAt).toBe('read-item')
    expect(processor.States.map((s) => s.Type)).toEqual(['Pass', 'Parallel'])
    expect(doc.States[2]).toMatchObject({ End: true })
  })

  it('any flow can ask for the CloudFlow spec; legacy FDL stays the default without a Map', () => {
    const etl: FlowScript = {
      name: 'etl',
      steps: [
        { type: 'task', name: 'a', retries: 2, catch: true },
        { type: 'choice', name: 'pick', branches: [[{ type: 'pass', name: 'b' }], []] },
        { type: 'foreach', name: 'each', iterations: 2, steps: [{ type: 'wait', name: 'w' }] },
        { type: 'fail', name: 'stop', error: 'E', cause: 'c' }
      ]
    }
    expect(renderDefinition(etl)).toMatch(/^version: v1\ntype: flow\n/)
    const doc = load(renderDefinition({ ...etl, spec: 'cloudflow' })) as {
      States: Record<string, unknown>[]
    }
    expect(doc.States.map((s) => s.Name)).toEqual(['a', 'pick', 'b', 'each', 'stop'])
    expect(doc.States[1]).toMatchObject({
      Type: 'Choice',
      Branches: [
        { Condition: '$Input.branch == 0', Next: 'b' },
        { Condition: '$Input.branch == 1', Next: 'each' }
      ]
    })
    expect(doc.States[2]).toMatchObject({ Next: 'each' })
    expect(doc.States[3]).toMatchObject({ Type: 'Map', Processor: { StartAt: 'w' } })
  })
})

describe('distributed Maps the emulator refuses', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await startEmulator({})
  })
  afterAll(() => emu.close())

  const map = { type: 'map', name: 'm', items: 3, child: DEEP_CHILD } as const

  it.each([
    [
      'below the top level',
      { name: 'f', steps: [{ type: 'parallel', name: 'p', branches: [[map]] }] },
      /distributed Map m must be at the top level/
    ],
    [
      'inside a child',
      { name: 'f', steps: [{ ...map, child: { steps: [map] } }] },
      /distributed Map m cannot run inside a child/
    ],
    [
      'more items than MaxItems',
      { name: 'f', steps: [{ ...map, items: 10_001 }] },
      /items must be an integer in 0-10000, got 10001/
    ],
    [
      'MaxItems above 1,000,000',
      { name: 'f', steps: [{ ...map, maxItems: 1_000_001 }] },
      /maxItems must be an integer in 1-1000000/
    ],
    [
      'a percentage above 100',
      { name: 'f', steps: [{ ...map, toleratedFailurePercentage: 101 }] },
      /toleratedFailurePercentage must be in 0-100/
    ],
    [
      'a failAt item out of range',
      { name: 'f', steps: [{ ...map, failAt: { items: [3], step: 'load' } }] },
      /failAt item must be an integer in 0-2, got 3/
    ],
    ['legacy FDL', { name: 'f', spec: 'fdl', steps: [map] }, /legacy FDL has no distributed Map/]
  ] as [string, FlowScript, RegExp][])('%s', (_label, flow, message) => {
    expect(() => emu.addFlow(flow)).toThrow(message)
  })

  it('accepts up to 1,000,000 items when MaxItems is raised', () => {
    expect(() =>
      emu.addFlow({ name: 'big', steps: [{ ...map, items: 20_000, maxItems: 1_000_000 }] })
    ).not.toThrow()
  })
})
