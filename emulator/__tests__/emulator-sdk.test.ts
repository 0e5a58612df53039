/**
 * Conformance: Alibaba's official FnF SDK (@alicloud/fnf-2019-03-15, pop-core based) talks to the
 * emulator. If the SDK sends something the emulator rejects, the emulator is wrong.
 */
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../index.js'
import { NIGHTLY_ETL, RELEASE_PIPELINE } from '../demo-flows.js'
import type { Execution, Flow, HistoryPage } from '../../src/fnf/types.js'

/** The parts of the (untyped, CommonJS) SDK client this test uses. */
interface FnFClient {
  describeExecution(p: object, o?: object): Promise<Execution>
  getExecutionHistory(p: object, o?: object): Promise<HistoryPage>
  startExecution(p: object, o?: object): Promise<Execution>
  stopExecution(p: object, o?: object): Promise<Execution>
  describeFlow(p: object, o?: object): Promise<Flow>
  listExecutions(p: object, o?: object): Promise<{ Executions: Execution[] }>
}
type FnFClientCtor = new (config: {
  endpoint: string
  accessKeyId: string
  accessKeySecret: string
  securityToken?: string
}) => FnFClient

const require = createRequire(import.meta.url)
const FnF = require('@alicloud/fnf-2019-03-15') as FnFClientCtor

/** What pop-core throws for a body with a Code. */
interface SdkError {
  code?: string
  data?: { Code?: string; RequestId?: string }
}

describe('official SDK @alicloud/fnf-2019-03-15 against the emulator', () => {
  let emu: Emulator
  let client: FnFClient

  beforeAll(async () => {
    // speed 10: the demo flows end in well under a second.
    emu = await startEmulator({
      flows: [RELEASE_PIPELINE, NIGHTLY_ETL],
      speed: 10,
      rateLimit: null
    })
    client = new FnF({ endpoint: emu.url, ...DEMO_CREDENTIAL })
  })
  afterAll(() => emu.close())

  it('StartExecution (POST, all in the form body), then DescribeExecution with a long poll', async () => {
    const started = await client.startExecution({
      FlowName: 'release-pipeline',
      ExecutionName: 'sdk-run-1',
      Input: JSON.stringify({ version: '2.0.0', note: "spaces * ~ ! ' ( ) é" })
    })
    expect(started).toMatchObject({ Name: 'sdk-run-1', Status: 'Running' })
    expect(emu.requests.at(-1)).toMatchObject({
      action: 'StartExecution',
      method: 'POST',
      status: 200
    })

    const done = await client.describeExecution(
      { FlowName: 'release-pipeline', ExecutionName: 'sdk-run-1', WaitTimeSeconds: 30 },
      { timeout: 10_000 }
    )
    expect(done.Status).toBe('Succeeded')
    expect(JSON.parse(done.Output ?? '')).toMatchObject({ version: '2.0.0' })
    expect(emu.requests.at(-1)).toMatchObject({
      action: 'DescribeExecution',
      method: 'GET',
      status: 200
    })
  })

  it('GetExecutionHistory pages with NextToken until it is absent', async () => {
    emu.createExecution('nightly-etl', 'sdk-etl-1', { date: '2024-01-01' })
    await client.describeExecution(
      { FlowName: 'nightly-etl', ExecutionName: 'sdk-etl-1', WaitTimeSeconds: 30 },
      { timeout: 10_000 }
    )
    const ids: number[] = []
    let NextToken: string | undefined
    let pages = 0
    do {
      const page = await client.getExecutionHistory({
        FlowName: 'nightly-etl',
        ExecutionName: 'sdk-etl-1',
        Limit: 10,
        ...(NextToken ? { NextToken } : {})
      })
      ids.push(...page.Events.map((e) => e.EventId))
      NextToken = page.NextToken
      pages++
    } while (NextToken)
    expect(pages).toBeGreaterThan(1)
    expect(ids).toEqual(ids.map((_, i) => i + 1))
    expect(emu.execution('nightly-etl', 'sdk-etl-1')?.status).toBe('Failed')
  })

  it('StopExecution, then ExecutionAlreadyCompleted', async () => {
    emu.addFlow({ name: 'sdk-slow', steps: [{ type: 'wait', name: 'w', durationMs: 3_600_000 }] })
    await client.startExecution({ FlowName: 'sdk-slow', ExecutionName: 'sdk-stop-1' })
    const stopped = await client.stopExecution({
      FlowName: 'sdk-slow',
      ExecutionName: 'sdk-stop-1',
      Error: 'Cancelled',
      Cause: 'stopped by the SDK test'
    })
    expect(stopped.Status).toBe('Stopped')
    const again = client.stopExecution({ FlowName: 'sdk-slow', ExecutionName: 'sdk-stop-1' })
    await expect(again).rejects.toMatchObject({ code: 'ExecutionAlreadyCompleted' })
  })

  it('DescribeFlow and ListExecutions', async () => {
    const flow = await client.describeFlow({ Name: 'nightly-etl' })
    expect(flow).toMatchObject({ Name: 'nightly-etl', Type: 'FDL' })
    const list = await client.listExecutions({ FlowName: 'release-pipeline', Limit: 10 })
    expect(list.Executions.map((e) => e.Name)).toContain('sdk-run-1')
  })

  it('works with STS credentials (SecurityToken signed as a parameter)', async () => {
    const sts = {
      accessKeyId: 'STS.NSdkTest',
      accessKeySecret: 'sts-secret',
      securityToken: 'CAIS+sdk/token=='
    }
    emu.addCredential(sts)
    const flow = await new FnF({ endpoint: emu.url, ...sts }).describeFlow({
      Name: 'release-pipeline'
    })
    expect(flow.Name).toBe('release-pipeline')
  })

  it('a wrong secret gets SignatureNotMatch', async () => {
    const bad = new FnF({
      endpoint: emu.url,
      accessKeyId: DEMO_CREDENTIAL.accessKeyId,
      accessKeySecret: 'wrong'
    })
    const err = (await bad
      .describeFlow({ Name: 'release-pipeline' })
      .catch((e: unknown) => e)) as SdkError
    expect(err.code).toBe('SignatureNotMatch')
    expect(err.data?.RequestId).toEqual(expect.any(String))
    expect(emu.requests.at(-1)).toMatchObject({ status: 403, code: 'SignatureNotMatch' })
  })

  it('an unknown execution is ExecutionNotExists', async () => {
    const err = (await client
      .describeExecution({ FlowName: 'release-pipeline', ExecutionName: 'nope' })
      .catch((e: unknown) => e)) as SdkError
    expect(err.code).toBe('ExecutionNotExists')
  })
})
