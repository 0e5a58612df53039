/**
 * The MapRun calls (src/step/map-run-calls.ts) against the emulator: answers as values, the failed
 * children first to fail first (timed-out ones too), one warning per action a RAM policy refuses
 * (and no further request for it), other errors as notes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type EmulatorCredential
} from '../../emulator/index.js'
import { FnfClient } from '../../src/fnf/client.js'
import { MapRunCalls } from '../../src/step/map-run-calls.js'
import { deepChild, mapFlow } from '../support/map-flows.js'

const DENIED: EmulatorCredential = {
  accessKeyId: 'LTAIdeniedMapRuns',
  accessKeySecret: 'denied-map-runs-secret',
  deniedActions: ['DescribeMapRun', 'ListExecutions']
}

let emu: Emulator

beforeAll(async () => {
  emu = await startEmulator({
    rateLimit: null,
    credentials: [DEMO_CREDENTIAL, DENIED],
    flows: [
      // Items 1 and 3 fail in `load`, item 3 sooner; item 4 times out.
      mapFlow('mixed', [1, 3], {
        items: 6,
        child: (i) =>
          i === 1 || i === 4
            ? {
                steps: [{ type: 'task', name: 'load', durationMs: 200 }],
                ...(i === 4 ? { timeoutMs: 30 } : {})
              }
            : deepChild()
      })
    ]
  })
})
afterAll(() => emu.close())

function calls(credential = DEMO_CREDENTIAL): { calls: MapRunCalls; warnings: string[] } {
  const client = new FnfClient({ endpoint: emu.url, credentials: () => credential, maxAttempts: 1 })
  const warnings: string[] = []
  return { calls: new MapRunCalls(client, 'mixed', (l) => warnings.push(l)), warnings }
}

async function ended(name: string): Promise<string> {
  emu.createExecution('mixed', name, {})
  const client = new FnfClient({ endpoint: emu.url, credentials: () => DEMO_CREDENTIAL })
  await client.describeExecution({ flowName: 'mixed', executionName: name, waitTimeSeconds: 30 })
  return emu.mapRun('mixed', name)?.name ?? ''
}

const listings = (mapRunName: string) =>
  emu.requests.filter((r) => r.action === 'ListExecutions' && r.params.MapRunName === mapRunName)

describe('MapRunCalls', () => {
  it('describes a MapRun', async () => {
    const name = await ended('run-1')
    const looked = await calls().calls.describe('run-1', name)
    expect(looked).toMatchObject({
      ok: true,
      value: { Status: 'Failed', ItemCounts: { Total: 6, Failed: 3 } }
    })
  })

  it('lists failed, then timed-out children, the first to fail first', async () => {
    const name = await ended('run-2')
    const looked = await calls().calls.failedChildren(name)
    if (!looked.ok) throw new Error(looked.note)
    // Listed oldest start first ([1, 3] failed, then [4] timed out); shown as they failed.
    expect(looked.value.executions.map((e) => [e.Name, e.Status])).toEqual([
      [`${name}-3`, 'Failed'],
      [`${name}-4`, 'TimedOut'],
      [`${name}-1`, 'Failed']
    ])
    expect(looked.value.more).toBe(false)
    expect(listings(name).map((r) => [r.params.Status, r.params.MetadataOnly])).toEqual([
      ['Failed', 'true'],
      ['TimedOut', 'true']
    ])
  })

  it('asks no second status once the counts say the first found them all', async () => {
    const name = await ended('run-3')
    const looked = await calls().calls.failedChildren(name, {}, 2)
    expect(looked.ok && looked.value.executions).toHaveLength(2)
    expect(listings(name)).toHaveLength(1)
  })

  it('warns once per action a RAM policy refuses, and asks it no more', async () => {
    const name = await ended('run-4')
    const { calls: denied, warnings } = calls(DENIED)
    const before = emu.requests.length
    for (let i = 0; i < 2; i++) {
      expect(await denied.describe('run-4', name)).toEqual({
        ok: false,
        note: 'the credentials may not call fnf:DescribeMapRun'
      })
      expect(await denied.failedChildren(name)).toEqual({
        ok: false,
        note: 'the credentials may not call fnf:ListExecutions'
      })
    }
    expect(emu.requests.length - before).toBe(2)
    expect(denied.refused('DescribeMapRun')).toBe(true)
    expect(warnings).toEqual([
      'The credentials may not call fnf:DescribeMapRun (Forbidden.RAM): distributed Maps are ' +
        'reported without their item counts. Allow "fnf:DescribeMapRun" in the RAM policy to see them.',
      'The credentials may not call fnf:ListExecutions (Forbidden.RAM): a failed distributed ' +
        "Map's items are not read, and the report stays at the Map step. Allow " +
        '"fnf:ListExecutions" in the RAM policy to see which item failed and why.'
    ])
  })

  it('makes any other error a note, without a warning', async () => {
    const { calls: c, warnings } = calls()
    const looked = await c.describe('run-1', 'a0000000000000000000000000000000')
    expect(looked.ok).toBe(false)
    expect(!looked.ok && looked.note).toMatch(/^DescribeMapRun failed: .*MapRunNotExists/)
    expect(warnings).toEqual([])
    expect(c.refused('DescribeMapRun')).toBe(false)
  })

  it('lets a cancel through as it is', async () => {
    const name = await ended('run-5')
    const controller = new AbortController()
    controller.abort(new Error('cancelled'))
    await expect(
      calls().calls.describe('run-5', name, { signal: controller.signal })
    ).rejects.toThrow('cancelled')
  })
})
