/**
 * The step's deadline (src/step/deadline.ts): what is left and whether it passed on the clock it
 * was made with, the grace a last look gets, and the client's "not sent: the deadline had
 * passed" turned into a value, against the emulator.
 */
import { describe, expect, it } from '@jest/globals'
import { beforeDeadline, Deadline, PASSED } from '../../src/step/deadline.js'
import { useFollowing } from '../support/follow.js'

const f = useFollowing({ flows: [{ name: 'deploy', steps: [] }] })

describe('Deadline', () => {
  it('reads its own clock: what is left, never below 0, and whether it passed', () => {
    let clock = 1000
    const deadline = Deadline.after(500, () => clock)
    expect(deadline.at).toBe(1500)
    expect([deadline.remaining(), deadline.passed()]).toEqual([500, false])
    clock = 1500
    expect([deadline.remaining(), deadline.passed()]).toEqual([0, true])
    clock = 9000
    expect(deadline.remaining()).toBe(0)
  })

  it('a request near the end may run a grace past it; one far from it keeps the deadline', () => {
    let clock = 0
    const deadline = new Deadline(60_000, () => clock)
    expect(deadline.orGrace(10_000)).toBe(60_000)
    clock = 55_000
    expect(deadline.orGrace(10_000)).toBe(65_000)
  })
})

describe('beforeDeadline', () => {
  it('a request the client would not send in time is the value PASSED', async () => {
    const before = f.emulator.count()
    const past = new Deadline(Date.now() - 1)
    const read = f
      .client()
      .describeExecution({ flowName: 'deploy', executionName: 'any' }, { deadline: past.at })
    await expect(beforeDeadline(read)).resolves.toBe(PASSED)
    // Not sent at all.
    expect(f.emulator.count()).toBe(before)
  })

  it('an answer comes back as it was, and any other error is thrown as it was', async () => {
    f.emulator.createExecution('deploy', 'here', {})
    const soon = Deadline.after(60_000)
    const here = f
      .client()
      .describeExecution({ flowName: 'deploy', executionName: 'here' }, { deadline: soon.at })
    await expect(beforeDeadline(here)).resolves.toMatchObject({ Name: 'here' })
    const gone = f
      .client()
      .describeExecution({ flowName: 'deploy', executionName: 'gone' }, { deadline: soon.at })
    await expect(beforeDeadline(gone)).rejects.toMatchObject({ code: 'ExecutionNotExists' })
  })
})
