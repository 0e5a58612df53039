/**
 * Conformance: versions, aliases, Qualifier and StartSyncExecution driven through Alibaba's own
 * transport (@alicloud/openapi-core's generic callApi, RPC signature v2 as the maintained
 * fnf-20190315 client configures it), with the request shapes of that client's client.ts: GET
 * with everything in the query, or POST with a form body, and RoutingConfigurations flattened to
 * a JSON string as its `*ShrinkRequest` models do. If these requests fail, the emulator is wrong.
 */
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type * as Core from '@alicloud/openapi-core'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../index.js'

const require = createRequire(import.meta.url)
const core = require('@alicloud/openapi-core') as typeof Core.default
const { $OpenApiUtil, OpenApiUtil } = core

type Method = 'GET' | 'POST'
type Body = Record<string, unknown>

/** The maintained client's setup: the generic OpenAPI client with the v2 (RPC) signature. */
class MaintainedTransport extends core.default {
  constructor(config: Core.$OpenApiUtil.Config) {
    super(config)
    this._signatureAlgorithm = 'v2'
  }

  /** One call shaped as client.ts shapes `action`: query for GET, form body for POST. */
  async call(action: string, method: Method, request: Body): Promise<Body> {
    const req = new $OpenApiUtil.OpenApiRequest(
      method === 'GET'
        ? { query: OpenApiUtil.query(request) }
        : { body: OpenApiUtil.parseToMap(request) }
    )
    const params = new $OpenApiUtil.Params({
      action,
      version: '2019-03-15',
      protocol: 'HTTPS',
      pathname: '/',
      method,
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json'
    })
    const runtime = {} as Parameters<MaintainedTransport['callApi']>[2]
    const res = (await this.callApi(params, req, runtime)) as { body: Body; statusCode: number }
    expect(res.statusCode).toBe(200)
    return res.body
  }
}

/** `RoutingConfigurations` as CreateFlowAlias / UpdateFlowAlias send it. */
function routing(...routes: { Version: string; Weight: number }[]): string {
  return OpenApiUtil.arrayToStringWithSpecifiedStyle(routes, 'RoutingConfigurations', 'json')
}

