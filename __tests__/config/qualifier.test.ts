/**
 * The `qualifier` input (src/config/qualifier.ts): a version number or an alias name, only with
 * `start`, checked before any request; and what it does to the Config and the run's own name.
 */
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/config/errors.js'
import { parseQualifier } from '../../src/config/qualifier.js'
import { configOf, inputErrorOf, BASE_INPUTS } from '../support/config.js'

describe('parseQualifier', () => {
  it('is nothing when empty: the latest definition', () => {
    expect(parseQualifier('', true)).toBeUndefined()
    expect(parseQualifier('  ', false)).toBeUndefined()
  })

  it.each([
    ['2', 'version'],
    [' 17 ', 'version'],
    ['canary', 'alias'],
    ['_prod-2', 'alias'],
    ['v2', 'alias']
  ])('%j is a %s', (raw, kind) => {
    expect(parseQualifier(raw, true)).toEqual({ text: raw.trim(), kind })
  })

  it.each(['0', '02', '2.0', '-1', 'can ary', '2canary', 'a'.repeat(129), '12345678901'])(
    'refuses %j, naming the input and both forms',
    (raw) => {
      expect(() => parseQualifier(raw, true)).toThrow(InputError)
      expect(() => parseQualifier(raw, true)).toThrow(
        new RegExp(
          `^Input "qualifier" is ".*", which is neither a version number .* nor an alias name`
        )
      )
    }
  )

  it('is an error without start: an existing execution runs the version it started with', () => {
    expect(() => parseQualifier('canary', false)).toThrow(
      /^Input "qualifier" is "canary", but it is only used when "start" is true/
    )
  })
})

describe('the Config', () => {
  it('carries the qualifier with start, and none without it', () => {
    expect(configOf({ start: 'true', qualifier: '3' }).qualifier).toEqual({
      text: '3',
      kind: 'version'
    })
    expect(configOf({ start: 'true' })).not.toHaveProperty('qualifier')
  })

  it('refuses a qualifier without start before anything else is used', () => {
    expect(inputErrorOf({ ...BASE_INPUTS, qualifier: 'canary' })).toMatch(
      /^Input "qualifier" is "canary", but it is only used when "start" is true/
    )
  })

  it("gives the run's own name per qualifier, and the same name as before without one", () => {
    const env = { GITHUB_RUN_ID: '77', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'smoke' }
    const inputs = { ...BASE_INPUTS, 'execution-name': '', start: 'true' }
    const named = (qualifier: string) => configOf({ ...inputs, qualifier }, env).executions[0]!.name
    expect(named('canary')).not.toBe(named('prod'))
    expect(named('')).toBe(configOf(inputs, env).executions[0]!.name)
  })
})
