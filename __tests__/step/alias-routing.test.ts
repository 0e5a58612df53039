/**
 * The alias's routes for the report (src/step/alias-routing.ts) against the emulator: read once
 * when a start runs through an alias, never otherwise, and a failure is one debug line.
 */
import { beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { useFollowing } from '../support/follow.js'

jest.unstable_mockModule('@actions/core', () => core)
const { readRouting } = await import('../../src/step/alias-routing.js')

const f = useFollowing({ flows: [{ name: 'deploy', steps: [{ type: 'pass', name: 'p' }] }] })
beforeAll(() => {
  f.emulator.publishFlowVersion('deploy')
  f.emulator.publishFlowVersion('deploy')
  f.emulator.setFlowAlias('deploy', 'canary', [
    { version: 1, weight: 90 },
    { version: 2, weight: 10 }
  ])
  f.emulator.setFlowAlias('deploy', 'prod', [{ version: 2, weight: 100 }])
})
beforeEach(() => core.resetCore())

const describes = () => f.emulator.count('DescribeFlowAlias')

describe('readRouting', () => {
  it('reads the routes of the alias a start runs, and logs them', async () => {
    const config = f.config({ start: 'true', qualifier: 'canary' })
    expect(await readRouting(f.client(), config, {})).toEqual({
      alias: 'canary',
      routes: [
        { version: '1', weight: 90 },
        { version: '2', weight: 10 }
      ]
    })
    expect(core.fake.log).toEqual([
      'info: Alias canary runs version 1 (90 %) or version 2 (10 %), chosen by weight for each ' +
        'execution; the service does not report which version an execution ran.'
    ])
  })

  it('one route: the version it runs', async () => {
    const config = f.config({ start: 'true', qualifier: 'prod' })
    expect((await readRouting(f.client(), config, {}))?.routes).toEqual([
      { version: '2', weight: 100 }
    ])
    expect(core.fake.log).toEqual(['info: Alias prod runs version 2.'])
  })

  it('asks nothing for a version, for no qualifier, or without a start', async () => {
    const before = describes()
    for (const inputs of [
      { start: 'true', qualifier: '2' },
      { start: 'true' },
      { 'execution-name': 'x' }
    ]) {
      expect(await readRouting(f.client(), f.config(inputs), {})).toBeUndefined()
    }
    expect(describes()).toBe(before)
    expect(core.fake.log).toEqual([])
  })

  it('a denied or failed call is one debug line, and nothing for the report', async () => {
    f.emulator.addCredential({
      accessKeyId: 'no-alias',
      accessKeySecret: 'no-alias-secret',
      deniedActions: ['DescribeFlowAlias']
    })
    const client = f.client({ accessKeyId: 'no-alias', accessKeySecret: 'no-alias-secret' })
    const config = f.config({ start: 'true', qualifier: 'canary' })
    expect(await readRouting(client, config, {})).toBeUndefined()
    expect(core.fake.log).toEqual([
      expect.stringMatching(
        /^debug: DescribeFlowAlias canary of flow deploy could not be read, so the report names the alias without its versions: .*Forbidden\.RAM/
      )
    ])
  })
})
