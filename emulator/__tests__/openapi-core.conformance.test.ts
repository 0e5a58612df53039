/**
 * Conformance with Alibaba's own transport: `@alicloud/openapi-core` 1.0.8 (the runtime of the
 * maintained `@alicloud/fnf20190315` client, which the registry here does not serve) drives the
 * emulator through its generic `callApi`, with the request shapes the maintained
 * `fnf-20190315/src/client.ts` uses: GET Actions put the request model in the query, POST Actions
 * in a form body, all as `style: 'RPC'`, `reqBodyType: 'formData'`, `bodyType: 'json'`, signed with
 * the v2 (RPC HMAC-SHA1) algorithm. If this client is refused, the emulator is wrong.
 */
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../index.js'

/** The parts of the (CommonJS) openapi-core module this test uses. */
interface CoreModule {
  default: new (config: object) => CoreClient
  $OpenApiUtil: {
    Config: new (map: object) => object
    Params: new (map: object) => object
    OpenApiRequest: new (map: object) => object
  }
  OpenApiUtil: {
    query(filter: Record<string, unknown>): Record<string, string>
    parseToMap(input: unknown): Record<string, unknown>
  }
}
interface CoreClient {
  _signatureAlgorithm: string
  callApi(params: object, request: object, runtime: object): Promise<CoreResponse>
}
interface CoreResponse {
  statusCode: number
  headers: Record<string, string>
  body: Record<string, unknown>
}
interface CoreError {
  statusCode?: number
  code?: string
  data?: Record<string, unknown>
}

const require = createRequire(import.meta.url)
const core = require('@alicloud/openapi-core') as CoreModule
const { $OpenApiUtil, OpenApiUtil } = core

type Api =
  | 'DescribeExecution'
  | 'GetExecutionHistory'
  | 'StartExecution'
  | 'StopExecution'
  | 'DescribeFlow'
  | 'ListExecutions'

/** Which Actions the maintained client sends as POST with a form body (the rest: GET, query). */
const POST: ReadonlySet<Api> = new Set(['StartExecution', 'StopExecution'])

/** One call as `<api>WithOptions` in the maintained client.ts makes it. */
function callApi(
  client: CoreClient,
  action: Api,
  request: Record<string, unknown>
): Promise<CoreResponse> {
  const post = POST.has(action)
  const req = new $OpenApiUtil.OpenApiRequest(
    post
      ? { body: OpenApiUtil.parseToMap(request) }
      : { query: OpenApiUtil.query(OpenApiUtil.query(request)) }
  )
  const params = new $OpenApiUtil.Params({
    action,
    version: '2019-03-15',
    protocol: 'HTTPS',
    pathname: '/',
    method: post ? 'POST' : 'GET',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json'
  })
  // Long polls are held until the test releases them; the read timeout only has to outlast that.
  return client.callApi(params, req, { readTimeout: 120_000, connectTimeout: 10_000 })
}

