/**
 * JSON depth (src/config/json-depth.ts): an input nested past the limit is refused, naming the
 * input and the limit, before it can overflow the stack of a parser or a serializer downstream.
 */
import { describe, expect, it } from '@jest/globals'
import { MAX_INPUT_DEPTH } from '../../src/config/execution-input.js'
import { parseConfig } from '../../src/config/inputs.js'
import { jsonDepth } from '../../src/config/json-depth.js'
import { BASE_INPUTS, inputErrorOf } from '../support/config.js'

const base = BASE_INPUTS
const errorOf = inputErrorOf

describe('input: deep JSON names the input and the limit', () => {
  const deep = (n: number, open: string, close: string) => open.repeat(n) + close.repeat(n)
  const cases: [string, string][] = [
    ['arrays, 100k deep', `{"a":${deep(100_000, '[', ']')}}`],
    ['objects, 20k deep', `{"a":${deep(20_000, '{"a":', '}').replace(/\{"a":\}/, '{}')}}`],
    ['just past the limit', `{"a":${deep(MAX_INPUT_DEPTH, '[', ']')}}`],
    ['keyed input with a deep entry', `{"run-1":{"a":${deep(50_000, '[', ']')}},"run-2":{}}`]
  ]
  it.each(cases)('%s', (_, input) => {
    const names = input.startsWith('{"run-1"') ? 'run-1\nrun-2' : 'run-1'
    expect(errorOf({ ...base, start: 'true', 'execution-name': names, input })).toMatch(
      new RegExp(`^Input "input" nests deeper than ${MAX_INPUT_DEPTH} levels`)
    )
  })
  it('at the limit it is accepted', () => {
    const input = `{"a":${deep(MAX_INPUT_DEPTH - 1, '[', ']')}}`
    const config = parseConfig((name) => ({ ...base, start: 'true', input })[name] ?? '', {})
    expect(jsonDepth(JSON.parse(config.executions[0]!.input))).toBe(MAX_INPUT_DEPTH)
  })
})
