/**
 * The sections the summary and the PR comment share (src/report/sections.ts): the status line from
 * the report or the execution, the times, why it ended, and folded text.
 */
import { describe, expect, it } from '@jest/globals'
import { visibleText } from '../support/history-markdown.js'
import type { Execution } from '../../src/fnf/types.js'
import {
  causeSection,
  foldedText,
  placeText,
  prettyJson,
  statusSection,
  type CauseOptions
} from '../../src/report/sections.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { fold } from '../support/history-model.js'
import {
  executionView,
  type DefinitionPlace,
  type ExecutionFacts,
  type ExecutionView
} from '../../src/report/view.js'

const OPTS: CauseOptions = {
  inlineChars: 200,
  maxChars: 2000,
  raw: true,
  maxOthers: 5,
  maxRunning: 5
}

function ctx(execution: Partial<Execution>, more: Partial<ExecutionFacts> = {}): ExecutionView {
  return executionView({
    flowName: 'deploy',
    executionName: 'e-1',
    execution: { Name: 'e-1', FlowName: 'deploy', ...execution } as Execution,
    ...more
  })
}

describe('the status line', () => {
  it('names flow, execution, status, start, end and duration', () => {
    const text = statusSection(
      ctx({
        Status: 'Failed',
        StartedTime: '2024-06-24T02:58:42Z',
        StoppedTime: '2024-06-24T03:00:47Z'
      })
    )
    expect(text.split('\n')[0]).toBe('### ❌ FnF execution failed')
    expect(text).toContain('**Started** 2024-06-24 02:58:42 UTC')
    expect(text).toContain('**Ended** 2024-06-24 03:00:47 UTC')
    expect(text).toContain('**Duration** 2m 05s')
  })

  it('our own timeout on a running execution: still running, how long we waited, no end', () => {
    const c = ctx(
      {
        Status: 'Running',
        StartedTime: '2024-06-24T02:58:42Z',
        StoppedTime: '2024-06-24T03:00:00Z'
      },
      { waitTimedOut: true, waitedMs: 60_000 }
    )
    expect(statusSection(c)).toMatch(/^### ⏳ Stopped waiting: FnF execution still running/)
    expect(statusSection(c)).toContain('**Waited** 1m 00s')
    expect(c.times.stoppedAt).toBeUndefined()
  })

  it('an undocumented status is Unknown, shown escaped; only http(s) links are links', () => {
    const c = ctx({ Status: '<b>Weird</b>' as never }, { executionUrl: 'javascript:alert(1)' })
    expect(c.status).toBe('Unknown')
    const text = statusSection(c)
    expect(text).not.toContain('<b>')
    expect(text).not.toContain('javascript:')
    expect(statusSection({ ...c, executionUrl: 'https://x/e?a=1&b="2"' })).toContain(
      '<a href="https://x/e?a=1&amp;b=&quot;2&quot;">open the execution</a>'
    )
  })
})

describe('why it ended', () => {
  it('nothing for a success; a failure without a root cause says the history does not say', () => {
    expect(causeSection(ctx({ Status: 'Succeeded' }), OPTS)).toBe('')
    expect(causeSection(ctx({ Status: 'Failed' }), OPTS)).toBe(
      '#### Root cause\n\nThe execution history does not say why.'
    )
  })
})

describe('text helpers', () => {
  it('folds long text into a details block, cut to the limit', () => {
    const text = foldedText('Raw <cause>', 'x'.repeat(50), 10)
    expect(text).toMatch(/^<details>/)
    expect(text).not.toContain('<cause>')
    expect(text).not.toContain('x'.repeat(11))
  })

  it('pretty-prints JSON that parses and leaves other text alone', () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}')
    expect(prettyJson('not json')).toBe('not json')
  })
})

