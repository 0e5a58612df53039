/**
 * Many executions in one step, end to end: dist/index.js waits on 200 executions of the emulator
 * that end at random times, some failing, under the service's real rate limit (a bucket of 50
 * refilled 5/s per API and key). Every result must be right and no throttling may reach the user.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type FlowScript
} from '../../emulator/index.js'
import { runAction } from '../../scripts/run-action.js'

const COUNT = 200
// A seeded generator: the same "random" end times and failures on every run.
function random(seed: number): () => number {
  let x = seed
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31
    return x / 2 ** 31
  }
}

const rand = random(42)
const plan = Array.from({ length: COUNT }, (_, i) => ({
  name: `shard-${String(i).padStart(3, '0')}`,
  endsAfterMs: Math.round(1000 + rand() * 15_000),
  fails: rand() < 0.1
}))
// One flow; each execution's input picks its own branch: how long it runs and whether it fails.
const SHARDS: FlowScript = {
  name: 'shards',
  steps: [
    {
      type: 'choice',
      name: 'by-shard',
      branches: plan.map((p) =>
        p.fails
          ? [
              { type: 'wait' as const, name: 'warm-up', durationMs: p.endsAfterMs },
              {
                type: 'fail' as const,
                name: 'migrate',
                error: 'Shard.Failed',
                cause: `${p.name} rejected the schema`
              }
            ]
          : [{ type: 'wait' as const, name: 'warm-up', durationMs: p.endsAfterMs }]
      ),
      pick: (input) => (input as { index: number }).index
    }
  ],
  output: (input: unknown) => ({ shard: (input as { name: string }).name })
}

let emulator: Emulator

beforeAll(async () => {
  // Emulated time runs 4× real time: the executions end 0.25 to 4 s after they start, still spread
  // over many sweeps; the rate limit stays the service's, in real time.
  emulator = await startEmulator({ speed: 4 })
})
afterAll(async () => {
  await emulator.close()
})

const keys = {
  'access-key-id': DEMO_CREDENTIAL.accessKeyId,
  'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
}

describe('several executions in one step', () => {
  it(`waits on ${COUNT} executions with no throttling error, every result right`, async () => {
    emulator.addFlow(SHARDS)
    for (const [index, p] of plan.entries())
      emulator.createExecution('shards', p.name, { index, name: p.name })

    const run = await runAction({
      inputs: {
        'flow-name': 'shards',
        'execution-name': plan.map((p) => p.name).join('\n'),
        endpoint: emulator.url,
        ...keys,
        timeout: '5m'
      },
      killAfterMs: 240_000
    })

    const failing = plan.filter((p) => p.fails)
    expect(failing.length).toBeGreaterThan(5)
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('Failed')
    const results = JSON.parse(run.outputs.results!)
    expect(Object.keys(results)).toHaveLength(COUNT)
    for (const p of plan) {
      const r = results[p.name]
      expect(r.status).toBe(p.fails ? 'Failed' : 'Succeeded')
      if (p.fails) {
        expect(r['failed-step']).toMatch(/migrate$/)
        expect(r.error).toBe('Shard.Failed')
        expect(r.cause).toBe(`${p.name} rejected the schema`)
      } else {
        expect(r.output).toEqual({ shard: p.name })
      }
    }
    expect(JSON.parse(run.outputs.output!)[plan[0]!.name]).toEqual(
      plan[0]!.fails ? null : { shard: plan[0]!.name }
    )

    // No throttling reached the service's limit, let alone the user.
    const throttled = emulator.requests.filter((r) => r.status === 429)
    expect(throttled).toHaveLength(0)
    expect(run.stdout).not.toMatch(/ResourceThrottled/)
    // Past 40 running, statuses come from ListExecutions pages; then at most a long poll or two
    // for each of the rest (many.e2e.test.ts counts them exactly), plus the failed ones' history.
    expect(emulator.requests.filter((r) => r.action === 'ListExecutions').length).toBeGreaterThan(0)
    const polls = emulator.requests.filter((r) => r.action === 'DescribeExecution')
    expect(polls.length).toBeLessThanOrEqual(COUNT * 2)
    expect(emulator.requests.filter((r) => r.action === 'GetExecutionHistory').length).toBe(
      failing.length
    )

    // The summary has a row per execution and the failures first; annotations stay within 10.
    expect(run.summary).toMatch(
      new RegExp(`${failing.length} of ${COUNT} FnF executions did not succeed`)
    )
    const firstRow = run.summary.split('\n').find((line) => line.startsWith('| <code>'))
    expect(firstRow).toMatch(/Failed/)
    const errors = run.annotations.filter((a) => a.level === 'error')
    expect(errors.length).toBeLessThanOrEqual(10)
    expect(errors.at(-1)!.message).toMatch(new RegExp(`${failing.length} of ${COUNT} executions`))
  }, 300_000)

  it('fail-fast stops waiting at the first failure and stops the others it started', async () => {
    emulator.addFlow({
      name: 'fanout',
      steps: [
        {
          type: 'choice',
          name: 'by-region',
          branches: [
            [{ type: 'fail', name: 'deploy', error: 'Region.Down', cause: 'eu is down' }],
            [{ type: 'wait', name: 'deploy', durationMs: 600_000 }]
          ],
          pick: (input) => ((input as { region: string }).region === 'eu' ? 0 : 1)
        }
      ]
    })
    const run = await runAction({
      inputs: {
        'flow-name': 'fanout',
        'execution-name': 'ff-eu\nff-us\nff-ap',
        start: 'true',
        input: JSON.stringify({
          'ff-eu': { region: 'eu' },
          'ff-us': { region: 'us' },
          'ff-ap': { region: 'ap' }
        }),
        'fail-fast': 'true',
        endpoint: emulator.url,
        ...keys
      }
    })
    expect(run.code).toBe(1)
    expect(run.outputs.status).toBe('Failed')
    const results = JSON.parse(run.outputs.results!)
    expect(results['ff-eu'].status).toBe('Failed')
    for (const name of ['ff-us', 'ff-ap']) {
      expect(emulator.execution('fanout', name)?.status).toBe('Stopped')
      const stop = emulator.requests.find(
        (r) => r.action === 'StopExecution' && r.params.ExecutionName === name
      )
      expect(stop?.params.Error).toBe('FnfWaitFailFast')
    }
  })

  it('a missing execution is reported on its own while the others are followed to the end', async () => {
    emulator.addFlow({ name: 'quick', steps: [{ type: 'task', name: 'work', durationMs: 300 }] })
    emulator.createExecution('quick', 'q-1', {})
    emulator.createExecution('quick', 'q-2', {})
    const run = await runAction({
      inputs: {
        'flow-name': 'quick',
        'execution-name': 'q-1\nq-missing\nq-2',
        endpoint: emulator.url,
        ...keys
      }
    })
    expect(run.code).toBe(1)
    const results = JSON.parse(run.outputs.results!)
    expect(results['q-1'].status).toBe('Succeeded')
    expect(results['q-2'].status).toBe('Succeeded')
    expect(results['q-missing'].status).toBe('')
    expect(results['q-missing'].cause).toMatch(/ExecutionNotExists/)
    expect(run.annotations.find((a) => a.level === 'error' && !a.title)?.message).toMatch(
      /1 of 3 executions of flow quick did not succeed: q-missing/
    )
  })

  it('a wrong secret fails the step once, not once per execution', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `nope-${i}`)
    const before = emulator.count()
    const run = await runAction({
      inputs: {
        'flow-name': 'quick',
        'execution-name': names.join('\n'),
        endpoint: emulator.url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': 'wrong'
      }
    })
    expect(run.code).toBe(1)
    const errors = run.annotations.filter((a) => a.level === 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toMatch(/SignatureNotMatch/)
    // Each execution's first long poll was already on its way; none was retried.
    expect(emulator.count() - before).toBeLessThanOrEqual(names.length)
  })
})
