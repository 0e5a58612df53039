/**
 * Distributed Maps as the report shows them (src/report/map-run.ts): the live progress line, the
 * section on each MapRun (counts, tolerance, failed items, notes), flow and wire text kept inert;
 * and every renderer carrying a failed child's root cause through the Map step (summary, PR
 * comment, annotations, chart), from one view (report/view.ts grafts the children in).
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution, MapRun } from '../../src/fnf/types.js'
import type { MapRunChild, MapRunDrill } from '../../src/history/index.js'
import { buildAnnotations } from '../../src/report/annotations.js'
import { renderPrComment } from '../../src/report/pr-comment.js'
import { renderSummary } from '../../src/report/summary.js'
import { executionView } from '../../src/report/view.js'
import { renderGantt } from '../../src/report/gantt.js'
import { mapProgressLine, mapRunHeadline, mapRunSection } from '../../src/report/map-run.js'
import { foreignHtml, render } from '../support/history-markdown.js'
import { HistoryBuilder, fcCause } from '../support/history-builder.js'
import { exec, fold } from '../support/history-model.js'

const OPTS = { maxItems: 10, causeChars: 300 }
const FAILED_RUN: MapRun = {
  Status: 'Failed',
  ToleratedFailedCount: 0,
  ToleratedFailedPercentage: 0,
  ItemCounts: { Total: 500, Pending: 0, Running: 0, Succeed: 463, Failed: 37, Aborted: 0 }
}

function child(name: string, message = 'connect ETIMEDOUT'): MapRunChild {
  const h = new HistoryBuilder().started()
  const par = h.top.open('fan-out')
  const b0 = par.branch(0)
  const failure = { error: 'FC.Unhandled', cause: fcCause(message) }
  b0.task('resize', [{ fail: failure }])
  par.fail(failure)
  h.failed(failure)
  const execution: Execution = {
    ...exec('Failed'),
    Name: name,
    StartedTime: '2024-06-24T02:58:42.000Z',
    StoppedTime: '2024-06-24T02:58:50.000Z'
  }
  return { execution, report: fold(h.events, execution) }
}

/** A failed Map's drill; a field given as undefined is left out. */
function drill(extra: { [K in keyof MapRunDrill]?: MapRunDrill[K] | undefined } = {}): MapRunDrill {
  const out: Record<string, unknown> = {
    step: { path: ['process'], pathText: 'process', status: 'Failed' },
    mapRunName: 'e0c4',
    run: FAILED_RUN,
    failed: [child('e0c4-7'), child('e0c4-250', 'out of memory')],
    moreFailed: false,
    notes: [],
    ...extra
  }
  for (const [key, value] of Object.entries(out)) if (value === undefined) delete out[key]
  return out as unknown as MapRunDrill
}

describe('mapProgressLine', () => {
  it('counts every item that ended as done', () => {
    const run: MapRun = {
      Status: 'Running',
      ItemCounts: { Total: 500, Pending: 80, Running: 100, Succeed: 317, Failed: 3, Aborted: 0 }
    }
    expect(mapProgressLine('process', run)).toBe('process: 320 of 500 items done, 3 failed')
  })

  it('says what it does not know, and counts aborted items apart', () => {
    expect(mapProgressLine('process', { Status: 'Running' })).toBe(
      'process: 0 items done, 0 failed'
    )
    expect(
      mapProgressLine('process', {
        Status: 'Aborted',
        ItemCounts: { Total: 10, Succeed: 2, Aborted: 8 }
      })
    ).toBe('process: 10 of 10 items done, 0 failed, 8 aborted')
  })

  it('is one line whatever the step is named', () => {
    const line = mapProgressLine('evil\n::error::owned', { Status: 'Running' })
    expect(line).not.toContain('\n')
    expect(line).toBe('evil ::error::owned: 0 items done, 0 failed')
  })
})

