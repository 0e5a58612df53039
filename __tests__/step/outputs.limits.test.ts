/**
 * The output plan at GitHub's limits (src/step/outputs.ts): `results` is cut to fit, and wire JSON
 * of any depth is safe. (The worst status is step/execution-outcome.test.ts; the output file,
 * step/write-outputs.test.ts.)
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import { OUTPUT_BUDGET_BYTES, planOutputs, utf16Bytes } from '../../src/step/outputs.js'
import { type Tracked } from '../../src/step/execution-outcome.js'
import { tracked } from '../support/tracked.js'

const defaults = {
  flowName: 'deploy',
  defaultOutputFile: () => '/tmp/fnf-wait/deploy/executions.output.json'
}

const total = (values: Record<string, string>) =>
  Object.entries(values).reduce((n, [k, v]) => n + utf16Bytes(k + v), 0)

describe('results: cut to fit GitHub’s 1 MB of outputs', () => {
  const cases: [string, Tracked[]][] = [
    [
      '20,000 failed executions with long names',
      Array.from({ length: 20_000 }, (_, i) =>
        tracked(`run-${String(i).padStart(5, '0')}-${'x'.repeat(100)}`, 'Failed')
      )
    ],
    [
      '2,000 failures with 2 kB causes each',
      Array.from({ length: 2000 }, (_, i) =>
        tracked(`run-${i}`, 'Failed', { Output: '', StartedTime: 'x'.repeat(2000) })
      )
    ],
    [
      '5,000 executions never read, one failed',
      [
        ...Array.from({ length: 5000 }, (_, i) => tracked(`unread-${i}-${'y'.repeat(100)}`)),
        tracked('the-failed-one', 'Failed')
      ]
    ]
  ]
  it.each(cases)('%s', (_, all) => {
    const plan = planOutputs({ ...defaults, tracked: all })
    expect(total(plan.values as unknown as Record<string, string>)).toBeLessThan(
      OUTPUT_BUDGET_BYTES
    )
    const results = JSON.parse(plan.values.results) as Record<string, { status: string }>
    const kept = Object.keys(results)
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.length).toBeLessThan(all.length)
    // The most severe are the ones kept.
    if (all.at(-1)!.name === 'the-failed-one') expect(kept).toContain('the-failed-one')
    expect(plan.values['output-truncated']).toBe('true')
    // Empty outputs fit: the writer's "output too large" warning stays quiet.
    if (all[0]!.execution?.Output === '') expect(plan.outputCut).toBe(false)
    expect(plan.resultsCut).toMatchObject({
      file: '/tmp/fnf-wait/deploy/executions.results.json',
      shown: kept.length,
      total: all.length
    })
    expect(Object.keys(JSON.parse(plan.resultsCut!.content))).toHaveLength(all.length)
  })

  it('a few executions keep the whole results and no cut', () => {
    const plan = planOutputs({ ...defaults, tracked: [tracked('a', 'Failed'), tracked('b')] })
    expect(plan.resultsCut).toBeUndefined()
    expect(plan.namesCut).toBeUndefined()
    expect(plan.values['output-truncated']).toBe('false')
  })
})

describe('wire JSON of any depth', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n)
  it.each([
    ['Output', { Output: deep(100_000) }],
    ['Input', { Input: `{"a":${deep(100_000)}}` }],
    ['both, objects', { Output: '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000) }]
  ] as [string, Partial<Execution>][])('%s: planned without a stack overflow', (_, exec) => {
    const all = [tracked('a', 'Succeeded', exec), tracked('b', 'Succeeded', exec)]
    const plan = planOutputs({ ...defaults, tracked: all })
    // Kept as its text, so the outputs stay valid JSON.
    expect(() => JSON.parse(plan.values.results)).not.toThrow()
    expect(() => JSON.parse(plan.values.output)).not.toThrow()
  })
})
