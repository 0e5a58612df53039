import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { Execution } from '../../src/fnf/types.js'
import { createHistoryModel } from '../../src/history/index.js'
import { executionView } from '../../src/report/view.js'
import { foldEveryLinking } from '../support/relink.js'
import {
  commentMarker,
  prCommentTarget,
  renderPrComment,
  upsertPrComment,
  type UpsertPrCommentParams
} from '../../src/report/pr-comment.js'
import { startGitHubFake, type GitHubFake } from '../support/github-fake.js'
import { HistoryBuilder, fcCause } from '../support/history-builder.js'
import {
  detailsBalance,
  foreignHtml,
  mentions,
  render,
  tables
} from '../support/history-markdown.js'

const HOSTILE = '<img src=x onerror=alert(1)>|`|</details>**x** @octocat'

let fake: GitHubFake
beforeEach(async () => {
  fake = await startGitHubFake()
})
afterEach(async () => {
  await fake.close()
})

function params(extra: Partial<UpsertPrCommentParams> = {}): UpsertPrCommentParams {
  return {
    token: 'ghs_test',
    apiUrl: fake.url,
    owner: 'acme',
    repo: 'app',
    issueNumber: 7,
    flowName: 'deploy',
    body: 'run 1',
    ...extra
  }
}

describe('upsertPrComment', () => {
  it('creates the comment, then updates it in place: one comment after two runs', async () => {
    const first = await upsertPrComment(params({ body: 'run 1' }))
    expect(first).toMatchObject({ ok: true, action: 'created' })
    const second = await upsertPrComment(params({ body: 'run 2' }))
    expect(second).toMatchObject({ ok: true, action: 'updated' })
    const comments = fake.comments('acme', 'app', 7)
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toBe(`${commentMarker('deploy')}\nrun 2`)
    expect(second.ok && first.ok && second.commentId === first.commentId).toBe(true)
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/app/issues/7/comments',
      'POST /repos/acme/app/issues/7/comments',
      'GET /repos/acme/app/issues/7/comments',
      // Whose is the marked comment? GITHUB_TOKEN cannot read /user: github-actions[bot].
      'GET /user',
      `PATCH /repos/acme/app/issues/comments/${comments[0]!.id}`
    ])
    expect(fake.requests[0]!.headers.authorization).toBe('token ghs_test')
    expect(fake.requests[0]!.query.per_page).toBe('100')
  })

  it('keeps one comment per flow, and ignores other people quoting the marker', async () => {
    fake.addComment('acme', 'app', 7, `> ${commentMarker('deploy')}\n> quoted`, 'someone')
    await upsertPrComment(params({ flowName: 'deploy' }))
    await upsertPrComment(params({ flowName: 'deploy-2' }))
    await upsertPrComment(params({ flowName: 'deploy', body: 'again' }))
    const bodies = fake.comments('acme', 'app', 7).map((c) => c.body)
    expect(bodies).toEqual([
      `> ${commentMarker('deploy')}\n> quoted`,
      `${commentMarker('deploy')}\nagain`,
      `${commentMarker('deploy-2')}\nrun 1`
    ])
  })

  it('finds the marker on page 2 when the PR has more than 100 comments', async () => {
    for (let i = 0; i < 150; i++) fake.addComment('acme', 'app', 7, `chatter ${i}`)
    const ours = fake.addComment(
      'acme',
      'app',
      7,
      `${commentMarker('deploy')}\nold`,
      'github-actions[bot]'
    )
    for (let i = 0; i < 20; i++) fake.addComment('acme', 'app', 7, `later ${i}`)
    const result = await upsertPrComment(params({ body: 'new' }))
    expect(result).toMatchObject({ ok: true, action: 'updated', commentId: ours.id })
    expect(fake.comments('acme', 'app', 7)).toHaveLength(171)
    const pages = fake.requests
      .filter((r) => r.method === 'GET' && r.path.endsWith('/comments'))
      .map((r) => r.query.page ?? '1')
    expect(pages).toEqual(['1', '2'])
    expect(ours.body).toBe(`${commentMarker('deploy')}\nnew`)
  })

  it('403 returns a warning about permissions instead of throwing', async () => {
    fake.failWith('POST', /\/comments$/, 403)
    const result = await upsertPrComment(params())
    expect(result).toMatchObject({ ok: false, status: 403 })
    expect(!result.ok && result.warning).toContain(
      '`permissions: pull-requests: write` (or `issues: write`)'
    )
    expect(fake.comments('acme', 'app', 7)).toHaveLength(0)
  })

  it('403 on listing (no read access) is a warning too; a rate-limit 403 says so', async () => {
    fake.failWith('GET', /\/comments$/, 403, {
      headers: { 'x-ratelimit-remaining': '0' },
      body: { message: 'API rate limit exceeded' }
    })
    const result = await upsertPrComment(params())
    expect(!result.ok && result.warning).toContain('rate limit')
  })

  it('other errors throw with the status', async () => {
    fake.failWith('PATCH', /./, 500, { body: { message: 'boom' } })
    fake.addComment('acme', 'app', 7, `${commentMarker('deploy')}\nold`, 'github-actions[bot]')
    await expect(upsertPrComment(params())).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining('HTTP 500')
    })
    await expect(upsertPrComment(params({ issueNumber: 8, token: '' }))).rejects.toThrow()
  })

  it('works with a GHES base path and an injected fetch', async () => {
    const ghes = await startGitHubFake({ basePath: '/api/v3' })
    try {
      let calls = 0
      const counting: typeof fetch = (input, init) => {
        calls += 1
        return fetch(input, init)
      }
      const result = await upsertPrComment(params({ apiUrl: `${ghes.url}/`, fetch: counting }))
      expect(result).toMatchObject({ ok: true, action: 'created' })
      expect(calls).toBe(2)
      expect(ghes.comments('acme', 'app', 7)).toHaveLength(1)
    } finally {
      await ghes.close()
    }
  })

  it('truncates a body over GitHub’s 65,536-character limit', async () => {
    await upsertPrComment(params({ body: 'x'.repeat(70_000) }))
    const [comment] = fake.comments('acme', 'app', 7)
    expect(comment!.body.length).toBeLessThanOrEqual(65_536)
    expect(comment!.body).toContain('comment truncated')
  })
})

