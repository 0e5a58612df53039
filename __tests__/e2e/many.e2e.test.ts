/**
 * Following 600 executions in one step, end to end, under the service's real rate limits (the
 * emulator's defaults, which refuse a ListExecutions Limit over 99): dist/index.js reads their
 * statuses with ListExecutions pages while many run (MetadataOnly: statuses only), reads the
 * outputs of those that ended from pages of each end status, then long-polls the last 40, so the
 * last end is seen by a request already waiting for it. Every execution is held until the test
 * releases it: the order of requests is what is asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type RecordedRequest
} from '../../emulator/index.js'
import { runAction } from '../../scripts/run-action.js'

const COUNT = 600
/** Long-polled one by one at the end (src/step/status-sweeps.ts LONG_POLL_LIMIT). */
const LAST = 40
/** ListExecutions pages of 99 (Limit is 1-99 in every current SDK model). */
const PAGES = Math.ceil(COUNT / 99)
const names = Array.from({ length: COUNT }, (_, i) => `many-${String(i).padStart(4, '0')}`)
/** A few of the first 560 fail: their histories are read as always. */
const fails = (i: number): boolean => i < COUNT - LAST && i % 97 === 5

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({
    flows: [
      {
        name: 'fleet',
        hold: true,
        steps: [{ type: 'task', name: 'roll-out', durationMs: 0 }],
        output: (input: unknown) => ({ shard: (input as { index: number }).index })
      }
    ]
  })
})
afterAll(async () => {
  await emulator.close()
})

const answered = (action: string) => (r: RecordedRequest) => r.action === action && r.status === 200
const heldFor = (name: string) => (r: RecordedRequest) =>
  r.params.ExecutionName === name && r.holding === true

describe('following hundreds of executions', () => {
  it(`follows ${COUNT} executions under the real limits, every result right, the last end seen at once`, async () => {
    for (const [index, name] of names.entries()) emulator.createExecution('fleet', name, { index })
    const running = runAction({
      inputs: {
        'flow-name': 'fleet',
        'execution-name': names.join('\n'),
        endpoint: emulator.url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
        timeout: '10m'
      },
      killAfterMs: 180_000
    })
    const early = (): Promise<never> =>
      running.then((run) => {
        throw new Error(`the action exited early (${run.code}):\n${run.stdout.slice(-2000)}`)
      })
    const until = (p: Promise<RecordedRequest>): Promise<RecordedRequest> =>
      Promise.race([p, early()])

    // The first sweep: every status in 7 pages of 99, statuses only, before any DescribeExecution.
    await until(emulator.waitForRequest(answered('ListExecutions'), PAGES))
    const firstSweep = emulator.requests.filter((r) => r.action === 'ListExecutions')
    expect(
      firstSweep.map((r) => [r.params.ExecutionNamePrefix, r.params.Limit, r.params.MetadataOnly])
    ).toEqual(Array.from({ length: PAGES }, () => ['many-0', '99', 'true']))
    expect(emulator.requests.filter((r) => r.action === 'DescribeExecution')).toHaveLength(0)

    // All but the last 40 end; the sweeps see them, and then the last 40 get a long poll each.
    const bulk = names.slice(0, COUNT - LAST)
    for (const [index, name] of bulk.entries()) {
      if (fails(index)) {
        emulator.release('fleet', name, { status: 'Failed', error: 'Shard.Failed', cause: name })
      } else emulator.release('fleet', name)
    }
    const last = names.slice(COUNT - LAST)
    for (const name of last) await until(emulator.waitForRequest(heldFor(name)))
    const describes = emulator.requests.filter((r) => r.action === 'DescribeExecution')
    const describesOf = (name: string) => describes.filter((r) => r.params.ExecutionName === name)
    // One long poll for each of the last 40; an end a sweep saw gets at most one read of its
    // own, when its pages were not the cheaper way to its output.
    for (const name of last) expect(describesOf(name)).toHaveLength(1)
    for (const name of bulk) expect(describesOf(name).length).toBeLessThanOrEqual(1)
    const sweeps = emulator.requests.filter((r) => r.action === 'ListExecutions').length
    // Statuses only in the sweeps; the outputs from pages of each end status, never a status
    // page with outputs. No page was refused, none asked for more than 99.
    const lists = emulator.requests.filter((r) => r.action === 'ListExecutions')
    for (const r of lists) {
      expect(r.status).toBe(200)
      expect(Number(r.params.Limit)).toBeLessThanOrEqual(99)
      if (r.params.MetadataOnly === undefined) {
        expect(['Succeeded', 'Failed']).toContain(r.params.Status)
      } else expect([r.params.MetadataOnly, r.params.Status]).toEqual(['true', undefined])
    }
    expect(lists.filter((r) => r.params.Status === 'Succeeded').length).toBeGreaterThan(0)

    for (const name of last.slice(0, -1)) {
      emulator.release('fleet', name)
      await until(
        emulator.waitForRequest(
          (r) =>
            r.action === 'DescribeExecution' && r.params.ExecutionName === name && r.status === 200
        )
      )
    }
    // The last end: answered by the long poll already held for it. After it, the step sends only
    // the failed executions' history reads; no sweep, no other poll.
    const before = emulator.requests.length
    emulator.release('fleet', last.at(-1)!)
    const run = await running
    const after = emulator.requests.slice(before)
    const failed = bulk.filter((_, i) => fails(i))
    expect(after.map((r) => r.action)).toEqual(failed.map(() => 'GetExecutionHistory'))
    expect(emulator.requests.filter((r) => r.action === 'ListExecutions')).toHaveLength(sweeps)
    expect(emulator.requests.filter((r) => r.action === 'DescribeExecution')).toHaveLength(
      describes.length
    )

    // Every result right; no throttling reached the service's limit, let alone the user.
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('Failed')
    const results = JSON.parse(run.outputs.results!) as Record<string, Record<string, unknown>>
    expect(Object.keys(results)).toHaveLength(COUNT)
    for (const [index, name] of names.entries()) {
      const r = results[name]!
      if (fails(index)) {
        expect(r).toMatchObject({ status: 'Failed', error: 'Shard.Failed', cause: name })
      } else {
        expect(r).toMatchObject({ status: 'Succeeded', output: { shard: index } })
      }
    }
    expect(emulator.requests.filter((r) => r.status === 429)).toHaveLength(0)
    expect(run.stdout).not.toMatch(/ResourceThrottled/)
    expect(run.stdout).toContain(`Reading the statuses of ${COUNT} executions with ListExecutions`)
  }, 150_000)
})