async function refusal(p: Promise<unknown>): Promise<CoreError> {
  try {
    await p
  } catch (e) {
    return e as CoreError
  }
  throw new Error('the call was not refused')
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

let emu: Emulator
let client: CoreClient

beforeAll(async () => {
  emu = await startEmulator({
    rateLimit: null,
    flows: [
      {
        name: 'deploy',
        hold: true,
        description: 'ships it',
        steps: [
          { type: 'task', name: 'build' },
          { type: 'task', name: 'ship' }
        ]
      }
    ]
  })
  const config = new $OpenApiUtil.Config({
    ...DEMO_CREDENTIAL,
    endpoint: emu.url.replace(/^http:\/\//, ''),
    protocol: 'http',
    regionId: 'cn-hangzhou'
  })
  client = new core.default(config)
  // What the maintained client's constructor sets: RPC requests signed with HMAC-SHA1.
  client._signatureAlgorithm = 'v2'
})
afterAll(() => emu.close())

describe('@alicloud/openapi-core callApi with the maintained client request shapes', () => {
  it('StartExecution (POST, form body): the execution fields', async () => {
    const r = await callApi(client, 'StartExecution', {
      FlowName: 'deploy',
      ExecutionName: 'core-1',
      Input: JSON.stringify({ version: '2.0.0', note: "spaces * ~ ! ' ( ) é" })
    })
    expect(r.statusCode).toBe(200)
    expect(r.body).toEqual({
      Name: 'core-1',
      FlowName: 'deploy',
      Status: 'Running',
      StartedTime: expect.stringMatching(ISO),
      Input: JSON.stringify({ version: '2.0.0', note: "spaces * ~ ! ' ( ) é" }),
      FlowDefinition: expect.any(String),
      RequestId: expect.any(String)
    })
    expect(emu.requests.at(-1)).toMatchObject({ action: 'StartExecution', method: 'POST' })
  })

  it('StartExecution without ExecutionName: the service names it', async () => {
    const r = await callApi(client, 'StartExecution', { FlowName: 'deploy' })
    expect(r.body.Name).toMatch(/^[0-9a-f-]{36}$/)
    await callApi(client, 'StopExecution', { FlowName: 'deploy', ExecutionName: r.body.Name })
  })

  it('DescribeExecution with WaitTimeSeconds (GET): held until the execution ends', async () => {
    const poll = callApi(client, 'DescribeExecution', {
      FlowName: 'deploy',
      ExecutionName: 'core-1',
      WaitTimeSeconds: 60
    })
    const held = await emu.waitForRequest(
      (r) => r.params.ExecutionName === 'core-1' && r.holding === true
    )
    expect(held).toMatchObject({ method: 'GET', params: { WaitTimeSeconds: '60' } })
    emu.release('deploy', 'core-1', { status: 'Succeeded', output: { url: 'https://x' } })
    const r = await poll
    expect(r.body).toEqual({
      Name: 'core-1',
      FlowName: 'deploy',
      Status: 'Succeeded',
      StartedTime: expect.stringMatching(ISO),
      StoppedTime: expect.stringMatching(ISO),
      Input: expect.any(String),
      Output: '{"url":"https://x"}',
      FlowDefinition: expect.any(String),
      RequestId: expect.any(String)
    })
  })

  it('GetExecutionHistory (GET) pages with Limit and NextToken until it is absent', async () => {
    const events: { EventId: number; Type: string }[] = []
    let token: unknown
    let pages = 0
    do {
      const r = await callApi(client, 'GetExecutionHistory', {
        FlowName: 'deploy',
        ExecutionName: 'core-1',
        Limit: 2,
        ...(token === undefined ? {} : { NextToken: token })
      })
      pages++
      const page = r.body.Events as typeof events
      expect(page.length).toBeLessThanOrEqual(2)
      for (const e of page) {
        expect(e).toEqual({
          StepName: expect.any(String),
          Type: expect.any(String),
          EventId: expect.any(Number),
          ScheduleEventId: expect.any(Number),
          EventDetail: expect.any(String),
          Time: expect.stringMatching(ISO)
        })
      }
      events.push(...page)
      token = r.body.NextToken
    } while (token !== undefined)
    expect(events.map((e) => e.EventId)).toEqual(events.map((_, i) => i + 1))
    expect(events[0]?.Type).toBe('ExecutionStarted')
    expect(events.at(-1)?.Type).toBe('ExecutionSucceeded')
    expect(pages).toBe(Math.ceil(events.length / 2))
  })

  it('StopExecution (POST, form body) with Error and Cause', async () => {
    await callApi(client, 'StartExecution', { FlowName: 'deploy', ExecutionName: 'core-2' })
    const r = await callApi(client, 'StopExecution', {
      FlowName: 'deploy',
      ExecutionName: 'core-2',
      Error: 'Cancelled',
      Cause: 'the job was cancelled'
    })
    expect(r.body).toMatchObject({
      Name: 'core-2',
      Status: 'Stopped',
      StoppedTime: expect.stringMatching(ISO)
    })
    const history = await callApi(client, 'GetExecutionHistory', {
      FlowName: 'deploy',
      ExecutionName: 'core-2'
    })
    const last = (history.body.Events as { Type: string; EventDetail: string }[]).at(-1)
    expect(last?.Type).toBe('ExecutionStopped')
    expect(JSON.parse(last?.EventDetail ?? '')).toEqual({
      error: 'Cancelled',
      cause: 'the job was cancelled'
    })
  })

  it('DescribeFlow (GET): the flow fields', async () => {
    const r = await callApi(client, 'DescribeFlow', { Name: 'deploy' })
    expect(r.body).toEqual({
      Name: 'deploy',
      Id: expect.any(String),
      Definition: expect.any(String),
      Description: 'ships it',
      Type: 'FDL',
      ExecutionMode: 'Standard',
      RoleArn: '',
      CreatedTime: expect.stringMatching(ISO),
      LastModifiedTime: expect.stringMatching(ISO),
      RequestId: expect.any(String)
    })
  })

  it('ListExecutions (GET) with MetadataOnly (a boolean) and Limit 99, paging by NextToken', async () => {
    const first = await callApi(client, 'ListExecutions', {
      FlowName: 'deploy',
      MetadataOnly: true,
      Limit: 1,
      StartedTimeBegin: '2000-01-01T08:00:00.000+08:00'
    })
    expect(emu.requests.at(-1)?.params).toMatchObject({ MetadataOnly: 'true', Limit: '1' })
    const entries = first.body.Executions as Record<string, unknown>[]
    expect(entries).toHaveLength(1)
    expect(Object.keys(entries[0] ?? {}).sort()).toEqual(
      ['FlowName', 'Name', 'StartedTime', 'Status', 'StoppedTime'].sort()
    )
    expect(first.body.NextToken).toEqual(expect.any(String))

    const all = await callApi(client, 'ListExecutions', { FlowName: 'deploy', Limit: 99 })
    const names = (all.body.Executions as { Name: string }[]).map((e) => e.Name)
    expect(names).toContain('core-1')
    expect(names).toContain('core-2')
    expect(all.body).not.toHaveProperty('NextToken')
  })

  it('refusals reach the client as its ClientError with the code and status', async () => {
    const tooMany = await refusal(
      callApi(client, 'ListExecutions', { FlowName: 'deploy', Limit: 100 })
    )
    expect(tooMany).toMatchObject({ statusCode: 400, code: 'InvalidArgument' })
    const absent = await refusal(
      callApi(client, 'DescribeExecution', { FlowName: 'deploy', ExecutionName: 'nope' })
    )
    expect(absent).toMatchObject({ statusCode: 404, code: 'ExecutionNotExists' })
    // A documented parameter the emulator refuses (actions/parameters.ts).
    const callback = await refusal(
      callApi(client, 'StartExecution', { FlowName: 'deploy', CallbackFnFTaskToken: 'token-1' })
    )
    expect(callback).toMatchObject({ statusCode: 400, code: 'InvalidArgument' })
    expect(String(callback.data?.Message)).toContain('CallbackFnFTaskToken')
  })
})
