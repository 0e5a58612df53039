/** Whether a file holds the executed definition: the same data, however it is written. */
import { describe, expect, it } from '@jest/globals'
import { parsed } from './helpers.js'
import { compareDefinition, executedData, firstDifference } from '../../src/definition/same.js'

const EXECUTED = `version: v1
type: flow
steps:
  - type: task
    name: hello
    resourceArn: acs:fc:cn-hangzhou:1:services/s/functions/f
    retry:
      - errors: [FnF.ALL]
        maxAttempts: 3
`

describe('compareDefinition', () => {
  it('is the same whatever the key order, quoting, comments, flow style, anchors or JSON', () => {
    const yaml = `# our flow
steps:
  - name: 'hello'   # the only step
    retry: [{maxAttempts: 3, errors: [&all "FnF.ALL"]}]
    resourceArn: "acs:fc:cn-hangzhou:1:services/s/functions/f"
    type: task
type: flow
version: v1
`
    const json = JSON.stringify(parsed(EXECUTED).document.toJS(), null, 4)
    for (const file of [yaml, json, EXECUTED]) {
      expect(compareDefinition(parsed(file), executedData(EXECUTED))).toEqual({ kind: 'same' })
    }
    // The executed definition may itself be JSON.
    expect(compareDefinition(parsed(yaml), executedData(json))).toEqual({ kind: 'same' })
  })

  it('says where the data first differs', () => {
    const other = EXECUTED.replace('maxAttempts: 3', 'maxAttempts: 4')
    expect(compareDefinition(parsed(other), executedData(EXECUTED))).toEqual({
      kind: 'different',
      reason: 'the file differs from the executed definition at "steps"[0]."retry"[0]."maxAttempts"'
    })
    const renamed = EXECUTED.replace('name: hello', 'name: bye')
    expect(compareDefinition(parsed(renamed), executedData(EXECUTED))).toMatchObject({
      kind: 'different',
      reason: expect.stringContaining('"steps"[0]."name"')
    })
    const extra = `${EXECUTED}timeoutSeconds: 60\n`
    expect(compareDefinition(parsed(extra), executedData(EXECUTED))).toEqual({
      kind: 'different',
      reason: 'the file differs from the executed definition at the top level'
    })
    // 3 and "3" are different data.
    const quoted = EXECUTED.replace('maxAttempts: 3', 'maxAttempts: "3"')
    expect(compareDefinition(parsed(quoted), executedData(EXECUTED)).kind).toBe('different')
  })

  it('is different, with the reason, when either side cannot be read', () => {
    expect(compareDefinition(parsed(EXECUTED), executedData('steps: [\n'))).toEqual({
      kind: 'different',
      reason: expect.stringMatching(/^the executed definition cannot be read: it is not valid YAML/)
    })
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 10; i++) {
      const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)]
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`)
    }
    const bomb = `${EXECUTED}${levels.join('\n')}\n`
    expect(compareDefinition(parsed(bomb), executedData(EXECUTED))).toEqual({
      kind: 'different',
      reason: 'the file cannot be read: its aliases expand past the limit of 100'
    })
    expect(executedData(bomb)).toEqual({
      kind: 'invalid',
      reason: 'the executed definition cannot be read: its aliases expand past the limit of 100'
    })
  })

  it('merges << keys before comparing', () => {
    const merged = `base: &base {type: task, resourceArn: x}
steps:
  - <<: *base
    name: a
`
    const expanded =
      'base: {type: task, resourceArn: x}\nsteps: [{type: task, resourceArn: x, name: a}]\n'
    expect(compareDefinition(parsed(merged), executedData(expanded))).toEqual({ kind: 'same' })
  })
})

describe('firstDifference', () => {
  it('compares arrays by order and objects by keys', () => {
    expect(firstDifference([1, 2], [2, 1], '')).toBe('[0]')
    expect(firstDifference({ a: 1, b: 2 }, { b: 2, a: 1 }, '')).toBeUndefined()
    expect(firstDifference({ a: null }, { a: undefined }, '')).toBe('"a"')
    expect(firstDifference({ a: 1 }, { b: 1 }, '')).toBe('the top level')
    expect(firstDifference([{}], [[]], '')).toBe('[0]')
    expect(firstDifference(Number.NaN, Number.NaN, '')).toBeUndefined()
  })

  it('quotes keys from the file so that no text of it reads as a workflow command', () => {
    expect(firstDifference({ 'x\n::error::y': 1 }, { 'x\n::error::y': 2 }, '')).toBe(
      '"x\\n::error::y"'
    )
  })
})
