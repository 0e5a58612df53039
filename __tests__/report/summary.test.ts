import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { Execution, HistoryEvent } from '../../src/fnf/types.js'
import { createHistoryModel, type ExecutionReport } from '../../src/history/index.js'
import { renderSummary, type SummaryOptions } from '../../src/report/summary.js'
import { executionView, type ExecutionFacts } from '../../src/report/view.js'
import { HistoryBuilder, fcCause } from '../support/history-builder.js'
import { largeHistoryPages } from '../support/history-large.js'
import { foldEveryLinking } from '../support/relink.js'
import {
  detailsBalance,
  foreignHtml,
  mentions,
  render,
  tables
} from '../support/history-markdown.js'

const HOSTILE = '<img src=x onerror=alert(1)>|`|</details>**x** @octocat'

/** Folds under every linking (the root cause must not depend on it); returns the report as given. */
function fold(events: HistoryEvent[], execution?: Execution): ExecutionReport {
  return foldEveryLinking((evs) => {
    const model = createHistoryModel()
    model.add(evs)
    return model.result(execution)
  }, events)
}

function exec(status: Execution['Status'], extra: Partial<Execution> = {}): Execution {
  return {
    Name: 'run-1',
    FlowName: 'deploy',
    Status: status,
    StartedTime: '2024-06-24T02:58:42.000Z',
    StoppedTime: status === 'Running' ? '' : '2024-06-24T03:00:00.000Z',
    Input: '{"regions":["cn-hangzhou"]}',
    Output: '',
    ...extra
  }
}

/** What a summary is rendered from: the facts of the execution and the renderer's options. */
type SummaryInput = ExecutionFacts & SummaryOptions

/** The summary of the view of these facts, with these options. */
function summarize(input: SummaryInput): string {
  const { budgetBytes, maxTimelineRows, ioChars, foldTimelineOver, chartRows, ...facts } = input
  const options = { budgetBytes, maxTimelineRows, ioChars, foldTimelineOver, chartRows }
  return renderSummary(
    executionView(facts),
    Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))
  )
}

function input(
  events: HistoryEvent[],
  execution: Execution,
  extra: Partial<SummaryInput> = {}
): SummaryInput {
  return {
    flowName: execution.FlowName,
    executionName: execution.Name,
    execution,
    report: fold(events, execution),
    ...extra
  }
}

function bytes(s: string): number {
  return Buffer.byteLength(s)
}

/** Every node of the report, as the timeline lists them. */
function countNodes(report: ExecutionReport): number {
  let n = 0
  const walk = (nodes: ExecutionReport['steps']): void => {
    for (const s of nodes) {
      n += 1 + s.unknownEvents.length
      walk(s.children)
    }
  }
  walk(report.steps)
  return n + report.unknownEvents.length
}

function failedNested(): HistoryBuilder {
  const h = new HistoryBuilder().started()
  h.top.pass('prepare')
  const fanout = h.top.open('fanout')
  const b0 = fanout.branch(0)
  const b1 = fanout.branch(1)
  b0.task('build')
  const each = b1.open('each-region')
  b0.exit()
  const it0 = each.iteration(0)
  const it1 = each.iteration(1)
  it0.task('push-image')
  it0.exit()
  it1.task('push-image', [
    { fail: { error: 'FC.Unhandled', cause: fcCause('registry said no: 401') } },
    { fail: { error: 'FC.Unhandled', cause: fcCause('registry said no: 401') } }
  ])
  each.fail({ error: 'FC.Unhandled', cause: 'x' })
  fanout.fail({ error: 'FC.Unhandled', cause: 'x' })
  h.failed({ error: 'FC.Unhandled', cause: 'x' })
  return h
}

