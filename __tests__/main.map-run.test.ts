/**
 * A distributed Map through run() in process (support/harness.ts) on the emulator: a failed Map
 * is blamed on the item that failed, with the path through the Map step, in every output, the
 * failure message, the annotation and the summary; tolerated failures are shown, not blamed; the
 * MapRunName is found in each spelling, and without one the report says so and stays at the Map
 * step; express children are named with their status; a RAM policy without fnf:DescribeMapRun or
 * fnf:ListExecutions gets one warning naming it and the report goes on.
 */
import { describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, type EmulatorCredential } from '../emulator/index.js'
import { ENV, core, fake, run, useHarness } from './support/harness.js'
import { DEEP_CAUSE, DEEP_PATH, mapFlow } from './support/map-flows.js'

const NO_DESCRIBE: EmulatorCredential = {
  accessKeyId: 'LTAInoDescribeMapRun',
  accessKeySecret: 'no-describe-map-run-secret',
  deniedActions: ['DescribeMapRun']
}
const NO_LIST: EmulatorCredential = {
  accessKeyId: 'LTAInoListExecutions',
  accessKeySecret: 'no-list-executions-secret',
  deniedActions: ['ListExecutions']
}
const NEITHER: EmulatorCredential = {
  accessKeyId: 'LTAInoMapRunCalls',
  accessKeySecret: 'no-map-run-calls-secret',
  deniedActions: ['DescribeMapRun', 'ListExecutions']
}

const h = useHarness({
  credentials: [NO_DESCRIBE, NO_LIST, NEITHER],
  flows: [
    mapFlow('fan', [1, 3]),
    mapFlow('tolerant', [1, 3], { toleratedFailureCount: 5 }),
    mapFlow('out-lower', [2], { mapRunStarted: { key: 'mapRunName', at: 'output' } }),
    mapFlow('top-upper', [2], { mapRunStarted: { key: 'MapRunName', at: 'top' } }),
    mapFlow('top-lower', [2], { mapRunStarted: { key: 'mapRunName', at: 'top' } }),
    mapFlow('nameless', [2], { mapRunStarted: 'absent' }),
    mapFlow('express', [2], { childMode: 'express' }),
    mapFlow('hidden', [2], { childMode: 'express', expressChildren: 'not-found' })
  ]
})

/** Runs the step on a new execution of `flow`; returns the MapRun's name. */
async function runOn(
  flow: string,
  extra: Record<string, string> = {},
  credential: EmulatorCredential = DEMO_CREDENTIAL
): Promise<{ execution: string; mapRun: string }> {
  const execution = h.unique(flow)
  h.emulator.createExecution(flow, execution, {})
  core.resetCore({
    ...h.inputs([execution], extra, flow),
    'access-key-id': credential.accessKeyId,
    'access-key-secret': credential.accessKeySecret
  })
  await run(ENV)
  return { execution, mapRun: h.emulator.mapRun(flow, execution)?.name ?? '' }
}

const count = (execution: string, action: string): number => h.requestsFor(execution, action).length

