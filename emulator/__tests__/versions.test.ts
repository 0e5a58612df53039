/**
 * Flow versions: PublishFlowVersion, ListFlowVersions, DeleteFlowVersion and DescribeFlow's
 * FlowVersion, through signed requests, and the typed test API that publishes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator, type FlowScript } from '../index.js'
import { CHINA_TIME, expectError, rpc } from './support/rpc.js'

const v1: FlowScript = {
  name: 'deploy',
  description: 'first',
  steps: [{ type: 'pass', name: 'one' }]
}
const v2: FlowScript = { ...v1, description: 'second', steps: [{ type: 'pass', name: 'two' }] }
const v3: FlowScript = { ...v1, description: 'third', steps: [{ type: 'pass', name: 'three' }] }

describe('flow versions', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await startEmulator({ flows: [{ name: 'other', steps: [] }], rateLimit: null })
  })
  afterAll(() => emu.close())

  it('PublishFlowVersion numbers versions 1, 2, … per flow and snapshots the latest definition', async () => {
    emu.addFlow(v1)
    const first = await rpc(emu, 'PublishFlowVersion', { FlowName: 'deploy', Description: 'v1' })
    expect(first.status).toBe(200)
    expect(first.json).toEqual({
      FlowName: 'deploy',
      Version: '1',
      Description: 'v1',
      CreatedTime: expect.stringMatching(CHINA_TIME),
      RequestId: expect.any(String)
    })
    // The typed test API replaces the latest definition, then publishes it.
    expect(emu.publishFlowVersion('deploy', v2, 'v2')).toBe('2')
    // Another flow counts from 1.
    const other = await rpc(emu, 'PublishFlowVersion', { FlowName: 'other' })
    expect(other.json).toMatchObject({ Version: '1', Description: '' })

    // The latest definition moves on; the versions keep theirs.
    emu.addFlow(v3)
    const described = async (version?: string): Promise<Record<string, unknown> | undefined> =>
      (
        await rpc(emu, 'DescribeFlow', {
          Name: 'deploy',
          ...(version === undefined ? {} : { FlowVersion: version })
        })
      ).json
    const [latest, one, two] = await Promise.all([described(), described('1'), described('2')])
    expect(latest?.Definition).toContain('name: three')
    expect(one?.Definition).toContain('name: one')
    expect(one?.Definition).not.toContain('name: three')
    expect(two?.Definition).toContain('name: two')
    expect([latest?.Description, one?.Description, two?.Description]).toEqual([
      'third',
      'first',
      'second'
    ])
    expect(one).toMatchObject({ Name: 'deploy', Id: latest?.Id, ExecutionMode: 'Standard' })
  })

  it('refuses an unknown FlowVersion (404) and one that is not a version number (400)', async () => {
    expectError(
      await rpc(emu, 'DescribeFlow', { Name: 'deploy', FlowVersion: '99' }),
      404,
      'FlowVersionNotExists'
    )
    for (const bad of ['0', 'v1', '1.0', '', '-1']) {
      expectError(
        await rpc(emu, 'DescribeFlow', { Name: 'deploy', FlowVersion: bad }),
        400,
        'InvalidArgument'
      )
    }
    expectError(await rpc(emu, 'PublishFlowVersion', { FlowName: 'nope' }), 404, 'FlowNotExists')
    expectError(await rpc(emu, 'PublishFlowVersion', {}), 400, 'MissingRequiredParams')
  })

  it('ListFlowVersions pages oldest first with Limit and NextToken', async () => {
    emu.addFlow({ name: 'paged', steps: [] })
    for (let i = 0; i < 3; i++) emu.publishFlowVersion('paged', undefined, `d${i}`)
    const first = await rpc(emu, 'ListFlowVersions', { FlowName: 'paged', Limit: '2' })
    expect(first.json).toEqual({
      FlowVersions: [
        { Version: '1', Description: 'd0', CreatedTime: expect.stringMatching(CHINA_TIME) },
        { Version: '2', Description: 'd1', CreatedTime: expect.stringMatching(CHINA_TIME) }
      ],
      NextToken: '3',
      RequestId: expect.any(String)
    })
    const second = await rpc(emu, 'ListFlowVersions', {
      FlowName: 'paged',
      Limit: '2',
      NextToken: '3'
    })
    expect(second.json?.FlowVersions).toEqual([expect.objectContaining({ Version: '3' })])
    expect(second.json).not.toHaveProperty('NextToken')
    const all = await rpc(emu, 'ListFlowVersions', { FlowName: 'paged' })
    expect(all.json?.FlowVersions).toHaveLength(3)

    for (const limit of ['0', '100', 'ten']) {
      expectError(
        await rpc(emu, 'ListFlowVersions', { FlowName: 'paged', Limit: limit }),
        400,
        'InvalidArgument'
      )
    }
    expectError(
      await rpc(emu, 'ListFlowVersions', { FlowName: 'paged', NextToken: '9' }),
      400,
      'InvalidArgument'
    )
  })

  it('DeleteFlowVersion removes a version, never reuses its number, and keeps one an alias uses', async () => {
    emu.addFlow({ name: 'pruned', steps: [] })
    emu.publishFlowVersion('pruned')
    emu.publishFlowVersion('pruned')
    emu.setFlowAlias('pruned', 'live', [{ version: 1, weight: 100 }])

    const used = await rpc(emu, 'DeleteFlowVersion', { FlowName: 'pruned', FlowVersion: '1' })
    expectError(used, 412, 'PreconditionFailed')
    expect(used.json?.Message).toContain('live')

    const deleted = await rpc(emu, 'DeleteFlowVersion', { FlowName: 'pruned', FlowVersion: '2' })
    expect(deleted.json).toEqual({ RequestId: expect.any(String) })
    expectError(
      await rpc(emu, 'DescribeFlow', { Name: 'pruned', FlowVersion: '2' }),
      404,
      'FlowVersionNotExists'
    )
    expectError(
      await rpc(emu, 'DeleteFlowVersion', { FlowName: 'pruned', FlowVersion: '2' }),
      404,
      'FlowVersionNotExists'
    )
    expectError(
      await rpc(emu, 'DeleteFlowVersion', { FlowName: 'pruned' }),
      400,
      'MissingRequiredParams'
    )
    expect(emu.publishFlowVersion('pruned')).toBe('3')
    const listed = await rpc(emu, 'ListFlowVersions', { FlowName: 'pruned' })
    expect((listed.json?.FlowVersions as { Version: string }[]).map((v) => v.Version)).toEqual([
      '1',
      '3'
    ])
  })

  it('the test API checks what it is given', () => {
    expect(() => emu.publishFlowVersion('nope')).toThrow('no flow nope')
    expect(() => emu.publishFlowVersion('deploy', { name: 'other', steps: [] })).toThrow(
      'not deploy'
    )
    // UpdateFlow has no ExecutionMode: a flow keeps the mode it was created with.
    expect(() => emu.addFlow({ ...v1, executionMode: 'Express' })).toThrow('execution mode')
  })
})
