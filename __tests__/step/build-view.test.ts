/**
 * What the report describes (src/step/build-view.ts, pure): one execution's view, or several
 * worst first, with the failed ones that were actually read; and the one blame in each view that
 * the outputs, the failure message, the annotations and the summaries all read.
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import { buildAnnotations } from '../../src/report/annotations.js'
import { renderMultiSummary } from '../../src/report/multi-summary.js'
import { renderPrComment } from '../../src/report/pr-comment.js'
import { renderSummary } from '../../src/report/summary.js'
import { withRootCause } from '../../src/step/verdict.js'
import { planOutputs } from '../../src/step/outputs.js'
import { reportView } from '../../src/step/build-view.js'
import { track, type Tracked } from '../../src/step/execution-outcome.js'
import { configOf } from '../support/config.js'
import { HistoryBuilder, type Failure } from '../support/history-builder.js'
import { fold } from '../support/history-model.js'

function ended(name: string, status: ExecutionStatus, more: Record<string, unknown> = {}): Tracked {
  return {
    ...track(name, '{}'),
    execution: { Name: name, FlowName: 'deploy', Status: status } as Execution,
    ...more
  } as Tracked
}

describe('reportView', () => {
  it('one execution: its view, with how long the step waited', () => {
    const view = reportView(configOf(), [ended('a', 'Running', { state: 'wait-timed-out' })], 5000)
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
    const lost: Tracked = {
      ...track('lost', '{}'),
      state: 'lost',
      error: new Error('::error::gone')
    }
    const view = reportView(
      configOf(),
      [
        ended('ok', 'Succeeded'),
        ended('abandoned', 'Running', { state: 'abandoned' }),
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

describe('a qualifier, an alias and express executions', () => {
  const routing = { alias: 'canary', routes: [{ version: '2', weight: 100 }] }
  const config = configOf({ start: 'true', qualifier: 'canary' })

  it('one execution: the qualifier and the routes in its view', () => {
    const view = reportView(config, [ended('a', 'Succeeded')], 0, routing)
    if (view.kind !== 'single') throw new Error('expected one')
    expect(view.execution).toMatchObject({ qualifier: 'canary', routing })
  })

  it('several: the routes once, above them all; the qualifier in each', () => {
    const view = reportView(config, [ended('a', 'Succeeded'), ended('b', 'Failed')], 0, routing)
    if (view.kind !== 'multi') throw new Error('expected several')
    expect(view).toMatchObject({ qualifier: 'canary', routing })
    for (const one of view.executions) {
      expect(one.qualifier).toBe('canary')
      expect(one).not.toHaveProperty('routing')
    }
  })

  it('an express execution says it has no history, and what is known instead', () => {
    const answered = ended('a', 'Failed', { state: 'ended', express: true })
    const ended1 = reportView(configOf({ start: 'true' }), [answered], 0)
    if (ended1.kind !== 'single') throw new Error('expected one')
    expect(ended1.execution.express).toBe(true)
    expect(ended1.execution.historyNote).toBe(
      "Express executions keep no history: the status, error and output here are StartSyncExecution's " +
        'answer, for the execution the service named a.'
    )
    const cut = reportView(
      configOf({ start: 'true' }),
      [{ ...track('b', '{}'), state: 'wait-timed-out', express: true }],
      0
    )
    if (cut.kind !== 'single') throw new Error('expected one')
    expect(cut.execution.historyNote).toMatch(
      /^Express executions keep no history, and StartSyncExecution's answer never came: how this one ended is not known\./
    )
  })
})

describe('one blame, read by every output, message, annotation and summary', () => {
  // The step's own events say its error but not its cause; the execution's failure says both.
  const h = new HistoryBuilder().started()
  h.top.pass('prepare')
  h.top.fail('push', { error: 'E.Push' } as Failure)
  h.failed({ error: 'E.Push', cause: 'registry said no' })
  const failed = (name: string): Tracked => {
    const t = ended(name, 'Failed')
    return { ...t, report: fold(h.events, t.execution) } as Tracked
  }
  const said = 'E.Push: registry said no'

  it('one execution: the same step, error and cause everywhere', () => {
    const tracked = [failed('a')]
    const view = reportView(configOf(), tracked, 0)
    if (view.kind !== 'single') throw new Error('expected a single view')
    const outputs = planOutputs({ flowName: 'deploy', tracked, defaultOutputFile: () => '' })
    expect(outputs.values).toMatchObject({
      'failed-step': 'push',
      error: 'E.Push',
      cause: 'registry said no'
    })
    expect(JSON.parse(outputs.values.results).a).toMatchObject({
      'failed-step': 'push',
      error: 'E.Push',
      cause: 'registry said no'
    })
    expect(withRootCause('Failed.', view)).toBe(
      `Failed. Root cause: step push failed with ${said}.`
    )
    expect(buildAnnotations(view.execution)).toEqual([{ title: 'FnF deploy: push', message: said }])
    for (const text of [renderSummary(view.execution), renderPrComment(view.execution)]) {
      expect(text).toContain('- **Step:** push')
      expect(text).toContain('- **Error:** <code>E.Push</code>')
      expect(text).toContain('- **Cause:** registry said no')
    }
  })

  it('several: the table row, the failure report and the message name the same', () => {
    const tracked = [ended('ok', 'Succeeded'), failed('b')]
    const view = reportView(configOf(), tracked, 0)
    if (view.kind !== 'multi') throw new Error('expected a multi view')
    const text = renderMultiSummary(view)
    expect(text).toContain('| <code>b</code> | ❌ Failed |')
    expect(text).toMatch(/\| push \| <code>E\.Push<\/code> \|/)
    expect(text).toContain('- **Cause:** registry said no')
    expect(withRootCause('Failed.', view)).toBe(
      `Failed. Root cause (b): step push failed with ${said}.`
    )
    const outputs = planOutputs({ flowName: 'deploy', tracked, defaultOutputFile: () => '' })
    expect(outputs.values.cause).toBe('registry said no')
  })
})

describe("the failed step's lines in the flow definition, in every execution's view", () => {
  const h = new HistoryBuilder().started()
  h.top.fail('push', { error: 'E.Push', cause: 'no' })
  h.failed({ error: 'E.Push', cause: 'no' })
  const failed = (name: string): Tracked => {
    const t = ended(name, 'Failed')
    return { ...t, report: fold(h.events, t.execution) } as Tracked
  }
  const url = `https://github.com/octo/app/blob/${'a'.repeat(40)}/flows/deploy.yaml#L4-L7`
  const place = { file: 'flows/deploy.yaml', startLine: 4, endLine: 7, sameDefinition: true, url }
  const locations = new Map([['b', { steps: new Map([['push', place]]), caught: [] }]])

  it('by execution name: the annotation points at the lines, the summary and PR comment link them', () => {
    const view = reportView(configOf(), [failed('b')], 0, undefined, locations)
    if (view.kind !== 'single') throw new Error('expected a single view')
    expect(buildAnnotations(view.execution)).toEqual([
      {
        title: 'FnF deploy: push',
        message: 'E.Push: no',
        file: 'flows/deploy.yaml',
        startLine: 4,
        endLine: 7
      }
    ])
    const link = `- **Definition:** <a href="${url}"><code>flows/deploy.yaml</code>, lines 4–7</a>`
    expect(renderSummary(view.execution)).toContain(link)
    expect(renderPrComment(view.execution)).toContain(link)
  })

  it('several: only the execution the places are for has them', () => {
    const view = reportView(configOf(), [failed('a'), failed('b')], 0, undefined, locations)
    if (view.kind !== 'multi') throw new Error('expected a multi view')
    const byName = Object.fromEntries(view.executions.map((v) => [v.executionName, v.locations]))
    expect(byName).toEqual({ a: undefined, b: locations.get('b') })
    expect(renderMultiSummary(view)).toContain(`<a href="${url}">`)
  })
})
