/**
 * One odd history event must not throw the whole failure report away: it is read as well as it
 * can be, or isolated and counted, and the rest of the history still makes the report.
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution, HistoryEvent } from '../../src/fnf/types.js'
import { createHistoryModel } from '../../src/history/index.js'
import { MAX_TREE_DEPTH } from '../../src/history/fold.js'
import { buildAnnotations } from '../../src/report/annotations.js'
import { renderPrComment } from '../../src/report/pr-comment.js'
import { renderSummary } from '../../src/report/summary.js'
import { executionView } from '../../src/report/view.js'

const EXECUTION = { Name: 'e', FlowName: 'f', Status: 'Failed' } as Execution

function events(
  list: Array<Partial<HistoryEvent> | Record<string, unknown> | null>
): HistoryEvent[] {
  return list.map((e, i) =>
    e === null
      ? (null as unknown as HistoryEvent)
      : ({
          StepName: '',
          EventId: i + 1,
          ScheduleEventId: i,
          EventDetail: '{}',
          Time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
          ...e
        } as HistoryEvent)
  )
}

/** Folds the history and renders every report: none of it may throw. */
function fold(history: HistoryEvent[]) {
  const model = createHistoryModel()
  model.add(history)
  const report = model.result(EXECUTION)
  const view = executionView({ report, flowName: 'f', executionName: 'e', execution: EXECUTION })
  const summary = renderSummary(view)
  renderPrComment(view)
  buildAnnotations(view)
  return { report, summary }
}

const failing = (name: string, detail: unknown): Array<Record<string, unknown>> => [
  { Type: 'StepEntered', StepName: name },
  { Type: 'StepFailed', StepName: name, EventDetail: detail }
]

describe('odd history events', () => {
  it('reads an EventDetail sent as an object instead of a string', () => {
    const { report } = fold(
      events([
        { Type: 'ExecutionStarted' },
        ...failing('a', { error: 'E.Object', cause: 'boom' }),
        { Type: 'ExecutionFailed', EventDetail: { error: 'E.Object' } as unknown as string }
      ])
    )
    expect(report.rootCause).toMatchObject({ kind: 'failure', error: 'E.Object', cause: 'boom' })
  })

  it.each([
    [
      'a cause nested 100,000 deep as text',
      (deep: string) => JSON.stringify({ error: 'E', cause: deep })
    ],
    ['a detail nested 100,000 deep', (deep: string) => `{"error":"E","cause":${deep}}`]
  ])('keeps the failure with %s', (_name, detailOf) => {
    let deep = '"x"'
    for (let i = 0; i < 100_000; i++) deep = `{"cause":${deep}}`
    const { report } = fold(
      events([
        { Type: 'ExecutionStarted' },
        ...failing('a', detailOf(deep)),
        { Type: 'ExecutionFailed', EventDetail: '{"error":"E"}' }
      ])
    )
    expect(report.rootCause?.kind).toBe('failure')
    expect(report.steps[0]?.status).toBe('Failed')
  })

  it('survives 1,600 nested parallels: the levels past the cap are counted, the rest reported', () => {
    const list: Array<Record<string, unknown>> = [{ Type: 'ExecutionStarted' }]
    for (let i = 0; i < 1600; i++) {
      list.push(
        { Type: 'StepEntered', StepName: `p${i}` },
        { Type: 'BranchEntered', StepName: `p${i}` }
      )
    }
    list.push(...failing('leaf', '{"error":"E.Leaf","cause":"deep down"}'))
    list.push({ Type: 'ExecutionFailed', EventDetail: '{"error":"E.Leaf"}' })
    const { report, summary } = fold(events(list))
    expect(report.stats.oddEvents).toBeGreaterThan(1000)
    expect(report.stats.events).toBeGreaterThanOrEqual(MAX_TREE_DEPTH)
    expect(report.rootCause).toMatchObject({ error: 'E.Leaf' })
    expect(summary).toMatch(/history events could not be read/)
  })

  it('isolates events with fields of the wrong type, counts them, keeps the rest', () => {
    const { report, summary } = fold(
      events([
        { Type: 'ExecutionStarted' },
        { Type: null, StepName: null, EventId: 'x', EventDetail: 5, Time: {} },
        null,
        { Type: 42, StepName: ['a'] },
        ...failing('a', '{"error":"E.Kept","cause":"still here"}'),
        { Type: 'ExecutionFailed', EventDetail: '{"error":"E.Kept"}' }
      ])
    )
    expect(report.stats.oddEvents).toBeGreaterThanOrEqual(1)
    expect(report.rootCause).toMatchObject({
      kind: 'failure',
      error: 'E.Kept',
      cause: 'still here'
    })
    expect(summary).toContain('E.Kept')
    expect(summary).toMatch(/> \d+ history events? could not be read/)
  })
})
