/**
 * Flow aliases: CreateFlowAlias, UpdateFlowAlias, DescribeFlowAlias, ListFlowAliases and
 * DeleteFlowAlias, what RoutingConfigurations may hold, and weighted routing that a test decides.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../index.js'
import { pickRoute } from '../versions.js'
import { CHINA_TIME, UTC_TIME, expectError, rpc } from './support/rpc.js'

const routing = (...routes: [string, number][]): string =>
  JSON.stringify(routes.map(([Version, Weight]) => ({ Version, Weight })))

describe('flow aliases', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await startEmulator({ flows: [{ name: 'svc', steps: [] }], rateLimit: null })
    for (let i = 0; i < 3; i++) emu.publishFlowVersion('svc')
  })
  afterAll(() => emu.close())

  it('creates, describes, lists, updates and deletes an alias, each as its SDK model shows', async () => {
    const created = await rpc(emu, 'CreateFlowAlias', {
      FlowName: 'svc',
      Name: 'prod',
      Description: 'production',
      RoutingConfigurations: routing(['1', 90], ['2', 10])
    })
    expect(created.json).toEqual({
      FlowName: 'svc',
      Name: 'prod',
      Description: 'production',
      RoutingConfigurations: [
        { Version: '1', Weight: 90 },
        { Version: '2', Weight: 10 }
      ],
      CreatedTime: expect.stringMatching(UTC_TIME),
      RequestId: expect.any(String)
    })

    const described = await rpc(emu, 'DescribeFlowAlias', { FlowName: 'svc', Name: 'prod' })
    expect(described.json).toEqual({
      Alias: {
        Name: 'prod',
        Description: 'production',
        RoutingConfigurations: [
          { Version: '1', Weight: 90 },
          { Version: '2', Weight: 10 }
        ],
        CreatedTime: created.json?.CreatedTime
      },
      RequestId: expect.any(String)
    })

    // Without RoutingConfigurations or Description, an update keeps them.
    const renamed = await rpc(emu, 'UpdateFlowAlias', {
      FlowName: 'svc',
      Name: 'prod',
      Description: 'all on 3'
    })
    expect(renamed.json?.Alias).toMatchObject({ Description: 'all on 3' })
    const updated = await rpc(emu, 'UpdateFlowAlias', {
      FlowName: 'svc',
      Name: 'prod',
      RoutingConfigurations: routing(['3', 100])
    })
    expect(updated.json).toEqual({
      Alias: {
        Name: 'prod',
        Description: 'all on 3',
        RoutingConfigurations: [{ Version: '3', Weight: 100 }],
        CreatedTime: expect.stringMatching(CHINA_TIME)
      },
      RequestId: expect.any(String)
    })

    await rpc(emu, 'CreateFlowAlias', {
      FlowName: 'svc',
      Name: 'canary',
      RoutingConfigurations: routing(['2', 1])
    })
    // ListFlowAliases' model types Weight as a string.
    const listed = await rpc(emu, 'ListFlowAliases', { FlowName: 'svc', Limit: '1' })
    expect(listed.json).toEqual({
      Aliases: [
        {
          Name: 'prod',
          Description: 'all on 3',
          RoutingConfigurations: [{ Version: '3', Weight: '100' }],
          CreatedTime: expect.stringMatching(CHINA_TIME)
        }
      ],
      NextToken: 'canary',
      RequestId: expect.any(String)
    })
    const rest = await rpc(emu, 'ListFlowAliases', { FlowName: 'svc', NextToken: 'canary' })
    expect(rest.json?.Aliases).toEqual([
      expect.objectContaining({ Name: 'canary', Description: '' })
    ])
    expect(rest.json).not.toHaveProperty('NextToken')

    const deleted = await rpc(emu, 'DeleteFlowAlias', { FlowName: 'svc', Name: 'canary' })
    expect(deleted.json).toEqual({ RequestId: expect.any(String) })
    for (const action of ['DescribeFlowAlias', 'DeleteFlowAlias', 'UpdateFlowAlias']) {
      expectError(
        await rpc(emu, action, { FlowName: 'svc', Name: 'canary' }),
        404,
        'FlowAliasNotExists'
      )
    }
  })

  it('checks RoutingConfigurations: a JSON array of one or two existing versions with integer weights', async () => {
    const create = (value: string) =>
      rpc(emu, 'CreateFlowAlias', {
        FlowName: 'svc',
        Name: 'checked',
        RoutingConfigurations: value
      })
    const refused: string[] = [
      '{not json',
      '{"Version":"1","Weight":100}',
      '[]',
      routing(['1', 40], ['2', 30], ['3', 30]),
      routing(['1', 101]),
      routing(['1', -1]),
      routing(['1', 0]),
      routing(['1', 0], ['2', 0]),
      routing(['1', 50], ['1', 50]),
      routing(['0', 100]),
      routing(['one', 100]),
      '[{"Version":1,"Weight":100}]',
      '[{"Version":"1","Weight":"100"}]',
      '[{"Version":"1","Weight":50.5}]',
      '[{"Weight":100}]',
      '[null]'
    ]
    for (const value of refused) {
      const r = await create(value)
      expectError(r, 400, 'InvalidArgument')
      expect(r.json?.Message).toContain('RoutingConfigurations')
    }
    expectError(await create(routing(['7', 100])), 404, 'FlowVersionNotExists')
    expectError(
      await rpc(emu, 'CreateFlowAlias', { FlowName: 'svc', Name: 'checked' }),
      400,
      'MissingRequiredParams'
    )
    // Alias names follow the name rule, so that none reads as a version number.
    expectError(
      await rpc(emu, 'CreateFlowAlias', {
        FlowName: 'svc',
        Name: '1st',
        RoutingConfigurations: routing(['1', 100])
      }),
      400,
      'InvalidArgument'
    )
    expectError(
      await rpc(emu, 'UpdateFlowAlias', {
        FlowName: 'svc',
        Name: 'prod',
        RoutingConfigurations: '[]'
      }),
      400,
      'InvalidArgument'
    )
    // Refused attempts leave nothing behind; a good one then works, once.
    expectError(
      await rpc(emu, 'DescribeFlowAlias', { FlowName: 'svc', Name: 'checked' }),
      404,
      'FlowAliasNotExists'
    )
    expect((await create(routing(['1', 0], ['2', 5]))).status).toBe(200)
    expectError(await create(routing(['1', 100])), 409, 'FlowAliasAlreadyExists')
    for (const limit of ['0', '100']) {
      expectError(
        await rpc(emu, 'ListFlowAliases', { FlowName: 'svc', Limit: limit }),
        400,
        'InvalidArgument'
      )
    }
  })

  it('the test API sets aliases with the same checks', async () => {
    emu.setFlowAlias('svc', 'typed', [{ version: 1, weight: 100 }], 'from a test')
    emu.setFlowAlias('svc', 'typed', [{ version: '2', weight: 100 }])
    const r = await rpc(emu, 'DescribeFlowAlias', { FlowName: 'svc', Name: 'typed' })
    expect(r.json?.Alias).toMatchObject({
      Description: 'from a test',
      RoutingConfigurations: [{ Version: '2', Weight: 100 }]
    })
    expect(() => emu.setFlowAlias('svc', 'typed', [{ version: 9, weight: 1 }])).toThrow(
      'Version 9 of flow svc does not exist'
    )
    expect(() => emu.setFlowAlias('svc', 'x', [])).toThrow('RoutingConfigurations')
    expect(() => emu.setFlowAlias('svc', '9x', [{ version: 1, weight: 1 }])).toThrow('Name')
  })
})

describe('weighted routing', () => {
  it('a version owns a share of [0, 1) proportional to its weight, in the alias order', () => {
    const routes = [
      { version: '1', weight: 90 },
      { version: '2', weight: 10 }
    ]
    expect([0, 0.5, 0.8999, 0.9, 0.99999].map((d) => pickRoute(routes, d).version)).toEqual([
      '1',
      '1',
      '1',
      '2',
      '2'
    ])
    // A zero weight is never drawn; any single weight takes everything.
    const zero = [
      { version: '1', weight: 0 },
      { version: '2', weight: 3 }
    ]
    expect([0, 0.5, 0.9999].map((d) => pickRoute(zero, d).version)).toEqual(['2', '2', '2'])
    expect(pickRoute([{ version: '4', weight: 30 }], 0.99).version).toBe('4')
    expect(() => pickRoute(routes, 1)).toThrow('[0, 1)')
    expect(() => pickRoute(routes, NaN)).toThrow('[0, 1)')
  })

  it('the random option decides which version each alias execution runs', async () => {
    const draws = [0.95, 0.1, 0.89, 0.9]
    const emu = await startEmulator({
      flows: [{ name: 'routed', steps: [] }],
      rateLimit: null,
      random: () => draws.shift() ?? 0
    })
    try {
      emu.publishFlowVersion('routed')
      emu.publishFlowVersion('routed')
      emu.setFlowAlias('routed', 'split', [
        { version: 1, weight: 90 },
        { version: 2, weight: 10 }
      ])
      for (let i = 0; i < 4; i++) {
        const r = await rpc(emu, 'StartExecution', {
          FlowName: 'routed',
          ExecutionName: `e${i}`,
          Qualifier: 'split'
        })
        expect(r.status).toBe(200)
      }
      expect(emu.executions('routed').map((e) => [e.name, e.version, e.qualifier])).toEqual([
        ['e0', '2', 'split'],
        ['e1', '1', 'split'],
        ['e2', '1', 'split'],
        ['e3', '2', 'split']
      ])
    } finally {
      await emu.close()
    }
  })
})
