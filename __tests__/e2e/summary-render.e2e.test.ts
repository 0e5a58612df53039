/**
 * The job summary as GitHub shows it: the demo's nested failure, run through dist/index.js against
 * the emulator, rendered as GFM (markdown-it) with its ```mermaid block drawn by mermaid in headless
 * Chromium (Debian's `chromium`, installed by .ci/run). Needs a fresh bundle (`npm run package`).
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import { createHistoryModel } from '../../src/history/index.js'
import { renderSummary as summaryMarkdown } from '../../src/report/summary.js'
import { demoFailureSummary, renderSummary } from '../../scripts/summary-render.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { parseGantts } from '../support/mermaid.js'

describe('the summary rendered in Chromium', () => {
  it("shows the demo's nested failure as a gantt with no mermaid error", async () => {
    const markdown = await demoFailureSummary()
    // What mermaid's parser understood, to compare with what Chromium drew.
    const [parsed, ...more] = await parseGantts(markdown)
    expect(more).toEqual([])
    if (parsed === undefined) throw new Error('the summary holds no mermaid block')

    const page = await renderSummary(markdown)
    expect(page.errors).toEqual([])
    expect(page.consoleErrors).toEqual([])
    expect(page.diagrams).toBe(1)
    const [chart] = page.charts
    expect(chart?.bars).toBe(parsed.tasks.length)
    expect(chart?.labels.map((l) => l.trim())).toEqual(parsed.tasks.map((t) => t.task.trim()))
    expect(chart?.sections).toEqual(parsed.sections)
    expect(chart?.sections).toContain('transform › branch 1 › load-partitions › iteration 2')
    // The failed path: transform › branch 1 › load-partitions › iteration 2 › load-partition.
    expect(chart?.crit).toBe(parsed.tasks.filter((t) => t.crit).length)
    expect(parsed.tasks.filter((t) => t.crit && !t.done).map((t) => t.task.trim())).toEqual([
      '❌ transform',
      '❌ load-partitions',
      '❌ load-partition'
    ])
    expect(chart?.labels.map((l) => l.trim())).toContain('⚠️ validate-schema')
  })

  it('draws hostile step names as plain text, with no injected markup or diagram lines', async () => {
    const names = [
      '<img src=x onerror=alert(1)>',
      '%%{init: {"theme":"dark"}}%%',
      'a: b; c # d, e',
      'x\nsection injected\n  evil :crit, e1, 0, 1ms',
      '```\n</pre><b>out</b>'
    ]
    const h = new HistoryBuilder().started()
    for (const name of names) h.top.pass(name)
    h.top.task('last', [{ fail: { error: 'E', cause: 'c' } }])
    h.failed({ error: 'E', cause: 'c' })
    const execution: Execution = {
      Name: 'run-1',
      FlowName: 'hostile',
      Status: 'Failed',
      StartedTime: '2024-06-24T02:58:42.000Z',
      StoppedTime: '2024-06-24T03:00:00.000Z'
    }
    const model = createHistoryModel()
    model.add(h.events)
    const markdown = summaryMarkdown({
      flowName: 'hostile',
      executionName: 'run-1',
      execution,
      report: model.result(execution)
    })
    const [parsed] = await parseGantts(markdown)
    const page = await renderSummary(markdown)
    expect(page.errors).toEqual([])
    expect(page.consoleErrors).toEqual([])
    expect(page.diagrams).toBe(1)
    expect(page.charts[0]?.bars).toBe(names.length + 1)
    expect(page.charts[0]?.labels.map((l) => l.trim())).toEqual(
      parsed?.tasks.map((t) => t.task.trim())
    )
    expect(page.charts[0]?.sections).toEqual(['Flow'])
    expect(page.injected).toEqual([])
  })
})
