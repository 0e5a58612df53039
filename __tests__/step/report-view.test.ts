/**
 * What the report describes (src/step/report-view.ts, pure): one execution's context, or several
 * worst first, with the failed ones that were actually read.
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import { reportView } from '../../src/step/report-view.js'
import { track, type Tracked } from '../../src/step/tracked.js'
import { configOf } from '../support/config.js'

function ended(name: string, status: ExecutionStatus, more: Partial<Tracked> = {}): Tracked {
  return {
    ...track(name, '{}'),
    execution: { Name: name, FlowName: 'deploy', Status: status } as Execution,
    ...more
  }
}

describe('reportView', () => {
  it('one execution: its view, with how long the step waited', () => {
    const view = reportView(configOf(), [ended('a', 'Running', { waitTimedOut: true })], 5000)
    expect(view).toEqual({
      kind: 'single',
      execution: {
        flowName: 'deploy',
        executionName: 'a',
        status: 'Running',
        statusText: 'Running',
        times: {},
        blame: { kind: 'waitEnded', running: [] },
        waitTimedOut: true,
        waitedMs: 5000
      }
    })
  })

  it('several: worst first; failed lists those read or in error, not the abandoned', () => {
    const lost = { ...track('lost', '{}'), error: new Error('::error::gone') }
    const view = reportView(
      configOf(),
      [
        ended('ok', 'Succeeded'),
        ended('abandoned', 'Running', { abandoned: true }),
        ended('bad', 'Failed'),
        lost,
        track('unread', '{}')
      ],
      0
    )
    if (view.kind !== 'multi') throw new Error('expected a multi view')
    expect(view.executions.map((c) => c.executionName)).toEqual([
      'bad',
      'lost',
      'unread',
      'abandoned',
      'ok'
    ])
    expect(view.failed.map((c) => c.executionName)).toEqual(['bad', 'lost'])
    const problem = (view.failed[1] as { problem?: string }).problem!
    expect(problem).toContain('gone')
    expect(problem.trimStart().startsWith('::')).toBe(false)
    expect(view.executions[3]!.historyNote).toMatch(/fail-fast/)
  })
})