describe('a failed distributed Map', () => {
  it('is blamed on the first item to fail, with its step, error and cause, everywhere', async () => {
    const { execution, mapRun } = await runOn('fan')
    const failedStep = `process › ${mapRun}-1 › ${DEEP_PATH}`
    expect(fake.outputs.get('failed-step')).toBe(failedStep)
    expect(fake.outputs.get('error')).toBe('FC.ConnectionTimeout')
    expect(fake.outputs.get('cause')).toBe(DEEP_CAUSE)
    expect(fake.failed).toContain(
      `Root cause: step ${failedStep} failed with FC.ConnectionTimeout: ${DEEP_CAUSE}.`
    )
    const errors = fake.annotations.filter((a) => a.level === 'error' && a.title !== undefined)
    expect(errors[0]).toEqual({
      level: 'error',
      title: `FnF fan: ${failedStep}`,
      message: `FC.ConnectionTimeout: ${DEEP_CAUSE}`
    })
    // The other failed item is one more root cause, not lost.
    expect(errors[1]?.title).toBe(`FnF fan: process › ${mapRun}-3 › ${DEEP_PATH}`)

    const summary = fake.summary
    expect(summary).toContain('#### Distributed Map')
    expect(summary).toContain('(distributed Map) failed: 2 of 5 items failed, 0 tolerated.')
    expect(summary).toContain('3 succeeded · 2 failed')
    expect(summary).toContain(`**First to fail:** execution <code>${mapRun}-1</code>`)
    // The timeline holds the child's steps under the Map step.
    expect(summary).toContain(`${mapRun}-1 | iteration | ❌ Failed`)
    expect(summary).toMatch(/load \| task \| ❌ Failed <code>FC\.ConnectionTimeout<\/code>/)

    // One description and one listing (the counts said both failures were on its page); the two
    // children's histories, one page each.
    expect(count(execution, 'DescribeMapRun')).toBe(1)
    const listings = h.emulator.requests.filter((r) => r.params.MapRunName === mapRun)
    expect(listings.map((r) => [r.action, r.params.Status, r.params.MetadataOnly])).toEqual([
      ['DescribeMapRun', undefined, undefined],
      ['ListExecutions', 'Failed', 'true']
    ])
    for (const child of [`${mapRun}-1`, `${mapRun}-3`]) {
      expect(h.requestsFor(child, 'GetExecutionHistory')).toHaveLength(1)
    }
  })

  it.each(['out-lower', 'top-upper', 'top-lower'])(
    'finds the MapRunName however MapRunStarted spells it (%s)',
    async (flow) => {
      const { mapRun } = await runOn(flow)
      expect(fake.outputs.get('failed-step')).toBe(`process › ${mapRun}-2 › ${DEEP_PATH}`)
    }
  )

  it('without a MapRunName, says so and stays at the Map step', async () => {
    const { execution } = await runOn('nameless')
    expect(fake.outputs.get('failed-step')).toBe('process')
    expect(fake.outputs.get('error')).toBe('FnF.MapRunFailed')
    expect(fake.summary).toContain('gives no MapRunName this action can read')
    expect(count(execution, 'DescribeMapRun')).toBe(0)
  })

  it.each([
    ['express', 'no history: a child in express mode keeps none'],
    ['hidden', 'no history: the API does not find it, as with an express child']
  ])('names an item without a history (%s children) with its status', async (flow, note) => {
    const { mapRun } = await runOn(flow)
    // Nothing says why the item failed: the blame stays at the Map step.
    expect(fake.outputs.get('failed-step')).toBe('process')
    expect(fake.summary).toContain(
      `**First to fail:** execution <code>${mapRun}-2</code> Failed, started `
    )
    expect(fake.summary).toContain(`(${note})`)
  })
})

describe('a distributed Map that tolerated its failures', () => {
  it('passes and shows the tolerated failures without blaming them', async () => {
    const { mapRun } = await runOn('tolerant', { history: 'always' })
    expect(fake.failed).toBeUndefined()
    expect(fake.outputs.get('status')).toBe('Succeeded')
    expect(fake.outputs.get('failed-step')).toBe('')
    expect(fake.annotations).toEqual([])
    expect(fake.summary).toContain(
      '(distributed Map) succeeded: 2 of 5 items failed, up to 5 items tolerated.'
    )
    expect(fake.summary).toContain('**Tolerated failures (2):**')
    expect(fake.summary).toContain(
      `execution <code>${mapRun}-1</code> → step <code>fan-out › branch 0 › load</code> failed`
    )
    expect(fake.summary).not.toContain('First to fail')
  })
})

describe('a RAM policy without the MapRun actions', () => {
  it('without fnf:DescribeMapRun: one warning, and the items are still blamed', async () => {
    const { mapRun } = await runOn('fan', {}, NO_DESCRIBE)
    const warnings = h.warnings().filter((w) => w.includes('fnf:DescribeMapRun'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('Forbidden.RAM')
    expect(fake.outputs.get('failed-step')).toBe(`process › ${mapRun}-1 › ${DEEP_PATH}`)
    expect(fake.summary).toContain(
      'No item counts: the credentials may not call fnf:DescribeMapRun.'
    )
  })

  it('without fnf:ListExecutions: one warning, and the report stays at the Map step', async () => {
    await runOn('fan', {}, NO_LIST)
    const warnings = h.warnings().filter((w) => w.includes('fnf:ListExecutions'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('the report stays at the Map step')
    expect(fake.outputs.get('failed-step')).toBe('process')
    expect(fake.outputs.get('error')).toBe('FnF.MapRunFailed')
    expect(fake.summary).toContain('2 of 5 items failed, 0 tolerated.')
    expect(fake.summary).toContain(
      'Failed items not read: the credentials may not call fnf:ListExecutions.'
    )
  })

  it('without either: one warning for each, and the step still fails on the status', async () => {
    await runOn('fan', {}, NEITHER)
    expect(h.warnings().filter((w) => w.includes('may not call fnf:'))).toHaveLength(2)
    expect(fake.failed).toContain('ended Failed')
    expect(fake.outputs.get('failed-step')).toBe('process')
  })
})
