/**
 * `npm run capture-history` on a parent whose distributed Map failed (scripts/capture.ts, against
 * the emulator): the MapRun's counts and the first failed children's histories are captured beside
 * the parent, redacted the same way, and the fixture's expected root cause is the child's, through
 * the Map step. A tolerated Map captures no children; a policy without ListExecutions warns and
 * the fixture stays at the Map step.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type EmulatorCredential
} from '../../emulator/index.js'
import { FnfClient } from '../../src/fnf/client.js'
import { captureExecution } from '../../scripts/capture.js'
import { CHILD_HISTORIES } from '../../src/step/read-map-runs.js'
import {
  expectedOf,
  foldCaptured,
  redactDetail,
  redactEvent,
  REDACTED
} from '../../scripts/capture-redact.js'
import { DEEP_CAUSE, DEEP_ERROR, DEEP_PATH, mapFlow } from '../support/map-flows.js'

const NO_LIST: EmulatorCredential = {
  accessKeyId: 'LTAIcaptureNoList',
  accessKeySecret: 'capture-no-list-secret',
  deniedActions: ['ListExecutions']
}

let emu: Emulator
const clientAs = (credential: EmulatorCredential): FnfClient =>
  new FnfClient({ endpoint: emu.url, credentials: () => credential })

beforeAll(async () => {
  emu = await startEmulator({
    rateLimit: null,
    credentials: [DEMO_CREDENTIAL, NO_LIST],
    flows: [
      mapFlow('fan', [1, 3, 4, 6, 7, 8], { items: 10 }),
      mapFlow('tolerant', [1, 3], { toleratedFailureCount: 5 })
    ]
  })
})
afterAll(() => emu.close())

/** Runs `flow` to its end. */
async function ended(flow: string, name: string): Promise<void> {
  emu.createExecution(flow, name, {})
  await clientAs(DEMO_CREDENTIAL).describeExecution({
    flowName: flow,
    executionName: name,
    waitTimeSeconds: 30
  })
}

describe('capturing a failed distributed Map', () => {
  it("captures the MapRun and its first failed children; expects the child's root cause", async () => {
    await ended('fan', 'run-1')
    const mapRun = emu.mapRun('fan', 'run-1')?.name ?? ''
    const fixture = await captureExecution(clientAs(DEMO_CREDENTIAL), 'fan', 'run-1')

    expect(fixture.mapRuns).toHaveLength(1)
    const [captured] = fixture.mapRuns!
    expect(captured).toMatchObject({
      step: 'process',
      mapRunName: mapRun,
      run: {
        Status: 'Failed',
        ToleratedFailedCount: 0,
        ItemCounts: { Total: 10, Failed: 6, Succeed: 4 }
      }
    })
    // Names and request ids of the MapRun add nothing to a fixture.
    expect(captured!.run).not.toHaveProperty('MapRunName')
    // A few children, the first to fail first, each with its history.
    expect(captured!.children).toHaveLength(CHILD_HISTORIES)
    for (const child of captured!.children) {
      expect(child.execution.Name).toMatch(new RegExp(`^${mapRun}-\\d+$`))
      expect(child.execution.Status).toBe('Failed')
      expect(child.events.length).toBeGreaterThan(0)
      // Redacted the same way as the parent: no inputs, outputs or account ids.
      for (const e of child.events) expect(redactEvent(e)).toEqual(e)
      expect(JSON.stringify(child.events)).not.toContain('"index":')
    }

    const first = captured!.children[0]!.execution.Name
    expect(fixture.expected).toEqual({
      status: 'Failed',
      pathText: `process › ${first} › ${DEEP_PATH}`,
      attempts: 1,
      error: DEEP_ERROR.error,
      cause: DEEP_CAUSE
    })
    // The fixture replays to what it says.
    expect(expectedOf(foldCaptured(JSON.parse(JSON.stringify(fixture))))).toEqual(fixture.expected)
  })

  it("keeps MapRunStarted's MapRunName through the redaction", async () => {
    await ended('fan', 'run-2')
    const mapRun = emu.mapRun('fan', 'run-2')?.name ?? ''
    const fixture = await captureExecution(clientAs(DEMO_CREDENTIAL), 'fan', 'run-2')
    const started = fixture.events.find((e) => e.Type === 'MapRunStarted')
    expect(started?.EventDetail).toContain(mapRun)
    expect(fixture.mapRuns?.[0]?.mapRunName).toBe(mapRun)
  })
})

describe("redacting a Map step's output", () => {
  const ACCOUNT = '1234567890123456'
  it.each([
    [
      'an object',
      { MapRunName: `run-${ACCOUNT}`, items: ['secret'] },
      { MapRunName: 'run-<account>' }
    ],
    [
      'JSON text',
      JSON.stringify({ mapRunName: 'm-1', token: 's' }),
      JSON.stringify({ mapRunName: 'm-1' })
    ],
    ['an output without a MapRunName', { token: 's' }, REDACTED],
    ['text that is not JSON', 'password=hunter2', REDACTED],
    ['a MapRunName that is not text', { MapRunName: 7 }, REDACTED]
  ])('keeps only the MapRunName of %s', (_, output, kept) => {
    expect(JSON.parse(redactDetail(JSON.stringify({ output, input: 'x' })))).toEqual({
      output: kept,
      input: REDACTED
    })
  })
})

describe('capturing a Map without its children', () => {
  it('captures no children when the MapRun tolerated its failures', async () => {
    await ended('tolerant', 'run-3')
    const fixture = await captureExecution(clientAs(DEMO_CREDENTIAL), 'tolerant', 'run-3')
    expect(fixture.mapRuns).toBeUndefined()
    expect(fixture.expected).toEqual({ status: 'Succeeded' })
  })

  it('warns and stays at the Map step when the policy refuses ListExecutions', async () => {
    await ended('fan', 'run-4')
    const warnings: string[] = []
    const fixture = await captureExecution(clientAs(NO_LIST), 'fan', 'run-4', (line) =>
      warnings.push(line)
    )
    expect(warnings).toEqual([
      expect.stringContaining('fnf:ListExecutions'),
      'The failed items of process were not captured: the credentials may not call fnf:ListExecutions.'
    ])
    expect(fixture.mapRuns).toEqual([expect.objectContaining({ step: 'process', children: [] })])
    expect(fixture.expected).toMatchObject({
      status: 'Failed',
      pathText: 'process',
      error: 'FnF.MapRunFailed'
    })
  })
})
