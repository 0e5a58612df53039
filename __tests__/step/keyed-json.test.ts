/**
 * The step's keyed JSON made one entry at a time (src/step/keyed-json.ts): the very text a
 * whole-object stringify gives, its length and first part known without making the whole.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { keyedJson, parsed, parsedJson } from '../../src/step/keyed-json.js'

type Entry = [name: string, text: string]

/** What the step wrote before: the whole object, parsed, stringified at once. */
const whole = (entries: readonly Entry[]): string =>
  JSON.stringify(Object.fromEntries(entries.map(([name, text]) => [name, parsed(text)])))

const made = (entries: readonly Entry[]) =>
  keyedJson(
    entries,
    ([name]) => name,
    ([, text]) => parsedJson(text)
  )

// Names that order or collide the way object keys do: integer-like ones go first, a repeated one
// keeps its first place and its last value, `__proto__` is an ordinary key.
const names = fc.constantFrom('run-1', 'b', '10', '2', '0', '01', '__proto__', 'x:y', 'é😀')
const texts = fc.oneof(
  fc.json(),
  fc.json().map((json) => JSON.stringify(JSON.parse(json), null, 2)),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '[[[[]]]]', '{"a":"\\u0041😀"}', '"a string"', 'not json', '[1,')
)

describe('keyedJson', () => {
  it('is the text, length and prefixes of the whole object stringified at once', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(names, texts), { maxLength: 12 }), fc.nat(), (entries, at) => {
        const expected = whole(entries)
        const keyed = made(entries)
        expect(keyed.text()).toBe(expected)
        expect([...keyed.pieces()].join('')).toBe(expected)
        expect(keyed.length).toBe(expected.length)
        const units = at % (expected.length + 3)
        expect(keyed.prefix(units)).toBe(expected.slice(0, units))
      })
    )
  })

  it('gives the whole in one piece per entry, each made only when asked for', () => {
    const entries: Entry[] = Array.from({ length: 100 }, (_, i) => [`run-${i}`, `{"i":${i}}`])
    let made = 0
    const keyed = keyedJson(
      entries,
      ([name]) => name,
      ([, text]) => ({ length: text.length, json: () => (made++, text) })
    )
    expect(made).toBe(0)
    expect(keyed.length).toBe(whole(entries).length)
    expect(keyed.prefix(20)).toBe('{"run-0":{"i":0},"ru')
    expect(made).toBe(2)
    const pieces = [...keyed.pieces()]
    expect(pieces).toHaveLength(102)
    expect(pieces.slice(0, 3)).toEqual(['{', '"run-0":{"i":0}', ',"run-1":{"i":1}'])
    expect(pieces.at(-1)).toBe('}')
  })

  it('an empty object', () => {
    expect(made([]).text()).toBe('{}')
    expect(made([]).length).toBe(2)
  })
})

describe('parsedJson', () => {
  it.each([
    ['compact JSON: the text itself', '{"a":[1,2]}', '{"a":[1,2]}', false],
    ['spaced JSON: written compact', '{ "a": [1, 2] }', '{"a":[1,2]}', false],
    ['no output', '', 'null', false],
    ['not JSON: a string of the text', 'oops {', '"oops {"', true],
    [
      'too deep to write back: a string of the text',
      '['.repeat(100_000) + ']'.repeat(100_000),
      null,
      true
    ]
  ])('%s', (_, text, json, raw) => {
    const value = parsedJson(text)
    if (json !== null) expect(value.json()).toBe(json)
    else expect(value.json()).toBe(JSON.stringify(text))
    expect(value.length).toBe(value.json().length)
    expect(value.raw).toBe(raw)
  })

  it('undefined is null', () => {
    expect(parsedJson(undefined)).toMatchObject({ length: 4, raw: false })
  })
})
