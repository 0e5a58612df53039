/**
 * Which histories the step reads (src/step/read-histories.ts) against the emulator: as the history
 * input says, and a history that cannot be read is a warning that changes no outcome.
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { useFollowing } from '../support/follow.js'
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import { Deadline } from '../../src/step/deadline.js'
import { track, type Following, type Tracked } from '../../src/step/execution-outcome.js'

jest.unstable_mockModule('@actions/core', () => core)
const { readHistories } = await import('../../src/step/read-histories.js')

const f = useFollowing({
  flows: [
    { name: 'deploy', steps: [{ type: 'task', name: 'roll', durationMs: 0 }] },
    { name: 'broken', steps: [{ type: 'fail', name: 'migrate', error: 'E', cause: 'c' }] }
  ]
})
let serial = 0
beforeEach(() => core.resetCore())

/** An execution of `flow` that has ended, as the step last read it. */
function endedAs(flow: string, status: ExecutionStatus): Following {
  const name = `h-${++serial}`
  f.emulator.createExecution(flow, name, {})
  return {
    ...track(name, '{}'),
    execution: { Name: name, FlowName: flow, Status: status } as Execution
  }
}

function historyReads(): string[] {
  return f.emulator.requests
    .filter((r) => r.action === 'GetExecutionHistory')
    .map((r) => r.params.ExecutionName!)
}

const signal = new AbortController().signal
/** The step's deadline for a step that starts now. */
const fromNow = () => Deadline.after(f.config().timeoutMs)

describe('readHistories', () => {
  it('on-failure (the default): only the executions that did not succeed', async () => {
    const [ok, bad] = [endedAs('broken', 'Succeeded'), endedAs('broken', 'Failed')]
    const before = historyReads().length
    const { outcomes, error } = await readHistories(
      f.config({ 'flow-name': 'broken' }),
      f.client(),
      [ok, bad],
      signal,
      fromNow()
    )
    expect(error).toBeUndefined()
    expect(historyReads().slice(before)).toEqual([bad.name])
    expect(outcomes[0]!.report).toBeUndefined()
    expect(outcomes[1]!.report?.rootCause).toMatchObject({ kind: 'failure', error: 'E' })
    expect(core.fake.log).toContainEqual(
      expect.stringMatching(new RegExp(`^info: Read \\d+ history events of ${bad.name}`))
    )
  })

  it('wait: false: on-failure leaves one still running alone; always reads it', async () => {
    // What `wait: false` leaves: one look, and the execution still running.
    const running = endedAs('deploy', 'Running')
    const before = historyReads().length
    await readHistories(f.config(), f.client(), [running], signal, fromNow())
    expect(historyReads().length).toBe(before)
    const { outcomes } = await readHistories(
      f.config({ history: 'always' }),
      f.client(),
      [running],
      signal,
      fromNow()
    )
    expect(historyReads().slice(before)).toEqual([running.name])
    expect(outcomes[0]!.report).toBeDefined()
  })

  it('never reads none; always reads every one, abandoned ones excepted', async () => {
    const ok = endedAs('deploy', 'Succeeded')
    const abandoned: Tracked = { ...endedAs('deploy', 'Running'), state: 'abandoned' }
    const before = historyReads().length
    await readHistories(f.config({ history: 'never' }), f.client(), [ok], signal, fromNow())
    expect(historyReads().length).toBe(before)
    const { outcomes } = await readHistories(
      f.config({ history: 'always' }),
      f.client(),
      [ok, abandoned],
      signal,
      fromNow()
    )
    expect(historyReads().slice(before)).toEqual([ok.name])
    expect(outcomes[0]!.report).toBeDefined()
  })

  it('never asks for the history of an express execution: it keeps none', async () => {
    const express: Tracked = {
      ...track('smoke', '{}'),
      state: 'ended',
      express: true,
      execution: { Name: 'smoke:0d5b', FlowName: 'deploy', Status: 'Failed' } as Execution
    }
    const before = historyReads().length
    const { outcomes } = await readHistories(
      f.config({ history: 'always' }),
      f.client(),
      [express],
      signal,
      fromNow()
    )
    expect(historyReads().length).toBe(before)
    expect(outcomes).toEqual([express])
    expect(core.fake.log).toEqual([])
  })

  it('a history that cannot be read is a warning, and the outcome stays as it was', async () => {
    const gone: Tracked = {
      ...track('never-created', '{}'),
      execution: { Name: 'never-created', FlowName: 'deploy', Status: 'Failed' } as Execution
    }
    const { outcomes, error } = await readHistories(
      f.config(),
      f.client(),
      [gone],
      signal,
      fromNow()
    )
    expect(error).toBeUndefined()
    expect(outcomes).toEqual([gone])
    expect(core.fake.log).toContainEqual(
      expect.stringMatching(/^warning: Could not read the history of never-created: /)
    )
  })
})
