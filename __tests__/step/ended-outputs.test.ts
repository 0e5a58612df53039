/**
 * The outputs of ends a sweep saw (src/step/ended-outputs.ts): when pages of a status beat one
 * DescribeExecution each, which listed entries are believed as whole, and the narrowed read of
 * them against the emulator, its real pages and a hostile one (the `answer` fault).
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import { Deadline } from '../../src/step/deadline.js'
import {
  fromPages,
  isWhole,
  PAGE_COST_IN_READS,
  readEndedOutputs
} from '../../src/step/ended-outputs.js'
import { Listing } from '../../src/step/listing.js'
import { useFollowing } from '../support/follow.js'

const FLOW = 'fan-out'
const f = useFollowing({
  flows: [{ name: FLOW, hold: true, steps: [{ type: 'task', name: 'shard', durationMs: 0 }] }]
})

function listing(names: readonly string[]): Listing {
  return new Listing(
    {
      client: f.client(),
      flowName: FLOW,
      deadline: Deadline.after(60_000),
      signal: new AbortController().signal,
      log: () => undefined
    },
    new Set(names)
  )
}

/** An execution as listed; `undefined` leaves a field out, as a hostile listing may. */
const ended = (over: { [K in keyof Execution]?: Execution[K] | undefined }): Execution =>
  ({
    Name: 'e',
    FlowName: FLOW,
    Status: 'Succeeded',
    Output: '{"ok":true}',
    ...over
  }) as Execution

describe('fromPages', () => {
  it('weighs a page as five reads one by one (the buckets, and the sweep it holds back)', () => {
    expect(PAGE_COST_IN_READS).toBe(5)
  })

  it.each([
    // pending, listed in that status, page size, reads already queued → pages?
    [1, 1, 99, 0, false],
    [5, 5, 99, 0, false],
    [6, 6, 99, 0, true],
    [40, 500, 99, 0, true],
    [25, 500, 99, 0, false],
    // 200 KiB outputs: ~27 a page, so pages only when most of the listed are pending…
    [80, 1000, 27, 0, false],
    [200, 1000, 27, 0, true],
    // …or when the reads one by one have fallen behind.
    [80, 1000, 27, 120, true]
  ])(
    '%i pending of %i listed, %i a page, %i reads queued: %s',
    (pending, listed, pageSize, queued, expected) => {
      expect(fromPages(pending, listed, pageSize, queued)).toBe(expected)
    }
  )
})

describe('isWhole', () => {
  it('believes an entry in the status asked for with an output that is JSON', () => {
    expect(isWhole(ended({}), 'Succeeded')).toBe(true)
    expect(isWhole(ended({ Output: '"text"' }), 'Succeeded')).toBe(true)
    expect(isWhole(ended({ Status: 'Failed', Output: undefined }), 'Failed')).toBe(true)
    expect(isWhole(ended({ Status: 'Failed', Output: '{}' }), 'Failed')).toBe(true)
  })

  it('doubts a cut or missing output of a success, an output that is not JSON, another status', () => {
    expect(isWhole(ended({ Output: '{"ok":tr' }), 'Succeeded')).toBe(false)
    expect(isWhole(ended({ Output: undefined }), 'Succeeded')).toBe(false)
    expect(isWhole(ended({ Output: '' }), 'Succeeded')).toBe(false)
    expect(isWhole(ended({ Status: 'Failed', Output: '{"a":' }), 'Failed')).toBe(false)
    expect(isWhole(ended({ Status: 'Running' }), 'Succeeded')).toBe(false)
    expect(isWhole(ended({ Status: 'Failed' }), 'Succeeded')).toBe(false)
  })
})

describe('readEndedOutputs', () => {
  it('reads the pages of the status, narrowed to the pending ends, until each is listed', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `read-${String(i).padStart(2, '0')}`)
    for (const name of names) f.emulator.createExecution(FLOW, name, {})
    for (const name of names) f.emulator.release(FLOW, name, { output: { name } })
    const pending = new Map(
      names.slice(20, 24).map((name) => {
        const started = new Date(f.emulator.execution(FLOW, name)!.startedAt).toISOString()
        return [name, ended({ Name: name, StartedTime: started, Output: undefined })] as const
      })
    )
    const read = await readEndedOutputs(listing(names), 'Succeeded', pending)
    if (!read.ok) throw new Error(read.why)
    expect([...read.whole.keys()].sort()).toEqual(names.slice(20, 24))
    for (const [name, execution] of read.whole)
      expect(JSON.parse(execution.Output!)).toEqual({ name })
    const requests = f.emulator.requests.filter((r) => r.action === 'ListExecutions')
    expect(requests[0]!.params).toMatchObject({
      ExecutionNamePrefix: 'read-2',
      Status: 'Succeeded',
      StartedTimeBegin: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    })
    expect(requests[0]!.params.MetadataOnly).toBeUndefined()
  })

  it('keeps only whole entries: a cut or missing output is left for its own read', async () => {
    const names = ['h-cut', 'h-whole', 'h-missing', 'h-other']
    f.emulator.injectFault({
      kind: 'answer',
      action: 'ListExecutions',
      body: JSON.stringify({
        Executions: [
          { Name: 'h-cut', FlowName: FLOW, Status: 'Succeeded', Output: '{"big":"xxxx' },
          { Name: 'h-whole', FlowName: FLOW, Status: 'Succeeded', Output: '{"ok":1}' },
          { Name: 'h-missing', FlowName: FLOW, Status: 'Succeeded' },
          { Name: 'h-other', FlowName: 'not-ours', Status: 'Succeeded', Output: '{}' }
        ]
      })
    })
    const pending = new Map(names.map((name) => [name, undefined] as const))
    const read = await readEndedOutputs(listing(names), 'Succeeded', pending)
    if (!read.ok) throw new Error(read.why)
    expect([...read.whole.keys()]).toEqual(['h-whole'])
  })

  it('says why when the pages cannot be read', async () => {
    f.emulator.injectFault({ kind: 'server-error', action: 'ListExecutions' })
    const read = await readEndedOutputs(
      listing(['x-1']),
      'Succeeded',
      new Map([['x-1', undefined]])
    )
    expect(read).toEqual({ ok: false, why: expect.stringMatching(/HTTP 500 InternalServerError/) })
  })
})