describe('maintained request shapes (openapi-core callApi) against the emulator', () => {
  let emu: Emulator
  let client: MaintainedTransport

  beforeAll(async () => {
    emu = await startEmulator({
      rateLimit: null,
      random: () => 0.5,
      flows: [
        { name: 'std', hold: true, steps: [{ type: 'pass', name: 'p' }], output: { v: 0 } },
        {
          name: 'fast',
          executionMode: 'Express',
          hold: true,
          steps: [{ type: 'pass', name: 'p' }],
          output: { v: 0 }
        }
      ]
    })
    client = new MaintainedTransport(
      new $OpenApiUtil.Config({
        ...DEMO_CREDENTIAL,
        endpoint: emu.url.replace('http://', ''),
        protocol: 'HTTP',
        regionId: 'cn-hangzhou'
      })
    )
  })
  afterAll(() => emu.close())

  it('PublishFlowVersion (POST), ListFlowVersions and DescribeFlow with FlowVersion (GET), DeleteFlowVersion (POST)', async () => {
    const published = await client.call('PublishFlowVersion', 'POST', {
      FlowName: 'std',
      Description: 'first ü & +'
    })
    expect(published).toMatchObject({ FlowName: 'std', Version: '1', Description: 'first ü & +' })
    await client.call('PublishFlowVersion', 'POST', { FlowName: 'std' })
    const listed = await client.call('ListFlowVersions', 'GET', { FlowName: 'std', Limit: '1' })
    expect(listed).toMatchObject({ FlowVersions: [{ Version: '1' }], NextToken: '2' })
    const described = await client.call('DescribeFlow', 'GET', { Name: 'std', FlowVersion: '2' })
    expect(described).toMatchObject({ Name: 'std', ExecutionMode: 'Standard' })
    expect(
      await client.call('DeleteFlowVersion', 'POST', { FlowName: 'std', FlowVersion: '2' })
    ).toEqual({ RequestId: expect.any(String) })
    expect(emu.requests.map((r) => `${r.method} ${r.action}`)).toEqual([
      'POST PublishFlowVersion',
      'POST PublishFlowVersion',
      'GET ListFlowVersions',
      'GET DescribeFlow',
      'POST DeleteFlowVersion'
    ])
  })

  it('CreateFlowAlias and UpdateFlowAlias (POST, RoutingConfigurations as JSON), DescribeFlowAlias, ListFlowAliases (GET), DeleteFlowAlias (POST)', async () => {
    await client.call('PublishFlowVersion', 'POST', { FlowName: 'std' })
    const created = await client.call('CreateFlowAlias', 'POST', {
      FlowName: 'std',
      Name: 'prod',
      Description: 'production',
      RoutingConfigurations: routing({ Version: '1', Weight: 50 }, { Version: '3', Weight: 50 })
    })
    expect(created).toMatchObject({
      Name: 'prod',
      RoutingConfigurations: [
        { Version: '1', Weight: 50 },
        { Version: '3', Weight: 50 }
      ]
    })
    const updated = await client.call('UpdateFlowAlias', 'POST', {
      FlowName: 'std',
      Name: 'prod',
      RoutingConfigurations: routing({ Version: '3', Weight: 100 })
    })
    expect(updated).toMatchObject({ Alias: { RoutingConfigurations: [{ Version: '3' }] } })
    expect(
      await client.call('DescribeFlowAlias', 'GET', { FlowName: 'std', Name: 'prod' })
    ).toMatchObject({ Alias: { Name: 'prod', Description: 'production' } })
    // ListFlowAliasesRequest types Limit as a number.
    expect(
      await client.call('ListFlowAliases', 'GET', { FlowName: 'std', Limit: 10 })
    ).toMatchObject({ Aliases: [{ Name: 'prod', RoutingConfigurations: [{ Weight: '100' }] }] })
    await client.call('CreateFlowAlias', 'POST', {
      FlowName: 'std',
      Name: 'old',
      RoutingConfigurations: routing({ Version: '1', Weight: 1 })
    })
    expect(await client.call('DeleteFlowAlias', 'POST', { FlowName: 'std', Name: 'old' })).toEqual({
      RequestId: expect.any(String)
    })
  })

  it('StartExecution with Qualifier (POST) and ListExecutions with Qualifier, Limit and MetadataOnly (GET)', async () => {
    const started = await client.call('StartExecution', 'POST', {
      FlowName: 'std',
      ExecutionName: 'pinned',
      Input: '{"k":"v"}',
      Qualifier: 'prod'
    })
    expect(started).toMatchObject({ Name: 'pinned', Status: 'Running' })
    expect(emu.execution('std', 'pinned')).toMatchObject({ version: '3', qualifier: 'prod' })
    const listed = await client.call('ListExecutions', 'GET', {
      FlowName: 'std',
      Qualifier: 'prod',
      Limit: 10,
      MetadataOnly: true
    })
    expect(listed.Executions).toEqual([expect.objectContaining({ Name: 'pinned' })])
    emu.release('std', 'pinned')
  })

  it('StartSyncExecution (POST) holds the request until the test releases the execution', async () => {
    emu.publishFlowVersion('fast')
    const answer = client.call('StartSyncExecution', 'POST', {
      FlowName: 'fast',
      ExecutionName: 'sync',
      Input: '{}',
      Qualifier: '1'
    })
    await emu.waitForRequest((r) => r.action === 'StartSyncExecution' && r.holding === true)
    emu.release('fast', 'sync', { output: { shipped: true } })
    expect(await answer).toMatchObject({
      Name: expect.stringMatching(/^sync:/),
      FlowName: 'fast',
      Status: 'Succeeded',
      Output: '{"shipped":true}'
    })
  })

  it('refusals reach the SDK as ClientError with the code', async () => {
    await expect(
      client.call('StartExecution', 'POST', { FlowName: 'fast', ExecutionName: 'nope' })
    ).rejects.toMatchObject({ code: 'ActionNotSupported', statusCode: 400 })
    await expect(
      client.call('StartExecution', 'POST', { FlowName: 'std', Qualifier: 'missing' })
    ).rejects.toMatchObject({ code: 'FlowAliasNotExists', statusCode: 404 })
  })
})
