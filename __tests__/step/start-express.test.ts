/**
 * One express execution (src/step/start-express.ts) against the emulator: StartSyncExecution held
 * until the test releases the execution, and what each way of cutting it short means.
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { useFollowing } from '../support/follow.js'
import { Deadline } from '../../src/step/deadline.js'
import { track } from '../../src/step/execution-outcome.js'
import { heldExpressFlow } from '../support/express.js'

jest.unstable_mockModule('@actions/core', () => core)
const { startExpress } = await import('../../src/step/start-express.js')

const f = useFollowing({
  flows: [heldExpressFlow('smoke')]
})
let serial = 0
const unique = (prefix: string) => `${prefix}-${++serial}`
beforeEach(() => core.resetCore())
const inputs = { start: 'true', 'flow-name': 'smoke' }

const held = (name: string) =>
  f.emulator.waitForRequest(
    (r) =>
      r.action === 'StartSyncExecution' && r.params.ExecutionName === name && r.holding === true
  )

describe('startExpress', () => {
  it('ends with the answer: status, output, the name the service gave', async () => {
    const name = unique('ok')
    const ending = startExpress(f.context({ ...inputs, input: '{"n":1}' }), track(name, '{"n":1}'))
    await held(name)
    f.emulator.release('smoke', name, { output: { n: 1 } })
    const t = await ending
    expect(t).toMatchObject({ state: 'ended', express: true, name })
    expect(t.execution?.Status).toBe('Succeeded')
    expect(t.execution?.Output).toBe('{"n":1}')
    expect(t.execution?.Name).toMatch(new RegExp(`^${name}:[0-9a-f-]{36}$`))
    expect(f.emulator.requests.at(-1)?.params.Input).toBe('{"n":1}')
    expect(core.fake.log.at(-1)).toMatch(
      new RegExp(`^info: Express execution ${name}:.* ended Succeeded at `)
    )
  })

  it('passes the qualifier, and a failure carries ErrorCode and ErrorMessage', async () => {
    f.emulator.publishFlowVersion('smoke')
    const name = unique('failed')
    const ending = startExpress(f.context({ ...inputs, qualifier: '1' }), track(name, '{}'))
    await held(name)
    f.emulator.release('smoke', name, { status: 'Failed', error: 'Probe.Down', cause: '503' })
    const t = await ending
    expect(t.execution).toMatchObject({
      Status: 'Failed',
      ErrorCode: 'Probe.Down',
      ErrorMessage: '503'
    })
    expect(f.emulator.execution('smoke', name)).toMatchObject({ version: '1', qualifier: '1' })
  })

  it("the step's deadline cuts the held request: our wait timed out, the execution runs on", async () => {
    const name = unique('slow')
    // The execution is held until released: only the deadline can end this request.
    const t = await startExpress(
      f.context(inputs, { deadline: Deadline.after(1500) }),
      track(name, '{}')
    )
    expect(t).toMatchObject({ state: 'wait-timed-out', express: true })
    expect(t.execution).toBeUndefined()
    expect(core.fake.log.at(-1)).toBe(
      `info: Stopped waiting for express execution ${name}: the express execution, if it ` +
        'started, runs on until it ends, at most 5 minutes after it started (no API stops or ' +
        'reads an express execution).'
    )
    expect(f.emulator.execution('smoke', name)?.status).toBe('Running')
    f.emulator.release('smoke', name)
  })

  it('a cancel aborts it: the execution as it was, marked express, and a line that says so', async () => {
    const name = unique('cancel')
    const abort = new AbortController()
    const ending = startExpress(f.context(inputs, { signal: abort.signal }), track(name, '{}'))
    await held(name)
    abort.abort(new Error('cancelled'))
    const t = await ending
    expect(t).toEqual({ ...track(name, '{}'), express: true })
    expect(core.fake.log.at(-1)).toMatch(
      new RegExp(
        `^info: The StartSyncExecution request of ${name} was aborted: the express execution`
      )
    )
    f.emulator.release('smoke', name)
  })

  it('an answer before the end: lost, with a warning (nothing can read it later)', async () => {
    f.emulator.injectFault({
      kind: 'answer',
      action: 'StartSyncExecution',
      body: JSON.stringify({ Name: 'x:1', FlowName: 'smoke', Status: 'Running' })
    })
    const t = await startExpress(f.context(inputs), track(unique('early'), '{}'))
    expect(t.state).toBe('lost')
    expect(core.fake.log.at(-1)).toMatch(
      /^warning: StartSyncExecution answered before express execution .* \(status Running\)/
    )
  })

  it('a 5xx may have started one: not sent again, and the error says why', async () => {
    f.emulator.injectFault({ kind: 'server-error', action: 'StartSyncExecution' })
    await expect(startExpress(f.context(inputs), track(unique('5xx'), '{}'))).rejects.toThrow(
      /^StartSyncExecution failed: HTTP 500 InternalServerError.*\. The request was not sent again, since each StartSyncExecution starts an execution/
    )
  })

  it('a refusal is thrown as it came (nothing started)', async () => {
    const name = unique('unknown')
    await expect(
      startExpress(f.context({ ...inputs, qualifier: 'nightly' }), track(name, '{}'))
    ).rejects.toMatchObject({ code: 'FlowAliasNotExists', status: 404 })
  })
})