describe('renderSummary', () => {
  it('success: status line and a timeline table with one row per step', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('prepare')
    h.top.task('call', [{ fail: { error: 'E', cause: 'c' } }, 'ok'])
    h.succeeded()
    const e = exec('Succeeded', { Output: '{"ok":true}' })
    const md = summarize(input(h.events, e))
    expect(md).toMatch(/^### ✅ FnF execution succeeded\n/)
    expect(md).toContain('**Flow** <code>deploy</code>')
    expect(md).toContain('**Started** 2024-06-24 02:58:42 UTC')
    expect(md).toContain('**Duration** 1m 18s')
    expect(md).not.toContain('Root cause')
    expect(tables(md)).toEqual([{ headerRows: 1, bodyRows: 2, cells: [6, 6, 6] }])
    const html = render(md)
    expect(html).toContain('<th>Attempts</th>')
    expect(html).toContain('Execution output')
    expect(detailsBalance(html)).toEqual({ open: 2, close: 2 })
  })

  it('failure: root cause first, then the timeline', () => {
    const h = failedNested()
    const e = exec('Failed')
    const data = input(h.events, e)
    const md = summarize(data)
    expect(md).toMatch(/^### ❌ FnF execution failed/)
    const rootAt = md.indexOf('#### Root cause')
    const stepsAt = md.indexOf('#### Steps')
    expect(rootAt).toBeGreaterThan(0)
    expect(stepsAt).toBeGreaterThan(rootAt)
    const html = render(md)
    expect(html).toContain(
      '<strong>Step:</strong> fanout › branch 1 › each-region › iteration 1 › push-image'
    )
    expect(html).toContain('<strong>Error:</strong> <code>FC.Unhandled</code>')
    expect(html).toContain('<strong>Cause:</strong> registry said no: 401')
    expect(html).toContain('<strong>Attempts:</strong> 2 (<code>FC.Unhandled</code> ×2)')
    expect(html).toContain('Raw cause')
    expect(html).toContain('&quot;stackTrace&quot;')
    const [table] = tables(md)
    expect(table!.headerRows).toBe(1)
    expect(table!.bodyRows).toBe(countNodes(data.report!))
    expect(new Set(table!.cells)).toEqual(new Set([6]))
    expect(html).toContain('❌ Failed <code>FC.Unhandled</code>')
  })

  it('renders hostile flow content as text everywhere', () => {
    const h = new HistoryBuilder().started({ x: HOSTILE })
    h.top.emit(HOSTILE, '', {})
    h.top.pass(HOSTILE)
    const par = h.top.open(`par ${HOSTILE}`)
    const b = par.branch(0)
    const long = `${HOSTILE}\n\n# heading\n${fcCause(HOSTILE)}\n${'z'.repeat(700)}`
    b.task(`task ${HOSTILE}`, [{ fail: { error: HOSTILE, cause: long } }])
    par.fail({ error: HOSTILE, cause: HOSTILE })
    h.failed({ error: HOSTILE, cause: HOSTILE })
    const e = exec('Failed', {
      Name: `run ${HOSTILE}`,
      FlowName: `flow ${HOSTILE}`,
      Input: JSON.stringify({ x: HOSTILE }),
      Output: `not json ${HOSTILE} \`\`\`\`\`\``
    })
    const data = input(h.events, e)
    const md = summarize(data)
    const html = render(md)
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<strong>x</strong>')
    expect(html).not.toContain('<h1>')
    expect(foreignHtml(md)).toEqual([])
    expect(mentions(html)).toEqual([])
    // Every <details> closes where we close it: as many closes as opens, and the table intact.
    expect(detailsBalance(html)).toEqual({ open: 3, close: 3 })
    const [table] = tables(md)
    expect(table!.bodyRows).toBe(countNodes(data.report!))
    expect(new Set(table!.cells)).toEqual(new Set([6]))
    expect(html).toContain('&lt;/details&gt;')
  })

  it('Stopped: the stop cause and the steps that were running', () => {
    const h = new HistoryBuilder().started()
    const par = h.top.open('fanout')
    par.branch(0).open('slow').attempt({ open: true })
    par.branch(1).open('slower')
    h.stopped({ error: 'User.Stop', cause: 'stopped by @octocat' })
    const md = summarize(input(h.events, exec('Stopped')))
    const html = render(md)
    expect(md).toMatch(/^### ⏹️ FnF execution was stopped/)
    expect(html).toContain('<strong>Error:</strong> <code>User.Stop</code>')
    expect(html).toContain('<strong>Running when stopped:</strong>')
    expect(html).toContain('<li>fanout › branch 0 › slow (started +')
    expect(html).toContain('<li>fanout › branch 1 › slower')
    expect(mentions(html)).toEqual([])
    expect(html).toContain('⏹️ Interrupted')
    // Interrupted: it ran at least until the stop.
    expect(md).toContain('| &emsp;&emsp;slow | task | ⏹️ Interrupted | +4.0 s | ≥ 1m 14s | 1 |')
  })

  it('TimedOut: the steps running when time ran out', () => {
    const h = new HistoryBuilder().started()
    h.top.open('wait-for-approval')
    h.timedOut()
    const md = summarize(input(h.events, exec('TimedOut')))
    expect(md).toMatch(/^### ⏱️ FnF execution timed out/)
    expect(md).toContain('**Running when time ran out:**\n\n- wait-for-approval')
    expect(md).toContain('<code>FnF.Timeout</code>')
  })

  it('our own wait timed out: still running, what is running, how long we waited', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('a')
    h.top.open('long-task').attempt({ open: true })
    const e = exec('Running')
    const md = summarize(input(h.events, e, { waitTimedOut: true, waitedMs: 600_000 }))
    expect(md).toMatch(/^### ⏳ Stopped waiting: FnF execution still running/)
    expect(md).toContain('**Waited** 10m 00s')
    expect(md).not.toContain('**Ended**')
    expect(md).toContain('#### Still running')
    expect(md).toContain('The action stopped waiting after 10m 00s')
    expect(md).toContain('- long-task (started +')
    expect(md).toContain('⏳ Running')
  })

  it('without a history: status from DescribeExecution and a note', () => {
    const e = exec('Failed')
    const md = summarize({
      flowName: 'deploy',
      executionName: 'run-1',
      execution: e,
      historyNote: 'History unavailable: AccessDenied @octocat'
    })
    expect(md).toMatch(/^### ❌ FnF execution failed/)
    expect(md).toContain('The execution history does not say why.')
    expect(md).toContain('> History unavailable: AccessDenied @\u200boctocat')
    expect(tables(md)).toEqual([])
  })

  it('lists unknown events in the timeline and notes them', () => {
    const h = new HistoryBuilder().started()
    const s = h.top.open('map')
    h.top.emit('StepHeartbeat', 'map', {})
    s.succeed()
    h.top.emit('Hello', '', {})
    h.succeeded()
    const md = summarize(input(h.events, exec('Succeeded')))
    expect(md).toContain('| &emsp;<code>StepHeartbeat</code> | event | ❔ unknown event type |')
    expect(md).toContain('| <code>Hello</code> | event |')
    expect(md).toContain(
      'Events of types this report does not know, shown as they came: <code>StepHeartbeat</code> ×1, <code>Hello</code> ×1.'
    )
    expect(tables(md)[0]!.bodyRows).toBe(3)
  })

  it('folds a long timeline into <details> and the table still parses', () => {
    const h = new HistoryBuilder().started()
    for (let i = 0; i < 40; i++) h.top.pass(`step-${i}`)
    h.succeeded()
    const md = summarize(input(h.events, exec('Succeeded')))
    expect(md).toContain('<details><summary>Steps (40 rows)</summary>\n\n| Step |')
    expect(tables(md)).toEqual([{ headerRows: 1, bodyRows: 40, cells: Array(41).fill(6) }])
    expect(detailsBalance(render(md))).toEqual({ open: 2, close: 2 })
  })
})

describe('renderSummary: size', () => {
  it('cuts the timeline of the largest history (5000 events) to fit 1 MB and says so', () => {
    // 1249 steps with long names that escaping makes even longer: about 1.4 MB of rows.
    const h = new HistoryBuilder().started()
    const name = (i: number): string => `${'<&>'.repeat(80)}-${i}`
    for (let i = 0; i < 1248; i++) h.top.pass(name(i))
    h.top.emit('Heartbeat', '', {})
    h.top.emit('Heartbeat', '', {})
    h.top.fail('last', { error: 'E', cause: 'c' })
    h.failed({ error: 'E', cause: 'c' })
    expect(h.events.length).toBe(5000)
    const md = summarize(input(h.events, exec('Failed')))
    expect(bytes(md)).toBeLessThanOrEqual(1_000_000)
    expect(bytes(md)).toBeGreaterThan(900_000)
    const cut = /… ([\d,]+) more rows not shown \(summary size limit\)/.exec(md)
    expect(cut).not.toBeNull()
    const [table] = tables(md)
    expect(table!.bodyRows + Number(cut![1]!.replace(/,/g, ''))).toBe(1251)
    expect(md.indexOf('#### Root cause')).toBeLessThan(md.indexOf('| Step |'))
    expect(detailsBalance(render(md))).toEqual({ open: 2, close: 2 })
  })

  it('the largest history with 32 KiB details: inside the budget, causes shortened', () => {
    const model = createHistoryModel()
    for (const page of largeHistoryPages(999, { taskName: `push ${HOSTILE}` })) model.add(page)
    const e = exec('Failed', { Input: JSON.stringify({ blob: 'y'.repeat(32 * 1024) }) })
    const report = model.result(e)
    for (const budget of [1_000_000, 100_000, 20_000]) {
      const md = summarize({
        flowName: 'deploy',
        executionName: 'run-1',
        execution: e,
        report,
        budgetBytes: budget
      })
      expect(bytes(md)).toBeLessThanOrEqual(budget)
      expect(md).toContain('each-region › iteration 355 › push')
      if (budget < 1_000_000) expect(md).toMatch(/more rows not shown \(summary size limit\)/)
      const html = render(md)
      expect(html).not.toContain('<img')
      expect(detailsBalance(html).open).toBe(detailsBalance(html).close)
    }
  })

  it('stops at maxTimelineRows and says so', () => {
    const h = new HistoryBuilder().started()
    for (let i = 0; i < 30; i++) h.top.pass(`s${i}`)
    h.succeeded()
    const md = summarize(input(h.events, exec('Succeeded'), { maxTimelineRows: 10 }))
    expect(tables(md)[0]!.bodyRows).toBe(10)
    expect(md).toContain('… 20 more rows not shown (row limit)')
  })

  it('degrades to fit tiny budgets and never exceeds any budget (property)', () => {
    const h = failedNested()
    const e = exec('Failed', { Input: JSON.stringify({ x: 'é'.repeat(5000) }) })
    const data = input(h.events, e)
    const full = bytes(summarize(data))
    fc.assert(
      fc.property(fc.integer({ min: 0, max: full + 100 }), (budget) => {
        const md = summarize({ ...data, budgetBytes: budget })
        expect(bytes(md)).toBeLessThanOrEqual(budget)
        const html = render(md)
        expect(detailsBalance(html).open).toBe(detailsBalance(html).close)
      }),
      { numRuns: 150 }
    )
    const small = summarize({ ...data, budgetBytes: 1500 })
    expect(small).toContain('#### Root cause')
    expect(small).not.toContain('Execution input')
  })
})

describe('renderSummary: a tree placed without links', () => {
  it('says in one line that the tree is approximate and lists the failure events in order', () => {
    const events = (
      [
        ['ExecutionStarted', ''],
        ['StepEntered', 'each'],
        ['StepStarted', 'each'],
        ['IterationEntered', 'each', { index: 0 }],
        ['StepEntered', 'work'],
        ['StepStarted', 'work'],
        ['IterationEntered', 'each', { index: 1 }],
        ['StepEntered', 'work'],
        ['StepStarted', 'work'],
        ['StepFailed', 'work', { error: 'E1', cause: 'one' }],
        ['StepFailed', 'each', { error: 'E1', cause: 'one' }],
        ['ExecutionFailed', '', { error: 'E1', cause: 'one' }]
      ] as const
    ).map(([Type, StepName, detail], i) => ({
      Type,
      StepName,
      EventId: i + 1,
      ScheduleEventId: 0,
      Time: `2024-01-01T00:00:${String(i).padStart(2, '0')}Z`,
      EventDetail: JSON.stringify(detail ?? {})
    }))
    const e = exec('Failed')
    const summary = input(events, e)
    const report = summary.report!
    expect(report.approximate).toBe(true)
    expect(report.rootCause).toMatchObject({ error: 'E1', cause: 'one' })
    const md = summarize(summary)
    const line = md.split('\n').find((l) => l.includes('tree is approximate'))
    expect(line).toContain(
      'Failure events in time order: <code>work StepFailed E1</code>, <code>each StepFailed E1</code>.'
    )
  })
})
