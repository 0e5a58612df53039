/**
 * The output plan's large texts (src/step/outputs.ts): the output file and the whole `results`
 * are given in pieces, one per execution, so the writer never holds either as one string; the
 * step outputs cut from them are the ones the whole texts would give.
 */
import { describe, expect, it } from '@jest/globals'
import { planOutputs } from '../../src/step/outputs.js'
import { tracked } from '../support/tracked.js'

const defaults = {
  flowName: 'deploy',
  defaultOutputFile: () => '/tmp/fnf-wait/deploy/executions.output.json'
}

const keyedOutputs = (all: ReturnType<typeof tracked>[]): string =>
  JSON.stringify(Object.fromEntries(all.map((t) => [t.name, JSON.parse(t.execution!.Output!)])))

describe('the output file and the whole results, in pieces', () => {
  const all = Array.from({ length: 300 }, (_, i) =>
    tracked(`shard-${i}`, 'Succeeded', {
      Output: JSON.stringify({ shard: i, pad: 'x'.repeat(5000) })
    })
  )
  // Small enough that `results` lists only some executions, even without their outputs.
  const plan = planOutputs({ ...defaults, tracked: all, budgetBytes: 40_000 })

  it('the output file: one piece per execution, together the whole output', () => {
    expect(plan.outputCut).toBe(true)
    const pieces = [...plan.filePieces!()]
    expect(pieces).toHaveLength(all.length + 2)
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(5100)
    expect(pieces.join('')).toBe(keyedOutputs(all))
    expect(plan.fileContent).toBe(keyedOutputs(all))
  })

  it('the whole results: one piece per execution, each with its output', () => {
    const cut = plan.resultsCut!
    expect(cut.shown).toBeLessThan(all.length)
    const pieces = [...cut.pieces()]
    expect(pieces).toHaveLength(all.length + 2)
    const whole = JSON.parse(pieces.join('')) as Record<string, Record<string, unknown>>
    expect(pieces.join('')).toBe(cut.content)
    all.forEach((t, i) =>
      expect(whole[t.name]).toMatchObject({
        status: 'Succeeded',
        output: { shard: i, pad: 'x'.repeat(5000) },
        'output-truncated': false
      })
    )
  })

  it('no file, no pieces', () => {
    const small = planOutputs({ ...defaults, tracked: all.slice(0, 2) })
    expect(small.filePieces).toBeUndefined()
    expect(small.fileContent).toBeUndefined()
  })
})

describe('outputs cut from the pieces', () => {
  const all = ['a', 'b', 'c'].map((name) =>
    tracked(name, 'Succeeded', {
      Output: JSON.stringify('😀'.repeat(3000)),
      Input: JSON.stringify({ emoji: '😀'.repeat(3000) })
    })
  )
  it.each(Array.from({ length: 12 }, (_, i) => 25_000 + 2 * i))(
    'budget %i: a prefix of the whole, never half a surrogate pair',
    (budgetBytes) => {
      const plan = planOutputs({ ...defaults, tracked: all, budgetBytes })
      const whole = keyedOutputs(all)
      const { output, input } = plan.values
      expect(plan.outputCut).toBe(true)
      expect(output.length).toBeGreaterThan(0)
      expect(whole.startsWith(output)).toBe(true)
      for (const text of [output, input]) expect(text).not.toMatch(/[\ud800-\udbff]$/)
    }
  )

  it('keys in the order a whole-object stringify gives: integer-like names first', () => {
    const named = ['b', '10', '2', '__proto__'].map((name) => tracked(name, 'Succeeded'))
    const plan = planOutputs({ ...defaults, tracked: named })
    expect(Object.keys(JSON.parse(plan.values.output))).toEqual(['2', '10', 'b', '__proto__'])
    expect(Object.keys(JSON.parse(plan.values.results))).toEqual(['2', '10', 'b', '__proto__'])
    expect(plan.values.output).toBe(keyedOutputs(named))
  })
})