describe('where the failed steps are written in the flow definition', () => {
  const url = `https://github.com/octo/app/blob/${'a'.repeat(40)}/flows/etl.yaml#L9-L12`
  const place = { file: 'flows/etl.yaml', startLine: 9, endLine: 12, sameDefinition: true, url }

  /** fanout's branches 0 and 1 both fail in `push`. */
  function failedTwice(locations: ExecutionFacts['locations']): ExecutionView {
    const h = new HistoryBuilder().started()
    const fanout = h.top.open('fanout')
    fanout.branch(0).task('push', [{ fail: { error: 'E', cause: 'first' } }])
    fanout.branch(1).task('push', [{ fail: { error: 'E', cause: 'second' } }])
    fanout.fail({ error: 'E', cause: 'first' })
    h.failed({ error: 'E', cause: 'first' })
    const execution = { Name: 'e-1', FlowName: 'deploy', Status: 'Failed' } as Execution
    const report = fold(h.events, execution)
    return ctx({ Status: 'Failed' }, { report, ...(locations ? { locations } : {}) })
  }

  it('the root cause and each further failed step link their lines', () => {
    const steps = new Map<string, DefinitionPlace>([
      ['fanout › branch 0 › push', place],
      [
        'fanout › branch 1 › push',
        { file: place.file, startLine: 14, endLine: 14, sameDefinition: true }
      ]
    ])
    const section = causeSection(failedTwice({ steps, caught: [] }), OPTS)
    expect(section).toContain(
      `- **Definition:** <a href="${url}"><code>flows/etl.yaml</code>, lines 9–12</a>\n`
    )
    expect(section).toContain('- fanout › branch 1 › push (<code>flows/etl.yaml</code>, line 14)')
  })

  it('says when the file is not the definition that ran', () => {
    const steps = new Map([['fanout › branch 0 › push', { ...place, sameDefinition: false }]])
    expect(causeSection(failedTwice({ steps, caught: [] }), OPTS)).toContain(
      '</a> (the execution ran a different definition; this is where a step of that name is now)'
    )
  })

  it('no place, no line: the section is as before', () => {
    expect(causeSection(failedTwice(undefined), OPTS)).not.toContain('Definition')
  })

  it('a file name is never markup, and only an http(s) URL becomes a link', () => {
    const hostile = { ...place, file: 'a/<img src=x>`*@octocat.yaml', url: 'javascript:alert(1)' }
    expect(placeText(hostile)).toBe(
      '<code>a/&lt;img src=x&gt;&#96;&#42;@\u200boctocat.yaml</code>, lines 9–12'
    )
  })
})

describe('a qualifier, an alias and an express execution', () => {
  const routing = {
    alias: 'canary',
    routes: [
      { version: '1', weight: 90 },
      { version: '2', weight: 10 }
    ]
  }

  it('the status line names the version or alias, and the routes below it', () => {
    const text = statusSection(ctx({ Status: 'Succeeded' }, { qualifier: 'canary', routing }))
    expect(visibleText(text)).toBe(
      '✅ FnF execution succeeded\n' +
        'Flow deploy @ canary · Execution e-1 · Status Succeeded · Started —\n' +
        'Alias canary runs version 1 (90 %) or version 2 (10 %), chosen by weight for each ' +
        'execution; the service does not report which version an execution ran.'
    )
    expect(text).toMatch(
      /^### ✅ FnF execution succeeded\n\n\*\*Flow\*\* <code>deploy @ canary<\/code>/
    )
  })

  it('an express execution: its mode in the status line', () => {
    expect(statusSection(ctx({ Status: 'Succeeded' }, { express: true }))).toContain(
      ' · **Mode** Express'
    )
    expect(statusSection(ctx({ Status: 'Succeeded' }))).not.toContain('Mode')
  })

  it('an express failure: the error code and message, and why no step is named', () => {
    const view = ctx(
      { Status: 'Failed', ErrorCode: 'Smoke.Down', ErrorMessage: 'GET /health: 503' },
      { express: true }
    )
    expect(visibleText(causeSection(view, OPTS))).toBe(
      'Root cause\n' +
        'Step: not known: express executions keep no history; the error is StartSyncExecution’s\n' +
        'Error: Smoke.Down\n' +
        'Cause: GET /health: 503'
    )
  })

  it('an express timeout: its error and cause, and no list of running steps to make up', () => {
    const view = ctx(
      { Status: 'TimedOut', ErrorCode: 'FnF.Timeout', ErrorMessage: 'over 5 minutes' },
      { express: true }
    )
    const text = causeSection(view, OPTS)
    expect(visibleText(text)).toBe('Timed out\nError: FnF.Timeout\nCause: over 5 minutes')
    expect(text).not.toContain('Running when')
  })
})
