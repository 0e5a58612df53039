/**
 * The step's use of the wait loop (src/step/wait.ts: readOne, waitOne) against the emulator: read
 * an execution once, wait for it to the end the test releases or to a deadline that has passed.
 * (The loop itself, on a fake clock: wait.test.ts.)
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { useFollowing } from '../support/follow.js'
import { Deadline } from '../../src/step/deadline.js'
import { track, type Following } from '../../src/step/execution-outcome.js'

jest.unstable_mockModule('@actions/core', () => core)
const { readOne, waitOne } = await import('../../src/step/wait.js')

const f = useFollowing({
  flows: [{ name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll', durationMs: 0 }] }]
})
let serial = 0
const unique = () => `one-${++serial}`
beforeEach(() => core.resetCore())

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
