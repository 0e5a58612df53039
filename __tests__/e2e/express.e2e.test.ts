/**
 * End-to-end: an Express flow started by the bundle (child process) against the emulator. Its
 * StartSyncExecution is held until the test releases the execution; the outputs, the annotation
 * and the summary come from that one answer, since express executions keep no history.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { runAction, type ActionRun } from '../../scripts/run-action.js'
import { visibleText } from '../support/history-markdown.js'
import { heldExpressFlow } from '../support/express.js'

const FLOW = 'smoke-api'
let emulator: Emulator
let serial = 0

beforeAll(async () => {
  emulator = await startEmulator({
    flows: [heldExpressFlow(FLOW)]
  })
})
afterAll(async () => {
  await emulator.close()
})

/** Runs the action on a new name, ends the execution as `end` says once its start is held. */
async function runExpress(
  end: Parameters<Emulator['release']>[2]
): Promise<{ run: ActionRun; name: string; describes: number }> {
  const name = `smoke-${process.pid}-${++serial}`
  const before = emulator.count('DescribeFlow')
  const running = runAction({
    inputs: {
      'flow-name': FLOW,
      'execution-name': name,
      start: 'true',
      endpoint: emulator.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
    }
  })
  await Promise.race([
    emulator.waitForRequest(
      (r) =>
        r.action === 'StartSyncExecution' && r.params.ExecutionName === name && r.holding === true
    ),
    running.then((run) => {
      throw new Error(
        `the action ended (code ${run.code}) before its StartSyncExecution:\n${run.stdout}`
      )
    })
  ])
  emulator.release(FLOW, name, end)
  const run = await running
  return { run, name, describes: emulator.count('DescribeFlow') - before }
}

function requestsOf(name: string): string[] {
  return emulator.requests.filter((r) => r.params.ExecutionName === name).map((r) => r.action)
}

describe('an Express flow with start: true', () => {
  it('succeeds: the outputs and the summary are the sync answer, exit 0', async () => {
    const { run, name, describes } = await runExpress({ output: { healthy: true, checks: 12 } })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('Succeeded')
    expect(JSON.parse(run.outputs.output!)).toEqual({ healthy: true, checks: 12 })
    expect(run.outputs['stopped-time']).toMatch(/^\d{4}-\d\d-\d\dT/)
    expect(run.outputs['history-events']).toBe('')
    // StartExecution is refused, DescribeFlow says Express, and nothing but the one held start
    // follows: there is nothing to long-poll and no history to read.
    expect(requestsOf(name)).toEqual(['StartExecution', 'StartSyncExecution'])
    expect(describes).toBe(1)
    const summary = visibleText(run.summary)
    expect(summary).toContain('FnF execution succeeded')
    expect(summary).toContain('Mode Express')
    expect(summary).toContain('Express executions keep no history')
    expect(run.annotations.filter((a) => a.level === 'error')).toEqual([])
  })

  it('fails: error code and message are the root cause of outputs, annotation and summary, exit 1', async () => {
    const { run, name } = await runExpress({
      status: 'Failed',
      error: 'Smoke.HealthCheck',
      cause: 'GET /health answered 503'
    })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({
      status: 'Failed',
      'failed-step': '',
      error: 'Smoke.HealthCheck',
      cause: 'GET /health answered 503'
    })
    const errors = run.annotations.filter((a) => a.level === 'error')
    expect(errors).toContainEqual({
      level: 'error',
      title: `FnF ${FLOW}: execution ${name} failed`,
      message: 'Smoke.HealthCheck: GET /health answered 503'
    })
    expect(errors.map((a) => a.message)).toContainEqual(
      `Express execution ${name} of flow ${FLOW} ended Failed (fail-on: Failed, TimedOut, ` +
        'Stopped). Root cause: the execution failed with Smoke.HealthCheck: GET /health answered 503.'
    )
    const summary = visibleText(run.summary)
    expect(summary).toContain('FnF execution failed')
    expect(summary).toContain('Root cause')
    expect(summary).toContain(
      'Step: not known: express executions keep no history; the error is StartSyncExecution’s'
    )
    expect(summary).toContain('Error: Smoke.HealthCheck')
    expect(summary).toContain('Cause: GET /health answered 503')
    expect(requestsOf(name)).toEqual(['StartExecution', 'StartSyncExecution'])
  })
})