describe('upsertPrComment against a hostile PR or GitHub API', () => {
  it('never edits a marked comment someone else planted (GITHUB_TOKEN: github-actions[bot])', async () => {
    const planted = fake.addComment(
      'acme',
      'app',
      7,
      `${commentMarker('deploy')}\nplanted`,
      'mallory'
    )
    const result = await upsertPrComment(params({ body: 'ours' }))
    expect(result).toMatchObject({ ok: true, action: 'created' })
    expect(planted.body).toBe(`${commentMarker('deploy')}\nplanted`)
    expect(fake.requests.some((r) => r.method === 'PATCH')).toBe(false)
    expect(fake.comments('acme', 'app', 7).map((c) => c.user.login)).toEqual([
      'mallory',
      'github-actions[bot]'
    ])
  })

  it('with a user token, updates only the comment written by that user', async () => {
    fake.setUser('octo-deployer')
    fake.addComment('acme', 'app', 7, `${commentMarker('deploy')}\nbot`, 'github-actions[bot]')
    const mine = fake.addComment(
      'acme',
      'app',
      7,
      `${commentMarker('deploy')}\nold`,
      'octo-deployer'
    )
    const result = await upsertPrComment(params({ body: 'new' }))
    expect(result).toMatchObject({ ok: true, action: 'updated', commentId: mine.id })
    expect(mine.body).toBe(`${commentMarker('deploy')}\nnew`)
    expect(fake.requests.filter((r) => r.path === '/user')).toHaveLength(1)
  })

  it.each([
    // localhost is this same fake: followed, it would show as a second listing.
    ['another host', (api: string) => api.replace('127.0.0.1', 'localhost')],
    ['another port', (_api: string, foreign: string) => foreign],
    ['another protocol', (api: string) => api.replace('http:', 'https:')]
  ])('follows Link: next only on the API origin, not to %s', async (_name, elsewhere) => {
    const foreign = await startGitHubFake()
    try {
      for (let i = 0; i < 3; i++) fake.addComment('acme', 'app', 7, `chatter ${i}`)
      const base = elsewhere(fake.url, foreign.url)
      fake.extraLink(`<${base}/repos/acme/app/issues/7/comments?page=2>; rel="next"`)
      const result = await upsertPrComment(params())
      expect(result).toMatchObject({ ok: true, action: 'created' })
      expect(foreign.requests).toHaveLength(0)
      const lists = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments'))
      expect(lists).toHaveLength(1)
    } finally {
      await foreign.close()
    }
  })

  it('reads at most 10 pages of comments, then creates a new one', async () => {
    for (let i = 0; i < 1050; i++) fake.addComment('acme', 'app', 7, `chatter ${i}`)
    fake.addComment('acme', 'app', 7, `${commentMarker('deploy')}\nold`, 'github-actions[bot]')
    const result = await upsertPrComment(params())
    expect(result).toMatchObject({ ok: true, action: 'created' })
    const lists = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments'))
    expect(lists).toHaveLength(10)
  })

  it.each([
    ['listing', 'GET', /\/comments$/],
    ['creating', 'POST', /\/comments$/]
  ])(
    'a GitHub API that never answers (%s): the budget ends it with a warning',
    async (_n, method, path) => {
      fake.hang(method, path)
      // The budget is the behaviour under test; the fake never answers, so any budget runs out.
      const result = await upsertPrComment(params({ budgetMs: 200 }))
      expect(result).toMatchObject({ ok: false, status: 0 })
      expect(!result.ok && result.warning).toMatch(/did not finish within 0.2s/)
    }
  )
})

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

describe('prCommentTarget', () => {
  const payload = {
    number: 7,
    pull_request: { number: 7 },
    repository: { name: 'app', owner: { login: 'acme' } }
  }

  it('reads pull_request and pull_request_target events', () => {
    expect(prCommentTarget('pull_request', payload)).toEqual({
      owner: 'acme',
      repo: 'app',
      issueNumber: 7
    })
    expect(prCommentTarget('pull_request_target', payload)).toEqual({
      owner: 'acme',
      repo: 'app',
      issueNumber: 7
    })
  })

  it('is undefined for other events and malformed payloads', () => {
    expect(prCommentTarget('push', payload)).toBeUndefined()
    expect(prCommentTarget('pull_request', undefined)).toBeUndefined()
    expect(
      prCommentTarget('pull_request', {
        pull_request: { number: '7' },
        repository: payload.repository
      })
    ).toBeUndefined()
    expect(prCommentTarget('pull_request', { pull_request: { number: 7 } })).toBeUndefined()
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
