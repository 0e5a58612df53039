/** What the report uses: the step's lines with the file, or why there are none. */
import { describe, expect, it } from '@jest/globals'
import { locationOf } from '../../src/definition/location.js'
import { parsed } from './helpers.js'

const SOURCE = `version: v1
type: flow
steps:
  - type: task
    name: build
    resourceArn: acs:fc:::services/s/functions/build
  - type: pass
    name: twice
  - type: pass
    name: twice
`

describe('locationOf', () => {
  const found = (sameDefinition: boolean) => ({
    file: 'flows/release.yaml',
    definition: parsed(SOURCE),
    sameDefinition
  })

  it('gives the file, the lines and whether the file is what ran', () => {
    expect(locationOf(found(true), [{ kind: 'task', name: 'build' }])).toEqual({
      kind: 'located',
      location: { file: 'flows/release.yaml', startLine: 4, endLine: 6, sameDefinition: true }
    })
    const other = locationOf(found(false), [{ kind: 'task', name: 'build' }])
    expect(other.kind === 'located' && other.location.sameDefinition).toBe(false)
  })

  it('names every candidate of an ambiguous step instead of choosing one', () => {
    const out = locationOf(found(true), [{ kind: 'step', name: 'twice' }])
    expect(out.kind).toBe('not-located')
    if (out.kind === 'not-located') {
      expect(out.reason).toContain('"flows/release.yaml"')
      expect(out.reason).toContain('lines 7-8, 9-10')
    }
  })

  it('says which file lacks the step, the file name quoted and made inert', () => {
    const hostile = { ...found(true), file: '::error::x.yaml' }
    const out = locationOf(hostile, [{ kind: 'task', name: 'missing' }])
    expect(out.kind).toBe('not-located')
    if (out.kind === 'not-located') {
      expect(out.reason).toContain('x.yaml')
      expect(out.reason).not.toMatch(/(^|\n)\s*::error::/)
    }
  })
})
