/**
 * A distributed Map end to end: the bundle waits on an execution whose Map runs 500 items, 3 of
 * which fail in a child step two levels deep (`fan-out › branch 0 › load`), every item run before
 * the tolerance decides. The test decides when items end: children are held, and it releases the
 * next 100 only once live progress has logged that the last 100 are done, so the item counts are
 * seen before the end without a race. With tolerance 0 the step fails with the child's step,
 * error and cause in the outputs, the annotation and the summary (with the counts); with a
 * tolerance of 5 it passes and the summary shows the 3 tolerated failures. The emulator throttles
 * at the service's documented rates, and the test bounds what each API was asked. Live progress's
 * minute is shortened to 500 ms through the tests-only FNF_WAIT_PROGRESS_INTERVAL_MS.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { runAction, type ActionRun } from '../../scripts/run-action.js'
import { DEEP_CAUSE, DEEP_PATH, deepChild, mapFlow } from '../support/map-flows.js'

const ITEMS = 500
const GROUP = 100
const FAILING = [7, 250, 499]
const map = { items: ITEMS, child: deepChild({ hold: true }) }

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({
    flows: [
      mapFlow('fan', FAILING, map),
      mapFlow('fan-tolerant', FAILING, { ...map, toleratedFailureCount: 5 })
    ]
  })
})
afterAll(() => emulator.close())

interface Watched {
  run: ActionRun
  /** Progress lines of `process`, each with the execution's status when it was logged. */
  progress: Array<{ line: string; status: string | undefined }>
  mapRun: string
  /** Requests per API, for this execution and its MapRun's children. */
  requests: Record<string, number>
}

/** Runs the bundle on a new execution of `flow`, releasing items a group at a time. */
async function watch(flow: string, execution: string): Promise<Watched> {
  emulator.createExecution(flow, execution, {})
  let released = 0
  const progress: Watched['progress'] = []
  const run = await runAction({
    inputs: {
      'flow-name': flow,
      'execution-name': execution,
      endpoint: emulator.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
    },
    env: { FNF_WAIT_PROGRESS_INTERVAL_MS: '500' },
    onLine: (line) => {
      const m = /^process: (\d+) of 500 items done, (\d+) failed$/.exec(line)
      if (!m) return
      progress.push({ line, status: emulator.execution(flow, execution)?.status })
      // Every item released so far has ended: the next group may go.
      if (Number(m[1]) === released && released < ITEMS) {
        emulator.releaseItems(flow, execution, { count: GROUP })
        released += GROUP
      }
    },
    killAfterMs: 120_000
  })
  const mapRun = emulator.mapRun(flow, execution)?.name ?? ''
  const requests: Record<string, number> = {}
  for (const r of emulator.requests) {
    const name = r.params.ExecutionName ?? ''
    if (name !== execution && !name.startsWith(`${mapRun}-`) && r.params.MapRunName !== mapRun)
      continue
    requests[r.action] = (requests[r.action] ?? 0) + 1
  }
  return { run, progress, mapRun, requests }
}

describe('a distributed Map of 500 items, 3 failing two levels deep', () => {
  it("tolerance 0: the step fails with the child's step, error and cause", async () => {
    const { run, progress, mapRun, requests } = await watch('fan', 'run-0')
    expect(run.code).toBe(1)
    const failedStep = `process › ${mapRun}-7 › ${DEEP_PATH}`
    expect(run.outputs).toMatchObject({
      status: 'Failed',
      'failed-step': failedStep,
      error: 'FC.ConnectionTimeout',
      cause: DEEP_CAUSE
    })
    expect(run.annotations).toContainEqual({
      level: 'error',
      title: `FnF fan: ${failedStep}`,
      message: `FC.ConnectionTimeout: ${DEEP_CAUSE}`
    })
    expect(run.stdout).toContain(
      `Root cause: step ${failedStep} failed with FC.ConnectionTimeout: ${DEEP_CAUSE}.`
    )
    expect(run.summary).toContain(`- **Step:** ${failedStep}`)
    expect(run.summary).toContain('(distributed Map) failed: 3 of 500 items failed, 0 tolerated.')
    expect(run.summary).toContain('497 succeeded · 3 failed')
    expect(run.summary).toContain(`**First to fail:** execution <code>${mapRun}-7</code>`)

    // The counts were logged while the execution ran, a group at a time.
    const before = progress.filter((p) => p.status === 'Running').map((p) => p.line)
    expect(before).toEqual(
      expect.arrayContaining([
        'process: 0 of 500 items done, 0 failed',
        'process: 100 of 500 items done, 1 failed',
        'process: 300 of 500 items done, 2 failed',
        'process: 400 of 500 items done, 2 failed'
      ])
    )

    // What it cost: one history read of the parent per progress interval plus the report's
    // page, a description per read at most (and one for the report), one listing of the failed
    // children, and one history page for each of the 3.
    const parentHistory = emulator.requests.filter(
      (r) => r.action === 'GetExecutionHistory' && r.params.ExecutionName === 'run-0'
    ).length
    expect(requests.DescribeMapRun).toBeLessThanOrEqual(parentHistory + 1)
    expect(requests.ListExecutions).toBe(1)
    expect(requests.GetExecutionHistory).toBe(parentHistory + FAILING.length)
    expect(Object.keys(requests).sort()).toEqual([
      'DescribeExecution',
      'DescribeMapRun',
      'GetExecutionHistory',
      'ListExecutions'
    ])
  })

  it('tolerance 5: the step passes and the summary shows the 3 tolerated failures', async () => {
    const { run, progress, mapRun } = await watch('fan-tolerant', 'run-5')
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ status: 'Succeeded', 'failed-step': '', error: '' })
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([])
    expect(run.summary).toContain(
      '(distributed Map) succeeded: 3 of 500 items failed, up to 5 items tolerated.'
    )
    expect(run.summary).toContain('**Tolerated failures (3):**')
    for (const item of FAILING) {
      expect(run.summary).toContain(
        `execution <code>${mapRun}-${item}</code> → step <code>${DEEP_PATH}</code> failed ` +
          `with <code>FC.ConnectionTimeout</code>: ${DEEP_CAUSE}`
      )
    }
    expect(progress.filter((p) => p.status === 'Running').length).toBeGreaterThanOrEqual(5)
  })
})
