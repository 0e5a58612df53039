import { describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import { createHistoryModel } from '../../src/history/index.js'
import { executionView } from '../../src/report/view.js'
import { foldEveryLinking } from '../support/relink.js'
import { commentMarker, markedComment, renderPrComment } from '../../src/report/pr-comment.js'
import { HistoryBuilder, fcCause } from '../support/history-builder.js'
import {
  detailsBalance,
  foreignHtml,
  mentions,
  render,
  tables
} from '../support/history-markdown.js'

const HOSTILE = '<img src=x onerror=alert(1)>|`|</details>**x** @octocat'

describe('commentMarker', () => {
  it('encodes the flow name so it cannot end or confuse the HTML comment', () => {
    expect(commentMarker('deploy')).toBe('<!-- fnf-wait:flow=deploy -->')
    const m = commentMarker('a --> <b> -- x!*')
    expect(m).toBe('<!-- fnf-wait:flow=a%20%2D%2D%3E%20%3Cb%3E%20%2D%2D%20x%21%2A -->')
    expect(m.slice(4, -3)).not.toContain('--')
    expect(commentMarker('a')).not.toBe(commentMarker('a '))
  })

  it('stays invisible when rendered', () => {
    const html = render(`${commentMarker('x --> <img src=x onerror=alert(1)>')}\nhello`)
    expect(html).not.toContain('<img')
    expect(html).toContain('hello')
  })
})

describe('markedComment', () => {
  // What GitHub is sent is this text (github/issue-comments.ts posts it as it is).
  it('truncates a body over GitHub’s 65,536-character limit', () => {
    const body = markedComment(commentMarker('deploy'), 'x'.repeat(70_000))
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toContain('comment truncated')
  })

  it('opens the body with the marker once', () => {
    const marker = commentMarker('deploy')
    expect(markedComment(marker, 'run 1')).toBe(`${marker}\nrun 1`)
    expect(markedComment(marker, `${marker}\nrun 1`)).toBe(`${marker}\nrun 1`)
  })
})

describe('renderPrComment', () => {
  const execution: Execution = { Name: 'run-1', FlowName: 'deploy', Status: 'Failed' }

  it('is short: status, root cause and a link, no timeline', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('a')
    h.top.task('call', [{ fail: { error: 'FC.X', cause: fcCause('nope @octocat') } }])
    h.failed({ error: 'FC.X', cause: 'nope' })
    const report = foldEveryLinking((events) => {
      const model = createHistoryModel()
      model.add(events)
      return model.result(execution)
    }, h.events)
    const md = renderPrComment(
      executionView({ flowName: 'deploy', executionName: 'run-1', execution, report }),
      { runUrl: 'https://github.com/acme/app/actions/runs/1' }
    )
    expect(md).toMatch(/^### ❌ FnF execution failed/)
    expect(md).toContain('- **Step:** call')
    expect(md).toContain('<a href="https://github.com/acme/app/actions/runs/1">')
    expect(tables(md)).toEqual([])
    expect(mentions(render(md))).toEqual([])
  })

  it('names the version or alias the step started', () => {
    const md = renderPrComment(
      executionView({
        flowName: 'release-pipeline',
        executionName: 'run-1',
        execution,
        qualifier: 'canary'
      })
    )
    expect(md).toContain('**Flow** <code>release-pipeline @ canary</code>')
  })

  it('stays under 65,536 characters with hostile, huge content', () => {
    const h = new HistoryBuilder().started()
    const each = h.top.open(HOSTILE)
    const its = Array.from({ length: 200 }, (_, i) => each.iteration(i))
    for (const it of its)
      it.task(HOSTILE.repeat(5), [
        { fail: { error: HOSTILE.repeat(20), cause: HOSTILE.repeat(200) } }
      ])
    each.fail({ error: 'E', cause: 'c' })
    h.failed({ error: 'E', cause: 'c' })
    const report = foldEveryLinking((events) => {
      const model = createHistoryModel()
      model.add(events)
      return model.result(execution)
    }, h.events)
    const md = renderPrComment(
      executionView({ flowName: HOSTILE, executionName: HOSTILE, execution, report }),
      { runUrl: 'javascript:alert(1)' }
    )
    expect(md.length).toBeLessThan(65_536)
    const html = render(md)
    expect(html).not.toContain('<img')
    expect(html).not.toContain('javascript:')
    expect(foreignHtml(md)).toEqual([])
    expect(mentions(html)).toEqual([])
    expect(detailsBalance(html).open).toBe(detailsBalance(html).close)
    expect(md).toContain('… and 194 more')
    expect(
      renderPrComment(executionView({ flowName: 'f', executionName: 'e', report }), {
        maxChars: 3000
      }).length
    ).toBeLessThanOrEqual(3000)
  })
})
