/** DescribeMapRun: its fields, the `+08:00` time form, its checks and its rate bucket. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { HistoryEvent } from '../../src/fnf/types.js'
import { startEmulator, type Emulator } from '../index.js'
import { chinaTime } from '../rfc3339.js'
import {
  DEEP_CHILD,
  call,
  describeMapRun,
  fanFlow,
  history,
  mapRunName,
  untilEnded,
  fastEmulator,
  itemCounts
} from './map-run-helpers.js'

const CHINA_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/

describe('DescribeMapRun', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await fastEmulator([
      fanFlow('fan', {
        items: 30,
        concurrency: 7,
        toleratedFailureCount: 3,
        toleratedFailurePercentage: 12.5
      }),
      fanFlow('defaults', { items: 3 }),
      // An hour of emulated time Pending: long enough that the test sees it, whatever the box.
      fanFlow('pending', { items: 3, pendingMs: 3_600_000 }, { prepare: false }),
      fanFlow('held', { items: 3, child: { ...DEEP_CHILD, hold: true } }, { prepare: false })
    ])
  })
  afterAll(() => emu.close())

  it('answers every field of the model, times in the +08:00 form of the MapRun start and end', async () => {
    emu.createExecution('fan', 'run-1')
    await untilEnded(emu, 'fan', 'run-1')
    const name = mapRunName(emu, 'fan', 'run-1')
    const r = await call(emu, 'DescribeMapRun', {
      FlowName: 'fan',
      ExecutionName: 'run-1',
      MapRunName: name
    })
    expect(r.status).toBe(200)
    expect(Object.keys(r.json ?? {}).sort()).toEqual([
      'Concurrency',
      'ExecutionName',
      'ItemCounts',
      'MapRunName',
      'RequestId',
      'StartedTime',
      'Status',
      'StoppedTime',
      'ToleratedFailedCount',
      'ToleratedFailedPercentage'
    ])
    expect(r.json).toMatchObject({
      Status: 'Succeeded',
      Concurrency: 7,
      ToleratedFailedCount: 3,
      ToleratedFailedPercentage: 12.5,
      ExecutionName: 'run-1',
      MapRunName: name,
      ItemCounts: itemCounts(30, { Succeed: 30 })
    })
    expect(r.json?.StartedTime).toMatch(CHINA_TIME)
    expect(r.json?.StoppedTime).toMatch(CHINA_TIME)
    const events = await history(emu, 'fan', 'run-1')
    const started = events.find((e) => e.Type === 'MapRunStarted') as HistoryEvent
    const mapEnded = events.find((e) => e.Type === 'StepSucceeded' && e.StepName === 'process')
    expect(r.json?.StartedTime).toBe(chinaTime(Date.parse(started.Time)))
    expect(r.json?.StoppedTime).toBe(chinaTime(Date.parse(mapEnded?.Time ?? '')))
  })

  it('writes China Standard Time in whole seconds', () => {
    expect(chinaTime(Date.parse('2025-10-24T06:11:26.987Z'))).toBe('2025-10-24T14:11:26+08:00')
    expect(chinaTime(Date.parse('2025-12-31T16:00:00.000Z'))).toBe('2026-01-01T00:00:00+08:00')
  })

  it('reports 100 and no tolerance by default, and no StoppedTime while running', async () => {
    emu.createExecution('held', 'run-1')
    const name = mapRunName(emu, 'held', 'run-1')
    const run = await describeMapRun(emu, 'held', 'run-1', name)
    expect(run).toMatchObject({
      Status: 'Running',
      Concurrency: 100,
      ToleratedFailedCount: 0,
      ToleratedFailedPercentage: 0,
      ItemCounts: { Total: 3, Running: 3 }
    })
    expect(run.StoppedTime).toBeUndefined()
  })

  it('is Pending until its first children start', async () => {
    emu.createExecution('pending', 'run-1')
    const name = mapRunName(emu, 'pending', 'run-1')
    const run = await describeMapRun(emu, 'pending', 'run-1', name)
    expect(run).toMatchObject({
      Status: 'Pending',
      ItemCounts: { Total: 3, Pending: 3, Running: 0 }
    })
    const list = await call(emu, 'ListExecutions', { FlowName: 'pending', MapRunName: name })
    expect(list.json?.Executions).toEqual([])
  })

  it('requires FlowName, ExecutionName and MapRunName, checks them, and finds the MapRun only under its own execution', async () => {
    emu.createExecution('defaults', 'run-1')
    emu.createExecution('defaults', 'run-2')
    await untilEnded(emu, 'defaults', 'run-1')
    await untilEnded(emu, 'defaults', 'run-2')
    const name = mapRunName(emu, 'defaults', 'run-1')
    const ok = { FlowName: 'defaults', ExecutionName: 'run-1', MapRunName: name }
    const cases: [Record<string, string>, number, string, RegExp][] = [
      [{ ExecutionName: 'run-1', MapRunName: name }, 400, 'MissingRequiredParams', /FlowName/],
      [{ FlowName: 'defaults', MapRunName: name }, 400, 'MissingRequiredParams', /ExecutionName/],
      [
        { FlowName: 'defaults', ExecutionName: 'run-1' },
        400,
        'MissingRequiredParams',
        /MapRunName/
      ],
      [{ ...ok, MapRunName: 'bad name' }, 400, 'InvalidArgument', /MapRunName 'bad name'/],
      [{ ...ok, FlowName: 'nope' }, 404, 'FlowNotExists', /nope/],
      [{ ...ok, ExecutionName: 'nope' }, 404, 'ExecutionNotExists', /nope/],
      [{ ...ok, ExecutionName: 'run-2' }, 404, 'MapRunNotExists', new RegExp(name)],
      [{ ...ok, MapRunName: 'c39142f1345b196d678333c41f113200' }, 404, 'MapRunNotExists', /c391/]
    ]
    for (const [params, status, code, message] of cases) {
      const r = await call(emu, 'DescribeMapRun', params)
      expect([params, r.status, r.json?.Code]).toEqual([params, status, code])
      expect(r.json?.Message).toMatch(message)
    }
    const answered = await call(emu, 'DescribeMapRun', { ...ok, RequestId: 'my-request-id' })
    expect(answered.json?.RequestId).toBe('my-request-id')
  })
})

describe('DescribeMapRun throttling', () => {
  it('draws on the bucket of every other API (`*`)', async () => {
    const emu = await startEmulator({
      rateLimit: { '*': { burst: 1, refillPerSecond: 0 } },
      flows: [
        fanFlow('held', { items: 1, child: { ...DEEP_CHILD, hold: true } }, { prepare: false })
      ]
    })
    try {
      emu.createExecution('held', 'run-1')
      const params = {
        FlowName: 'held',
        ExecutionName: 'run-1',
        MapRunName: mapRunName(emu, 'held', 'run-1')
      }
      expect((await call(emu, 'DescribeMapRun', params)).status).toBe(200)
      const second = await call(emu, 'DescribeMapRun', params)
      expect([second.status, second.json?.Code]).toEqual([429, 'ResourceThrottled'])
    } finally {
      await emu.close()
    }
  })
})