describe('mapRunSection', () => {
  it('gives the counts, the tolerance and the first item to fail with why', () => {
    const md = mapRunSection([drill()], OPTS)
    expect(md).toContain('#### Distributed Map\n')
    expect(md).toContain(
      '<code>process</code> (distributed Map) failed: 37 of 500 items failed, 0 tolerated. ' +
        'MapRun <code>e0c4</code> Failed · 463 succeeded · 37 failed\n'
    )
    expect(md).toContain('**Failed items (37):**')
    expect(md).toContain(
      '- **First to fail:** execution <code>e0c4-7</code> → step ' +
        '<code>fan-out › branch 0 › resize</code> failed with <code>FC.Unhandled</code>: ' +
        'connect ETIMEDOUT'
    )
    expect(md).toContain('out of memory')
    expect(md).toContain('- … and 35 more')
  })

  it('shows tolerated failures without calling any of them the first to fail', () => {
    const md = mapRunSection(
      [
        drill({
          step: { path: ['process'], pathText: 'process', status: 'Succeeded' },
          run: {
            Status: 'Succeeded',
            ToleratedFailedCount: 5,
            ToleratedFailedPercentage: 2,
            ItemCounts: { Total: 500, Succeed: 497, Failed: 3, Aborted: 0 }
          },
          failed: [child('e0c4-7'), child('e0c4-8'), child('e0c4-9')]
        })
      ],
      OPTS
    )
    expect(md).toContain('succeeded: 3 of 500 items failed, up to 5 items or 2% tolerated.')
    expect(md).toContain('**Tolerated failures (3):**')
    expect(md).not.toContain('First to fail')
  })

  it.each([
    [{ ToleratedFailedCount: 5 }, 'up to 5 items tolerated'],
    [{ ToleratedFailedCount: 1 }, 'up to 1 item tolerated'],
    [{ ToleratedFailedPercentage: 10 }, 'up to 10% tolerated'],
    [{}, '0 tolerated']
  ])('says the tolerance %p as %p', (tolerance, text) => {
    const run = { ...FAILED_RUN, ToleratedFailedCount: 0, ...tolerance }
    expect(mapRunHeadline(drill({ run }))).toContain(`, ${text}.`)
  })

  it('names an item without a history with its status and times', () => {
    const express: MapRunChild = {
      execution: {
        Name: 'e0c4-3',
        FlowName: 'fan',
        Status: 'TimedOut',
        StartedTime: '2024-06-24T02:58:42.000Z',
        StoppedTime: '2024-06-24T03:03:42.000Z'
      },
      note: 'no history: a child in express mode keeps none'
    }
    expect(mapRunSection([drill({ failed: [express] })], OPTS)).toContain(
      '- **First to fail:** execution <code>e0c4-3</code> TimedOut, started 2024-06-24 02:58:42 ' +
        'UTC, ended 2024-06-24 03:03:42 UTC (no history: a child in express mode keeps none)'
    )
  })

  it('says why counts or items are missing', () => {
    const md = mapRunSection(
      [
        drill({
          run: undefined,
          failed: [],
          notes: ['No item counts: the credentials may not call fnf:DescribeMapRun.']
        }),
        drill({
          step: { path: ['later'], pathText: 'later', status: 'Failed' },
          mapRunName: undefined,
          run: undefined,
          failed: [],
          notes: ['Its MapRunStarted event gives no MapRunName this action can read.']
        })
      ],
      OPTS
    )
    expect(md).toContain('#### Distributed Maps')
    expect(md).toContain('<code>process</code> (distributed Map) failed. MapRun <code>e0c4</code>')
    expect(md).toContain('> No item counts: the credentials may not call fnf:DescribeMapRun.')
    expect(md).toContain('<code>later</code> (distributed Map) failed.\n\n> Its MapRunStarted')
  })

  it('says there are more when the listing was full and the counts are unknown', () => {
    const md = mapRunSection([drill({ run: undefined, moreFailed: true })], OPTS)
    expect(md).toContain('**Failed items (2):**')
    expect(md).toContain('- … and more')
  })

  it('is empty without Maps', () => {
    expect(mapRunSection(undefined, OPTS)).toBe('')
    expect(mapRunSection([], OPTS)).toBe('')
  })

  it('keeps flow and wire text inert', () => {
    const hostile = '<img src=x onerror=alert(1)> @octocat **bold** [x](javascript:1)\n# head'
    const evil = child(hostile, hostile)
    const md = mapRunSection(
      [
        drill({
          step: { path: [hostile], pathText: hostile, status: 'Failed' },
          run: { ...FAILED_RUN, Status: hostile },
          failed: [evil],
          notes: [hostile]
        })
      ],
      OPTS
    )
    const html = render(md)
    expect(foreignHtml(md)).toEqual([])
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<strong>bold')
    expect(html).not.toContain('href="javascript')
    expect(html).not.toMatch(/<h1/)
    expect(html).not.toContain('@octocat')
  })
})

describe('every renderer, from a view with a failed Map', () => {
  const view = (() => {
    const h = new HistoryBuilder().started()
    h.top.pass('prepare')
    const map = h.top.open('process')
    h.top.emit('MapRunStarted', 'process', { output: { MapRunName: 'e0c4' } })
    const failed = { error: 'FnF.MapRunFailed', cause: 'MapRun e0c4 failed' }
    map.fail(failed)
    h.failed(failed)
    return executionView({
      flowName: 'fan',
      executionName: 'run-1',
      execution: exec('Failed'),
      report: fold(h.events, exec('Failed')),
      mapRuns: [drill()]
    })
  })()
  const path = 'process › e0c4-7 › fan-out › branch 0 › resize'

  it('the summary: the root cause through the Map step, and the Map section', () => {
    const md = renderSummary(view)
    expect(md).toContain(`- **Step:** ${path}`)
    expect(md).toContain('- **Error:** <code>FC.Unhandled</code>')
    expect(md).toContain('#### Distributed Map')
    expect(md.indexOf('#### Root cause')).toBeLessThan(md.indexOf('#### Distributed Map'))
  })

  it('the PR comment: the same, in its short form too', () => {
    expect(renderPrComment(view)).toContain(`- **Step:** ${path}`)
    expect(renderPrComment(view)).toContain('37 of 500 items failed, 0 tolerated.')
    const tiny = renderPrComment(view, { maxChars: 1500 })
    expect(tiny).toContain(path)
    expect(tiny).toContain('37 of 500 items failed')
  })

  it('the annotations: one per failed item, titled with its path', () => {
    expect(buildAnnotations(view).map((a) => [a.title, a.message])).toEqual([
      [`FnF fan: ${path}`, 'FC.Unhandled: connect ETIMEDOUT'],
      ['FnF fan: process › e0c4-250 › fan-out › branch 0 › resize', 'FC.Unhandled: out of memory']
    ])
  })

  it("the chart: each item's steps in a section of their own, the failed one red", () => {
    const chart = renderGantt(view.report!)
    expect(chart).toContain('section process › e0c4-7 › fan-out › branch 0')
    expect(chart).toMatch(/❌ resize :crit, s\d+,/)
  })
})
