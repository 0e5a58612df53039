/**
 * The timeline chart: every diagram written here goes through Mermaid's own parser
 * (support/mermaid.ts), and what Mermaid understood (bars, labels, sections, tags, times) is
 * compared with the step tree.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { Execution, HistoryEvent } from '../../src/fnf/types.js'
import { ganttText, renderGantt } from '../../src/report/gantt.js'
import { createHistoryModel, type ExecutionReport, type StepNode } from '../../src/history/index.js'
import { renderMultiSummary } from '../../src/report/multi-summary.js'
import { renderPrComment } from '../../src/report/pr-comment.js'
import { renderSummary } from '../../src/report/summary.js'
import { executionView } from '../../src/report/view.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { parse } from '../support/history-markdown.js'
import { MERMAID_MAX_TEXT, mermaidBlocks, parseGantt, parseGantts } from '../support/mermaid.js'

function fold(events: HistoryEvent[], execution?: Execution): ExecutionReport {
  const model = createHistoryModel()
  model.add(events)
  return model.result(execution)
}

function exec(status: Execution['Status'], name = 'run-1'): Execution {
  return {
    Name: name,
    FlowName: 'deploy',
    Status: status,
    StartedTime: '2024-06-24T02:58:42.000Z',
    StoppedTime: status === 'Running' ? '' : '2024-06-24T03:00:00.000Z',
    Input: '{}',
    Output: ''
  }
}

/** Steps the chart draws (branches and iterations are sections, not bars), in tree order. */
function bars(report: ExecutionReport): StepNode[] {
  const out: StepNode[] = []
  const walk = (nodes: readonly StepNode[]) => {
    for (const n of nodes) {
      if (n.kind !== 'branch' && n.kind !== 'iteration') out.push(n)
      walk(n.children)
    }
  }
  walk(report.steps)
  return out
}

/** A nested failure: caught failure, parallel with a still-running branch, failing iteration. */
function nestedFailure(): HistoryBuilder {
  const h = new HistoryBuilder().started()
  h.top.pass('prepare')
  h.top.task('validate', [{ fail: { error: 'Schema.Drift', cause: 'new column' } }])
  h.top.pass('after-validate')
  const fanout = h.top.open('fanout')
  const b0 = fanout.branch(0)
  const b1 = fanout.branch(1)
  b0.open('slow').attempt({ open: true })
  const each = b1.open('each-region')
  const it0 = each.iteration(0)
  const it1 = each.iteration(1)
  it0.task('push-image')
  it0.exit()
  it1.task('push-image', [{ fail: { error: 'FC.Unhandled', cause: 'registry said no' } }])
  each.fail({ error: 'FC.Unhandled', cause: 'x' })
  fanout.fail({ error: 'FC.Unhandled', cause: 'x' })
  h.failed({ error: 'FC.Unhandled', cause: 'x' })
  return h
}

