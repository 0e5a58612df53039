/**
 * The view every renderer takes (src/report/view.ts, pure): the status shown, the times, the
 * blame worked out once from them, and only the facts that are known.
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import { executionView } from '../../src/report/view.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { exec, fold } from '../support/history-model.js'

const START = '2024-06-24T02:58:42.000Z'
const STOP = '2024-06-24T03:00:00.000Z'

function described(status: Execution['Status'], extra: Partial<Execution> = {}): Execution {
  return exec(status, { StartedTime: START, StoppedTime: STOP, ...extra })
}

describe('executionView', () => {
  it('without a history: DescribeExecution’s status, times, input and output', () => {
    const view = executionView({
      flowName: 'deploy',
      executionName: 'run-1',
      execution: described('Stopped', { Input: '{"a":1}', Output: '' })
    })
    expect(view).toEqual({
      flowName: 'deploy',
      executionName: 'run-1',
      status: 'Stopped',
      statusText: 'Stopped',
      times: { startedAt: Date.parse(START), stoppedAt: Date.parse(STOP) },
      blame: { kind: 'stopped', running: [] },
      input: '{"a":1}',
      output: '',
      waitTimedOut: false
    })
  })

  it('a history that saw the end wins over an earlier DescribeExecution, and so does its blame', () => {
    const h = new HistoryBuilder(START).started()
    h.top.fail('call', { error: 'E', cause: 'c' })
    h.failed({ error: 'E', cause: 'c' })
    // Described while running, the history read after it ended.
    const execution = described('Running', { StoppedTime: '' })
    const report = fold(h.events, execution)
    const view = executionView({ flowName: 'deploy', executionName: 'run-1', execution, report })
    expect(view.status).toBe('Failed')
    expect(view.times.startedAt).toBe(Date.parse(START))
    expect(view.times.stoppedAt).toBe(report.stoppedAt)
    expect(view.blame).toMatchObject({ kind: 'failed', step: { pathText: 'call', error: 'E' } })
    expect(view.report).toBe(report)
  })

  it('while running: no end time, and the wait’s end is blamed only when our wait ended', () => {
    const facts = {
      flowName: 'deploy',
      executionName: 'run-1',
      execution: described('Running')
    }
    expect(executionView(facts).times).toEqual({ startedAt: Date.parse(START) })
    expect(executionView(facts).blame).toEqual({ kind: 'none' })
    const waited = executionView({ ...facts, waitTimedOut: true, waitedMs: 60_000 })
    expect(waited.blame).toEqual({ kind: 'waitEnded', running: [] })
    expect(waited.waitedMs).toBe(60_000)
  })

  it('an undocumented status is Unknown, its text kept to be shown escaped', () => {
    const view = executionView({
      flowName: 'deploy',
      executionName: 'run-1',
      execution: described('<b>Weird</b>' as never)
    })
    expect(view.status).toBe('Unknown')
    expect(view.statusText).toBe('<b>Weird</b>')
    expect(view.blame).toEqual({ kind: 'none' })
    const unread = executionView({ flowName: 'deploy', executionName: 'lost', problem: 'gone' })
    expect(unread).toEqual({
      flowName: 'deploy',
      executionName: 'lost',
      status: 'Unknown',
      statusText: 'Unknown',
      times: {},
      blame: { kind: 'none' },
      waitTimedOut: false,
      problem: 'gone'
    })
  })
})

describe('executionView of an express execution', () => {
  it("StartSyncExecution's answer: its status, times and output, its error as the blame", () => {
    const view = executionView({
      flowName: 'smoke',
      executionName: 'run-1',
      express: true,
      qualifier: '3',
      execution: described('Failed', { ErrorCode: 'Probe.Down', ErrorMessage: '503' })
    })
    expect(view).toMatchObject({
      status: 'Failed',
      express: true,
      qualifier: '3',
      times: { startedAt: Date.parse(START), stoppedAt: Date.parse(STOP) },
      blame: { kind: 'failed', express: true, step: { error: 'Probe.Down', cause: '503' } }
    })
  })

  it('the same fields of a standard execution are not read (a history says more)', () => {
    const view = executionView({
      flowName: 'deploy',
      executionName: 'run-1',
      execution: described('Failed', { ErrorCode: 'Probe.Down', ErrorMessage: '503' })
    })
    expect(view.blame).toEqual({ kind: 'failed', others: [] })
    expect(view).not.toHaveProperty('express')
  })
})
