/**
 * Conformance: Alibaba's own transport (@alicloud/openapi-core, the runtime of the maintained
 * @alicloud/fnf20190315 client) calls DescribeMapRun and ListExecutions(MapRunName) with the
 * request shapes the maintained client.ts uses: GET, every parameter in the query
 * (`OpenApiUtil.query(request.toMap())`), RPC style, v2 (HMAC-SHA1) signatures, a JSON body.
 */
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../index.js'
import { DEEP_CHILD, fanFlow, mapRunName, itemCounts } from './map-run-helpers.js'

/** The parts of the (CommonJS) runtime this test uses. */
interface OpenApiCore {
  default: new (config: object) => {
    callApi(
      params: object,
      request: object,
      runtime: object
    ): Promise<{ statusCode: number; body: Record<string, unknown> }>
  }
  $OpenApiUtil: {
    Config: new (map: object) => object
    OpenApiRequest: new (map: object) => object
    Params: new (map: object) => object
  }
  OpenApiUtil: { query(filter: Record<string, unknown>): Record<string, string> }
}

const require = createRequire(import.meta.url)
const core = require('@alicloud/openapi-core') as OpenApiCore

describe('@alicloud/openapi-core callApi against the MapRun actions', () => {
  let emu: Emulator
  let client: InstanceType<OpenApiCore['default']>

  /** What the maintained client's `<action>WithOptions` does for a GET action of fnf. */
  function get(action: string, request: Record<string, unknown>) {
    const query = core.OpenApiUtil.query(request)
    const req = new core.$OpenApiUtil.OpenApiRequest({ query: core.OpenApiUtil.query(query) })
    const params = new core.$OpenApiUtil.Params({
      action,
      version: '2019-03-15',
      protocol: 'HTTPS',
      pathname: '/',
      method: 'GET',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json'
    })
    return client.callApi(params, req, {})
  }

  beforeAll(async () => {
    emu = await startEmulator({
      rateLimit: null,
      flows: [
        fanFlow(
          'fan',
          { items: 12, concurrency: 5, child: { ...DEEP_CHILD, hold: true } },
          { prepare: false }
        )
      ]
    })
    client = new core.default(
      new core.$OpenApiUtil.Config({
        accessKeyId: DEMO_CREDENTIAL.accessKeyId,
        accessKeySecret: DEMO_CREDENTIAL.accessKeySecret,
        endpoint: emu.url.replace('http://', ''),
        protocol: 'http',
        // The maintained fnf client sets v2: the HMAC-SHA1 RPC signature.
        signatureAlgorithm: 'v2'
      })
    )
    emu.createExecution('fan', 'run-1')
  })
  afterAll(() => emu.close())

  it('DescribeMapRun (GET, query) answers the model fields', async () => {
    const name = mapRunName(emu, 'fan', 'run-1')
    emu.releaseItems('fan', 'run-1', { count: 2 })
    const r = await get('DescribeMapRun', {
      ExecutionName: 'run-1',
      FlowName: 'fan',
      MapRunName: name,
      RequestId: '3A44E113-9962-5B0B-AB92-14060EFE3164'
    })
    expect(r.statusCode).toBe(200)
    expect(r.body).toMatchObject({
      Status: 'Running',
      Concurrency: 5,
      ExecutionName: 'run-1',
      MapRunName: name,
      RequestId: '3A44E113-9962-5B0B-AB92-14060EFE3164',
      ItemCounts: itemCounts(12, { Pending: 5, Running: 5, Succeed: 2 })
    })
    expect(emu.requests.at(-1)).toMatchObject({
      action: 'DescribeMapRun',
      method: 'GET',
      status: 200
    })
    // openapi-core sends `Format=json` (lower case) and signs the query as sent.
    expect(emu.requests.at(-1)?.params.Format).toBe('json')
  })

  it('ListExecutions with MapRunName, MetadataOnly (a boolean) and Limit (a number), paged', async () => {
    const name = mapRunName(emu, 'fan', 'run-1')
    const first = await get('ListExecutions', {
      FlowName: 'fan',
      Limit: 4,
      MapRunName: name,
      MetadataOnly: true
    })
    expect(first.statusCode).toBe(200)
    const page = first.body.Executions as Execution[]
    expect(page.map((e) => e.Name)).toEqual([0, 1, 2, 3].map((i) => `${name}-${i}`))
    expect(page[0]?.Input).toBeUndefined()
    expect(first.body.NextToken).toBe(`${name}-4`)
    const rest = await get('ListExecutions', {
      FlowName: 'fan',
      Limit: 4,
      MapRunName: name,
      NextToken: first.body.NextToken,
      Status: 'Running'
    })
    expect((rest.body.Executions as Execution[]).map((e) => e.Name)).toEqual(
      [4, 5, 6].map((i) => `${name}-${i}`)
    )
    expect(emu.requests.at(-1)?.params).toMatchObject({ MapRunName: name, Status: 'Running' })
  })

  it('an unknown MapRunName is a 404 the runtime reports with its code', async () => {
    await expect(
      get('DescribeMapRun', {
        ExecutionName: 'run-1',
        FlowName: 'fan',
        MapRunName: 'c39142f1345b196d678333c41f113200'
      })
    ).rejects.toMatchObject({ code: 'MapRunNotExists', statusCode: 404 })
  })
})