describe('renderGantt', () => {
  it('draws a nested failure: sections per branch and iteration, failed path critical', async () => {
    const report = fold(nestedFailure().events, exec('Failed'))
    const md = renderGantt(report)
    const [chart, ...more] = await parseGantts(md)
    expect(more).toEqual([])
    if (chart === undefined) throw new Error('no chart')
    expect(chart.sections).toEqual([
      'Flow',
      'fanout › branch 0',
      'fanout › branch 1',
      'fanout › branch 1 › each-region › iteration 0',
      'fanout › branch 1 › each-region › iteration 1'
    ])
    const byName = (label: string) => chart.tasks.filter((t) => t.task.trim().endsWith(` ${label}`))
    expect(chart.tasks.map((t) => t.task.trim())).toEqual([
      '✅ prepare',
      '⚠️ validate',
      '✅ after-validate',
      '❌ fanout',
      '⏹️ slow',
      '❌ each-region',
      '✅ push-image',
      '❌ push-image'
    ])
    expect(chart.tasks.map((t) => t.section)).toEqual([
      'Flow',
      'Flow',
      'Flow',
      'Flow',
      'fanout › branch 0',
      'fanout › branch 1',
      'fanout › branch 1 › each-region › iteration 0',
      'fanout › branch 1 › each-region › iteration 1'
    ])
    // The failed path is red; the caught failure is marked (red on grey), not part of it.
    expect(chart.tasks.filter((t) => t.crit && !t.done).map((t) => t.task.trim())).toEqual([
      '❌ fanout',
      '❌ each-region',
      '❌ push-image'
    ])
    expect(byName('validate')[0]).toMatchObject({ crit: true, done: true })
    // Still running when the execution failed: drawn to the end.
    const slow = byName('slow')[0]
    expect(slow).toMatchObject({ active: true })
    expect(slow?.end).toBeGreaterThanOrEqual(report.stoppedAt ?? Infinity)
    // Bars sit on the real time axis, ids are unique.
    const prepare = bars(report)[0]
    expect(chart.tasks[0]?.start).toBe(prepare?.startedAt)
    expect(chart.tasks[0]?.end).toBe(prepare?.endedAt)
    expect(new Set(chart.tasks.map((t) => t.id)).size).toBe(chart.tasks.length)
    for (const t of chart.tasks) expect(t.end).toBeGreaterThan(t.start)
    expect(md).not.toContain('left out')
  })

  it('gives zero-length steps a visible width and draws nothing without times', async () => {
    const h = new HistoryBuilder('2024-06-24T02:58:42.000Z', 0).started()
    h.top.pass('instant')
    h.advance(60_000)
    h.top.pass('later')
    h.succeeded()
    const report = fold(h.events, exec('Succeeded'))
    const chart = await parseGantt(mermaidBlocks(renderGantt(report))[0] ?? '')
    expect(chart.tasks).toHaveLength(2)
    for (const t of chart.tasks) expect(t.end - t.start).toBeGreaterThanOrEqual(300)

    expect(renderGantt(fold([], exec('Failed')))).toBe('')
  })

  const NASTY = [
    'a: b; c # d, e',
    '%%{init: {"theme":"dark","securityLevel":"loose"}}%%',
    '%% comment',
    'line one\nsection injected\n  evil :crit, x1, 0, 1ms',
    '```\n<img src=x onerror=alert(1)>\n```',
    '<b>bold</b> & &amp; #58; #colon; "q" \'s\' `c` \\',
    'title Hijack',
    'section Hijack',
    'click s1 href "javascript:alert(1)"',
    'gantt',
    'dateFormat YYYY',
    '2024-06-24',
    'excludes weekends',
    '\u202eevil\u202c zero\u200bwidth\u2028sep\rcr\ttab',
    '   ',
    '🚀'.repeat(100)
  ]

  it('keeps hostile step names inert: each is one bar whose label is the escaped name', async () => {
    const h = new HistoryBuilder().started()
    for (const name of NASTY) h.top.pass(name)
    const par = h.top.open(NASTY[1] ?? '')
    par.branch(0).task(NASTY[3] ?? '', [{ fail: { error: 'E', cause: 'c' } }])
    par.fail({ error: 'E', cause: 'c' })
    h.failed({ error: 'E', cause: 'c' })
    const report = fold(h.events, exec('Failed'))
    const md = renderSummary(
      executionView({
        flowName: 'deploy',
        executionName: 'run-1',
        execution: exec('Failed'),
        report
      })
    )
    // The fence holds: markdown sees exactly one mermaid block, and it is ours whole.
    const fences = parse(md).filter((t) => t.type === 'fence')
    expect(fences.map((t) => t.info)).toEqual(['mermaid', 'json'])
    const [chart] = await parseGantts(md)
    if (chart === undefined) throw new Error('no chart')
    const expected = bars(report)
    expect(chart.tasks).toHaveLength(expected.length)
    expect(chart.tasks.map((t) => t.task.trim())).toEqual(
      expected.map(
        (n) => `${n.status === 'Failed' ? '❌' : '✅'} ${ganttText(n.label, 60) || '(unnamed)'}`
      )
    )
    // A long segment keeps both its ends.
    expect(chart.sections).toEqual(['Flow', '％％{init∶ {”t…”loose”}}％％ › branch 0'])
    for (const t of chart.tasks) expect(t.task).not.toMatch(/[:;#%<>&"'`\\\n\r\u2028\u202e]/)
    expect(chart.tasks.filter((t) => t.crit).length).toBe(2)
    // Names are cut, never split in a surrogate pair.
    expect(ganttText('🚀'.repeat(100), 60)).toBe(`${'🚀'.repeat(59)}…`)
  })

  it('any step name parses as exactly one bar with its own label (property)', async () => {
    const special = fc.constantFrom(
      ...':;#%,<>&"\'`\\\n\r\t{}[]()|~*_ -%%'.split(''),
      '%%',
      '```',
      'section ',
      'title ',
      '#58;'
    )
    const name = fc
      .array(fc.oneof(special, fc.string({ maxLength: 4, unit: 'grapheme' })), { maxLength: 12 })
      .map((parts) => parts.join(''))
    await fc.assert(
      fc.asyncProperty(fc.array(name, { minLength: 1, maxLength: 5 }), async (names) => {
        const h = new HistoryBuilder().started()
        for (const n of names) h.top.pass(n)
        h.succeeded()
        const report = fold(h.events, exec('Succeeded'))
        const chart = await parseGantt(mermaidBlocks(renderGantt(report))[0] ?? '')
        expect(chart.tasks.map((t) => t.task.trim())).toEqual(
          bars(report).map((n) => `✅ ${ganttText(n.label, 60) || '(unnamed)'}`)
        )
      }),
      { numRuns: 60 }
    )
  })

  it('caps a large tree to the most relevant rows and says what it left out', async () => {
    const h = new HistoryBuilder('2024-06-24T02:58:42.000Z', 10).started()
    h.top.pass('prepare')
    const each = h.top.open(`each ${'x'.repeat(300)}`)
    for (let i = 0; i < 400; i++) {
      const it = each.iteration(i)
      if (i === 317) it.task('work', [{ fail: { error: 'E', cause: 'c' } }])
      else it.task(`work ${'y'.repeat(300)}`)
      it.exit()
    }
    each.fail({ error: 'E', cause: 'c' })
    h.failed({ error: 'E', cause: 'c' })
    const report = fold(h.events, exec('Failed'))
    const md = renderGantt(report, { maxRows: 40 })
    const [block] = mermaidBlocks(md)
    expect(block?.length).toBeLessThan(MERMAID_MAX_TEXT / 4)
    const chart = await parseGantt(block ?? '')
    expect(chart.tasks).toHaveLength(40)
    // The failed path is always in.
    const failed = chart.tasks.filter((t) => t.crit).map((t) => `${t.section} / ${t.task.trim()}`)
    expect(failed).toEqual([
      `Flow / ❌ ${ganttText(`each ${'x'.repeat(300)}`, 60)}`,
      `each ${'x'.repeat(18)}… › iteration 317 / ❌ work`
    ])
    expect(md).toContain('_The chart shows 40 of 402 steps: failed, running and caught steps first')
    expect(md).toContain('362 left out._')
    // The default cap, on a tree as large as a history gets: still far below Mermaid's limit.
    expect(renderGantt(report).length).toBeLessThan(MERMAID_MAX_TEXT / 4)
  })

  it('keeps section titles short, innermost first, and never merges two sections', async () => {
    const h = new HistoryBuilder().started()
    // Long names differing only in their middle: cut alike, still two sections.
    for (const middle of ['1', '2']) {
      const each = h.top.open(`${'a'.repeat(15)}${middle}${'b'.repeat(15)}`)
      each.iteration(0).task('work').exit()
      each.succeed()
    }
    // Five levels of parallel steps with long names.
    let thread = h.top
    const owners = []
    for (let level = 0; level < 5; level++) {
      const par = thread.open(`level-${level}-${'p'.repeat(40)}`)
      owners.push(par)
      thread = par.branch(level)
    }
    thread.task('deep')
    for (const par of owners.reverse()) par.succeed()
    h.succeeded()
    const report = fold(h.events, exec('Succeeded'))
    const chart = await parseGantt(mermaidBlocks(renderGantt(report))[0] ?? '')
    const same = `${'a'.repeat(12)}…${'b'.repeat(11)} › iteration 0`
    expect(chart.sections.slice(0, 3)).toEqual(['Flow', same, `${same} (2)`])
    const deepest = chart.tasks.find((t) => t.task.trim() === '✅ deep')?.section ?? ''
    expect(deepest).toMatch(/^… › level-3-p+…p+ › branch 3 › level-4-p+…p+ › branch 4$/)
    expect(Array.from(deepest).length).toBeLessThanOrEqual(80)
    expect(new Set(chart.sections).size).toBe(chart.sections.length)
  })

  it('draws a still-running execution up to the last time the step tree knows', async () => {
    const h = new HistoryBuilder().started()
    h.top.pass('prepare')
    h.top.open('long').attempt({ open: true })
    const report = fold(h.events, exec('Running'))
    const chart = await parseGantt(mermaidBlocks(renderGantt(report))[0] ?? '')
    // The step tree's last time: the open attempt's start (later events carry no step time).
    const last = report.steps[1]?.attemptList[0]?.startedAt
    expect(last).toBeGreaterThan(report.steps[1]?.startedAt ?? Infinity)
    expect(chart.tasks.map((t) => [t.task.trim(), t.active])).toEqual([
      ['✅ prepare', false],
      ['⏳ long', true]
    ])
    expect(chart.tasks[1]?.end).toBe(last)
  })
})

describe('the chart in the reports', () => {
  const report = () => fold(nestedFailure().events, exec('Failed'))
  const ctx = () => ({ flowName: 'deploy', executionName: 'run-1', execution: exec('Failed') })
  const view = () => executionView({ ...ctx(), report: report() })

  it('the summary holds one chart between the root cause and the table, in budget', async () => {
    const md = renderSummary(view())
    expect(await parseGantts(md)).toHaveLength(1)
    expect(md.indexOf('#### Root cause')).toBeLessThan(md.indexOf('```mermaid'))
    expect(md.indexOf('```mermaid')).toBeLessThan(md.indexOf('#### Steps'))
    // A budget too small for the chart drops it before anything else that matters.
    const small = renderSummary(view(), { budgetBytes: 1200 })
    expect(Buffer.byteLength(small)).toBeLessThanOrEqual(1200)
    expect(small).not.toContain('```mermaid')
    expect(renderSummary(view(), { chartRows: 0 })).not.toContain('mermaid')
  })

  it('the PR comment holds a smaller chart', async () => {
    const md = renderPrComment(view())
    const charts = await parseGantts(md)
    expect(charts).toHaveLength(1)
    expect(charts[0]?.tasks.length).toBe(8)
  })

  it('the multi-execution summary draws one chart, for the most severe execution', async () => {
    const one = view()
    const two = executionView({ ...ctx(), executionName: 'run-2', report: report() })
    const md = renderMultiSummary({
      kind: 'multi',
      flowName: 'deploy',
      executions: [one, two],
      failed: [one, two]
    })
    expect(await parseGantts(md)).toHaveLength(1)
  })
})
