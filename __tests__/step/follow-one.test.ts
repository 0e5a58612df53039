/**
 * What the step does to one execution (src/step/follow-one.ts) against the emulator: start it
 * (adopting this run's own on a retry), read it once, wait for it (stopping it:
 * stop-executions.test.ts). Held executions end when the test releases them.
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { useFollowing } from '../support/follow.js'
import { Deadline } from '../../src/step/deadline.js'
import { track, type Following } from '../../src/step/tracked.js'

jest.unstable_mockModule('@actions/core', () => core)
const { readOne, startOne, waitOne } = await import('../../src/step/follow-one.js')

const f = useFollowing({
  flows: [{ name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll', durationMs: 0 }] }]
})
let serial = 0
const unique = () => `one-${++serial}`
beforeEach(() => core.resetCore())

describe('startOne', () => {
  it('starts the execution with its input', async () => {
    const name = unique()
    const t = await startOne(f.context({ 'execution-name': name }), track(name, '{"v":1}'))
    expect(t.execution?.Status).toBe('Running')
    const start = f.emulator.requests.find(
      (r) => r.action === 'StartExecution' && r.params.ExecutionName === name
    )!
    expect(start.params.Input).toBe('{"v":1}')
    expect(core.fake.log).toContain(`info: Started execution ${name} of flow deploy.`)
  })

  it('a given name that already ended is an error that says to use a new one', async () => {
    const name = unique()
    f.emulator.createExecution('deploy', name, {})
    f.emulator.release('deploy', name)
    await expect(
      startOne(f.context({ 'execution-name': name, start: 'true' }), track(name, '{}'))
    ).rejects.toThrow(/already ended; execution names are unique within a flow\. Use a new/)
  })

  it('a name made from the run that already exists is this run’s own: it is read, not refused', async () => {
    const context = f.context({ 'execution-name': '', start: 'true' })
    const name = context.config.executions[0]!.name
    f.emulator.createExecution('deploy', name, {})
    f.emulator.release('deploy', name, { status: 'Failed', error: 'E', cause: 'c' })
    const t = await startOne(context, track(name, '{}'))
    expect(t.execution?.Status).toBe('Failed')
    expect(core.fake.log).toContain(
      `info: Execution ${name} was already started by this run; reading how it ended.`
    )
  })
})

describe('readOne and waitOne', () => {
  it('readOne looks once; waitOne follows to the end the test releases', async () => {
    const name = unique()
    f.emulator.createExecution('deploy', name, {})
    const context = f.context({ 'execution-name': name })
    const read = await readOne(context, track(name, '{}'))
    expect(read.execution?.Status).toBe('Running')

    const seen: string[] = []
    const waiting = waitOne(context, read as Following, Date.now(), (e) => seen.push(e.Status))
    await f.emulator.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true)
    f.emulator.release('deploy', name, { status: 'Failed', error: 'E', cause: 'c' })
    const done = await waiting
    expect(done.execution?.Status).toBe('Failed')
    expect(done.state).toBe('ended')
    expect(seen.at(-1)).toBe('Failed')
    expect(core.fake.log).toContainEqual(
      expect.stringMatching(`^info: Execution ${name} ended Failed`)
    )
  })

  it('a deadline that passes first: still running, and the wait timed out', async () => {
    const name = unique()
    f.emulator.createExecution('deploy', name, {})
    const t = await waitOne(
      f.context({ 'execution-name': name }, { deadline: new Deadline(Date.now() - 1) }),
      track(name, '{}'),
      Date.now(),
      () => {}
    )
    expect(t.state).toBe('wait-timed-out')
    f.emulator.release('deploy', name)
  })
})
