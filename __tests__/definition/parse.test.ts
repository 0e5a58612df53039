/** Parsing a definition with positions, inside bounds: every bomb is a reason, never a crash. */
import { describe, expect, it } from '@jest/globals'
import {
  DEFINITION_LIMITS,
  parseDefinition,
  type ParseOutcome
} from '../../src/definition/parse.js'

function reason(outcome: ParseOutcome): string {
  if (outcome.kind !== 'invalid') throw new Error('expected the text to be refused')
  return outcome.reason
}

describe('parseDefinition', () => {
  it('parses YAML and JSON through the same path, with 1-based lines', () => {
    const yaml = 'steps:\n  - name: a\n'
    const json = '{\n  "steps": [\n    {"name": "a"}\n  ]\n}\n'
    for (const [source, line] of [
      [yaml, 2],
      [json, 3]
    ] as const) {
      const outcome = parseDefinition(source)
      if (outcome.kind !== 'parsed') throw new Error(outcome.reason)
      expect(outcome.definition.document.toJS()).toEqual({ steps: [{ name: 'a' }] })
      expect(outcome.definition.lines.linePos(source.lastIndexOf('a')).line).toBe(line)
    }
  })

  it('refuses duplicate keys, several documents and broken YAML, naming the place and not the text', () => {
    expect(reason(parseDefinition('steps: []\nsteps: []\n'))).toMatch(/DUPLICATE_KEY at line 2/)
    expect(reason(parseDefinition('a: 1\n---\nb: 2\n'))).toMatch(/MULTIPLE_DOCS/)
    const hostile = 'a: [\n::error::pwned ##[warning]x\n'
    const text = reason(parseDefinition(hostile))
    expect(text).toMatch(/^it is not valid YAML \([A-Z_]+ at line \d+, column \d+\)$/)
    expect(text).not.toContain('pwned')
  })

  it('runs no tag: an unknown or language tag stays data', () => {
    const outcome = parseDefinition(
      'a: !!js/function "function () { globalThis.ran = true }"\nb: !Ref x\n'
    )
    if (outcome.kind !== 'parsed') throw new Error(outcome.reason)
    expect(outcome.definition.document.toJS()).toEqual({
      a: 'function () { globalThis.ran = true }',
      b: 'x'
    })
    expect((globalThis as { ran?: boolean }).ran).toBeUndefined()
  })

  it('refuses a text over the byte cap before parsing it', () => {
    const big = `a: "${'x'.repeat(DEFINITION_LIMITS.maxBytes)}"\n`
    expect(reason(parseDefinition(big))).toMatch(/over the limit of 1 MiB/)
    expect(reason(parseDefinition('a: "ééé"\n', { ...DEFINITION_LIMITS, maxBytes: 8 }))).toMatch(
      /it is 12 bytes, over the limit of 8 bytes/
    )
  })

  it.each([
    ['flow sequences', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['JSON objects', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['compact block sequences', '- '.repeat(100_000) + 'x'],
    ['explicit keys', '? '.repeat(100_000) + 'x'],
    ['indentation', Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1']
  ])('refuses nesting bombs of %s before the recursive parser sees them', (_kind, source) => {
    expect(reason(parseDefinition(source))).toMatch(/nests deeper than the limit of 384 levels/)
  })

  it('measures the exact nesting of what passes the token scan', () => {
    const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)
    expect(parseDefinition(nested(64)).kind).toBe('parsed')
    expect(reason(parseDefinition(nested(65)))).toMatch(
      /nests collections deeper than the limit of 64/
    )
    // Block style: one level per two columns of indentation.
    const block = (depth: number): string =>
      Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ' 1\n'
    expect(parseDefinition(block(64)).kind).toBe('parsed')
    expect(reason(parseDefinition(block(65)))).toMatch(/deeper than the limit of 64/)
  })

  it('caps the node count, in the token scan and in the tree', () => {
    const many = `[${Array.from({ length: 100_001 }, () => '1').join(',')}]`
    expect(reason(parseDefinition(many))).toMatch(/more than 100,000 nodes/)
    const few = { ...DEFINITION_LIMITS, maxNodes: 10 }
    expect(reason(parseDefinition('[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]', few))).toMatch(
      /more than 10 nodes/
    )
  })

  it('parses an alias bomb without expanding it (expansion is capped where data is made)', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i)
      const name = String.fromCharCode(97 + i)
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    const outcome = parseDefinition(levels.join('\n'))
    expect(outcome.kind).toBe('parsed')
  })
})
