/** The `input` input (src/config/execution-input.ts): one object, or one per execution by name. */
import { describe, expect, it } from '@jest/globals'
import { inputFor, MAX_INPUT_DEPTH, parseExecutionInput } from '../../src/config/execution-input.js'

describe('parseExecutionInput', () => {
  it('an empty input is {}; an object comes back as compact JSON', () => {
    expect(parseExecutionInput('  ', false)).toBe('{}')
    expect(parseExecutionInput('{ "a": [1, 2] }', true)).toBe('{"a":[1,2]}')
  })

  it.each([
    ['not JSON', '{a:1}', /^Input "input" is not valid JSON/],
    ['an array', '[1]', /^Input "input" is \[1\], but the execution input must be a JSON object/],
    ['null', 'null', /must be a JSON object/],
    [
      'too deep',
      `{"a":${'['.repeat(MAX_INPUT_DEPTH)}${']'.repeat(MAX_INPUT_DEPTH)}}`,
      /nests deeper/
    ]
  ])('refuses %s, naming the input', (_, raw, message) => {
    expect(() => parseExecutionInput(raw, true)).toThrow(message)
  })

  it('refuses a non-empty input without start, saying what to do', () => {
    expect(() => parseExecutionInput('{"a":1}', false)).toThrow(/set "start: true"/)
  })
})

describe('inputFor', () => {
  const names = ['eu', 'us']

  it('one object is every execution input; keyed by name, each gets its own', () => {
    expect(inputFor('eu', names, '{"region":"x"}')).toBe('{"region":"x"}')
    expect(inputFor('us', names, '{"eu":{"n":1},"us":{"n":2}}')).toBe('{"n":2}')
    expect(inputFor('only', ['only'], '{"only":{"n":1}}')).toBe('{"only":{"n":1}}')
  })

  it('a keyed object without an entry for a name is an error naming it', () => {
    expect(() => inputFor('us', [...names, 'ap'], '{"eu":{},"ap":{}}')).toThrow(
      /has no entry for "us"/
    )
  })
})
