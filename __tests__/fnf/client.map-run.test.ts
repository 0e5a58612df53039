/**
 * The client's MapRun calls (src/fnf/client.ts) against the emulator: DescribeMapRun's parameters
 * and answer, ListExecutions' MapRunName filter, and an answer of the wrong shape refused.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { FnfClient } from '../../src/fnf/client.js'
import { FnfError } from '../../src/fnf/errors.js'
import { mapFlow } from '../support/map-flows.js'

let emu: Emulator
let client: FnfClient

beforeAll(async () => {
  emu = await startEmulator({ rateLimit: null, flows: [mapFlow('fan', [1, 3])] })
  client = new FnfClient({
    endpoint: emu.url,
    credentials: () => DEMO_CREDENTIAL,
    maxAttempts: 1
  })
})
afterAll(() => emu.close())

/** Runs `fan` to its end; returns its MapRunName. */
async function ended(name: string): Promise<string> {
  emu.createExecution('fan', name, {})
  await client.describeExecution({ flowName: 'fan', executionName: name, waitTimeSeconds: 30 })
  return emu.mapRun('fan', name)?.name ?? ''
}

describe('describeMapRun', () => {
  it('sends the three names and reads the status, counts and tolerance', async () => {
    const mapRunName = await ended('run-1')
    const run = await client.describeMapRun({ flowName: 'fan', executionName: 'run-1', mapRunName })
    expect(run).toMatchObject({
      Status: 'Failed',
      MapRunName: mapRunName,
      ExecutionName: 'run-1',
      ToleratedFailedCount: 0,
      ToleratedFailedPercentage: 0,
      ItemCounts: { Total: 5, Pending: 0, Running: 0, Succeed: 3, Failed: 2, Aborted: 0 }
    })
    expect(run.StartedTime).toMatch(/\+08:00$/)
    const [sent] = emu.requests.filter((r) => r.action === 'DescribeMapRun')
    expect(sent?.method).toBe('GET')
    expect(sent?.params).toMatchObject({
      FlowName: 'fan',
      ExecutionName: 'run-1',
      MapRunName: mapRunName
    })
  })

  it('refuses an answer without a Status or with ItemCounts of the wrong shape', async () => {
    for (const body of ['{"ItemCounts":{}}', '{"Status":"Running","ItemCounts":[1,2]}']) {
      emu.injectFault({ kind: 'answer', action: 'DescribeMapRun', body })
      const error = await client
        .describeMapRun({ flowName: 'fan', executionName: 'run-1', mapRunName: 'x' })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(FnfError)
      expect((error as FnfError).code).toBe('InvalidResponse')
    }
  })
})

describe('listExecutions with mapRunName', () => {
  it("lists the MapRun's children, filtered by status, metadata only", async () => {
    const mapRunName = await ended('run-2')
    const page = await client.listExecutions({
      flowName: 'fan',
      mapRunName,
      status: 'Failed',
      metadataOnly: true,
      limit: 10
    })
    expect(page.Executions.map((e) => [e.Name, e.Status])).toEqual([
      [`${mapRunName}-1`, 'Failed'],
      [`${mapRunName}-3`, 'Failed']
    ])
    expect(page.Executions[0]).not.toHaveProperty('Input')
    const listing = emu.requests.filter((r) => r.action === 'ListExecutions').at(-1)
    expect(listing?.params).toMatchObject({
      MapRunName: mapRunName,
      MetadataOnly: 'true',
      Limit: '10'
    })
  })
})
