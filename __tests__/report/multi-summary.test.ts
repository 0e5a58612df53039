import { describe, expect, it } from '@jest/globals'
import MarkdownIt from 'markdown-it'
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import { createHistoryModel } from '../../src/history/index.js'
import { renderMultiSummary } from '../../src/report/multi-summary.js'
import { executionView, type ExecutionFacts, type ExecutionView } from '../../src/report/view.js'
import { largeHistoryEvents } from '../support/history-large.js'
import { visibleText } from '../support/history-markdown.js'

function context(
  name: string,
  status: ExecutionStatus,
  extra: Partial<ExecutionFacts> = {}
): ExecutionView {
  const execution: Execution = {
    Name: name,
    FlowName: 'fanout',
    Status: status,
    StartedTime: '2026-01-01T00:00:00.000Z',
    StoppedTime: '2026-01-01T00:02:00.000Z'
  }
  return executionView({ flowName: 'fanout', executionName: name, execution, ...extra })
}

describe('renderMultiSummary', () => {
  it('has one row per execution, the failures first, and a report for each failure', () => {
    const executions = [
      context('eu', 'Failed'),
      context('us', 'Stopped'),
      context('ap', 'Succeeded'),
      context('sa', 'Running', { waitTimedOut: true })
    ]
    const text = renderMultiSummary({
      kind: 'multi',
      flowName: 'fanout',
      executions,
      failed: executions.filter((c) => c.status !== 'Succeeded')
    })
    expect(text).toMatch(/3 of 4 FnF executions did not succeed/)
    const html = new MarkdownIt({ html: true }).render(text)
    const table = html.slice(html.indexOf('<table>'), html.indexOf('</table>'))
    expect(table.match(/<tr>/g)).toHaveLength(5)
    expect(table.indexOf('eu')).toBeLessThan(table.indexOf('ap'))
    expect(html).toMatch(/Running \(wait timed out\)/)
    expect(text.match(/^### /gm)?.length).toBe(1 + 3)
  })

  it('stays within the budget with 1000 executions and the largest histories, saying what it left out', () => {
    const model = createHistoryModel()
    for (const event of largeHistoryEvents()) model.add([event])
    const report = model.result()
    const executions = Array.from({ length: 1000 }, (_, i) =>
      context(`shard-${i}`, i % 2 ? 'Failed' : 'Succeeded', i % 2 ? { report } : {})
    )
    const failed = executions.filter((c) => c.report)
    const text = renderMultiSummary({ kind: 'multi', flowName: 'fanout', executions, failed })
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1_000_000)
    expect(text).toMatch(/more failure reports not shown \(summary size limit\)/)
    // Every execution still has its row: the table is cut only when even it does not fit.
    expect(text.match(/^\| <code>shard-/gm)).toHaveLength(1000)
  })

  it('cuts the table itself when even the rows do not fit', () => {
    const executions = Array.from({ length: 20_000 }, (_, i) => context(`shard-${i}`, 'Succeeded'))
    const text = renderMultiSummary(
      { kind: 'multi', flowName: 'fanout', executions, failed: [] },
      { budgetBytes: 200_000 }
    )
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(200_000)
    expect(text).toMatch(/more executions not shown \(summary size limit\)/)
  })
})

describe('renderMultiSummary with a qualifier', () => {
  it('names the version or alias above the table, with the routes once', () => {
    const md = renderMultiSummary({
      kind: 'multi',
      flowName: 'fanout',
      qualifier: 'canary',
      routing: { alias: 'canary', routes: [{ version: '4', weight: 100 }] },
      executions: [context('a', 'Succeeded'), context('b', 'Succeeded')],
      failed: []
    })
    const text = visibleText(md)
    expect(text).toContain('Flow fanout @ canary · Succeeded 2')
    expect(text.match(/Alias canary runs version 4\./g)).toHaveLength(1)
  })
})
