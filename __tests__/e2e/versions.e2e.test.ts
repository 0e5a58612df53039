/**
 * End-to-end: starting a published version or an alias of a flow (`qualifier`), the bundle run as a
 * child process against the emulator. Which version an alias picks is the emulator's `random`,
 * which the test scripts; which version ran is read from the emulator (no API answer says it).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type FlowScript
} from '../../emulator/index.js'
import { runAction, type ActionRun } from '../../scripts/run-action.js'
import { visibleText } from '../support/history-markdown.js'

const FLOW = 'release-pipeline'
/** Each version outputs its own number, so the output says which definition ran. */
const version = (v: string): FlowScript => ({
  name: FLOW,
  // Ends when the test releases it, after the action's long poll is held.
  hold: true,
  steps: [{ type: 'task', name: 'deploy', durationMs: 0 }],
  output: { definition: v }
})

let emulator: Emulator
/** The alias's draws, one per execution started through it: 0.95 picks the 10 % version. */
const draws: number[] = []
let serial = 0

beforeAll(async () => {
  emulator = await startEmulator({
    flows: [version('latest')],
    random: () => draws.shift() ?? 0
  })
  for (const v of ['1', '2', '3']) emulator.publishFlowVersion(FLOW, version(v))
  emulator.setFlowAlias(FLOW, 'canary', [
    { version: 1, weight: 90 },
    { version: 2, weight: 10 }
  ])
})
afterAll(async () => {
  await emulator.close()
})

function inputs(qualifier: string): Record<string, string> & { 'execution-name': string } {
  return {
    'flow-name': FLOW,
    'execution-name': `deploy-${process.pid}-${++serial}`,
    start: 'true',
    qualifier,
    endpoint: emulator.url,
    'access-key-id': DEMO_CREDENTIAL.accessKeyId,
    'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
  }
}

/** Starts the action, releases its execution once the long poll is held, and returns the run. */
async function runReleased(given: ReturnType<typeof inputs>): Promise<ActionRun> {
  const name = given['execution-name']
  const running = runAction({ inputs: given })
  await Promise.race([
    emulator.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true),
    running.then((run) => {
      throw new Error(`the action ended (code ${run.code}) before its long poll:\n${run.stdout}`)
    })
  ])
  emulator.release(FLOW, name)
  return running
}

describe('qualifier', () => {
  it("a version: runs that version's definition while a newer version exists", async () => {
    const given = inputs('2')
    const run = await runReleased(given)
    expect(run.code).toBe(0)
    expect(emulator.execution(FLOW, given['execution-name'])?.version).toBe('2')
    expect(JSON.parse(run.outputs.output!)).toEqual({ definition: '2' })
    expect(run.outputs.qualifier).toBe('2')
    const starts = emulator.requests.filter(
      (r) => r.action === 'StartExecution' && r.params.ExecutionName === given['execution-name']
    )
    expect(starts.map((r) => r.params.Qualifier)).toEqual(['2'])
    expect(visibleText(run.summary)).toContain('Flow release-pipeline @ 2 · Execution')
    // A version is what it says: no alias to describe.
    expect(emulator.count('DescribeFlowAlias')).toBe(0)
  })

  it('an alias with weights 90/10: starts, and the summary shows the routing', async () => {
    draws.push(0.95)
    const given = inputs('canary')
    const run = await runReleased(given)
    expect(run.code).toBe(0)
    // The draw picked the 10 % version; only the emulator can tell.
    expect(emulator.execution(FLOW, given['execution-name'])?.version).toBe('2')
    expect(run.outputs.qualifier).toBe('canary')
    const summary = visibleText(run.summary)
    expect(summary).toContain('Flow release-pipeline @ canary · Execution')
    expect(summary).toContain(
      'Alias canary runs version 1 (90 %) or version 2 (10 %), chosen by weight for each ' +
        'execution; the service does not report which version an execution ran.'
    )
    expect(run.stdout).toContain('Alias canary runs version 1 (90 %) or version 2 (10 %)')
  })

  it.each([
    ['version', '9'],
    ['alias', 'nightly']
  ])('an unknown %s fails at once with a hint, before any wait', async (_kind, qualifier) => {
    const given = inputs(qualifier)
    const before = emulator.executions(FLOW).length
    const run = await runAction({ inputs: given })
    expect(run.code).toBe(1)
    const error = run.annotations.find((a) => a.level === 'error')
    expect(error?.message).toContain(
      `"${qualifier}" is not a published version or an alias of flow "${FLOW}"`
    )
    expect(error?.message).toContain('Check `qualifier`')
    expect(emulator.executions(FLOW)).toHaveLength(before)
    const waits = emulator.requests.filter(
      (r) => r.params.ExecutionName === given['execution-name'] && r.action !== 'StartExecution'
    )
    expect(waits).toEqual([])
  })
})
