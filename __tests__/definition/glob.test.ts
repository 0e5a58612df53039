/** The `definition` input's wildcards: `*`, `?` within a name, `**` across directories. */
import { describe, expect, it } from '@jest/globals'
import { globMatcher, hasWildcard, matchName } from '../../src/definition/glob.js'

describe('globMatcher', () => {
  const cases: Array<[string, string, boolean]> = [
    ['flows/etl.yaml', 'flows/etl.yaml', true],
    ['flows/*.yaml', 'flows/etl.yaml', true],
    ['flows/*.yaml', 'flows/nightly/etl.yaml', false],
    ['flows/*.yaml', 'flows/.hidden.yaml', true],
    ['flows/**/*.yaml', 'flows/etl.yaml', true],
    ['flows/**/*.yaml', 'flows/a/b/c/etl.yaml', true],
    ['flows/**/*.yaml', 'other/flows/etl.yaml', false],
    ['**/etl.yml', 'etl.yml', true],
    ['**/etl.yml', 'deep/down/etl.yml', true],
    ['**', 'anything/at/all.json', true],
    ['flows/**', 'flows', true],
    ['flows/et?.yaml', 'flows/etl.yaml', true],
    ['flows/et?.yaml', 'flows/et.yaml', false],
    ['flows/et?.yaml', 'flows/et/.yaml', false],
    ['*/*.json', 'a/b.json', true],
    ['*/*.json', 'b.json', false],
    ['[ab].yaml', '[ab].yaml', true],
    ['[ab].yaml', 'a.yaml', false],
    ['{a,b}.yaml', 'a.yaml', false],
    ['a*b*c', 'aXXbYYc', true],
    ['a*b*c', 'aXXbYY', false],
    ['*', '', true],
    ['Flows/*.yaml', 'flows/a.yaml', false]
  ]
  it.each(cases)('%s matches %s: %s', (pattern, path, expected) => {
    expect(globMatcher(pattern)(path)).toBe(expected)
  })

  it('matches a pattern of many stars against a long name without backtracking blow-up', () => {
    const pattern = `${'*a'.repeat(30)}b`
    // A backtracking regex would take about 200^30 steps to say no; this is a product of lengths.
    expect(matchName(pattern, 'a'.repeat(200))).toBe(false)
    const deep = `${'**/'.repeat(30)}x`
    expect(globMatcher(deep)(`${'d/'.repeat(200)}y`)).toBe(false)
    expect(globMatcher(deep)(`${'d/'.repeat(200)}x`)).toBe(true)
  })

  it('tells a pattern from a path', () => {
    expect(hasWildcard('flows/etl.yaml')).toBe(false)
    expect(hasWildcard('flows/*.yaml')).toBe(true)
    expect(hasWildcard('flows/et?.yaml')).toBe(true)
  })
})
