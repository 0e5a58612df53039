/**
 * Our comment on a pull request (src/github/issue-comments.ts), against the local fake of GitHub's
 * REST API: created once, then found again by its marker and its author and updated in place;
 * refusals and silence as warnings.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { Agent } from 'undici'
import { upsertComment, type UpsertCommentParams } from '../../src/github/issue-comments.js'
import { commentMarker, markedComment } from '../../src/report/pr-comment.js'
import { startGitHubFake, type GitHubFake } from '../support/github-fake.js'

let fake: GitHubFake
beforeEach(async () => {
  fake = await startGitHubFake()
})
afterEach(async () => {
  await fake.close()
})

/** The parameters publish.ts passes: the flow's marker, and the body opening with it. */
function params(
  extra: Partial<Omit<UpsertCommentParams, 'marker'>> & { flowName?: string } = {}
): UpsertCommentParams {
  const { flowName = 'deploy', body = 'run 1', ...rest } = extra
  const marker = commentMarker(flowName)
  return {
    token: 'ghs_test',
    apiUrl: fake.url,
    owner: 'acme',
    repo: 'app',
    issueNumber: 7,
    marker,
    body: markedComment(marker, body),
    ...rest
  }
}

describe('upsertComment', () => {
  it('creates the comment, then updates it in place: one comment after two runs', async () => {
    const first = await upsertComment(params({ body: 'run 1' }))
    expect(first).toMatchObject({ ok: true, action: 'created' })
    const second = await upsertComment(params({ body: 'run 2' }))
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
    await upsertComment(params({ flowName: 'deploy' }))
    await upsertComment(params({ flowName: 'deploy-2' }))
    await upsertComment(params({ flowName: 'deploy', body: 'again' }))
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
    const result = await upsertComment(params({ body: 'new' }))
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
    const result = await upsertComment(params())
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
    const result = await upsertComment(params())
    expect(!result.ok && result.warning).toContain('rate limit')
  })

  it('other errors throw with the status', async () => {
    fake.failWith('PATCH', /./, 500, { body: { message: 'boom' } })
    fake.addComment('acme', 'app', 7, `${commentMarker('deploy')}\nold`, 'github-actions[bot]')
    await expect(upsertComment(params())).rejects.toMatchObject({
      status: 500,
      message: expect.stringContaining('HTTP 500')
    })
    await expect(upsertComment(params({ issueNumber: 8, token: '' }))).rejects.toThrow()
  })

  it('works with a GHES base path and an injected dispatcher', async () => {
    const ghes = await startGitHubFake({ basePath: '/api/v3' })
    const agent = new Agent()
    const dispatched = jest.spyOn(agent, 'dispatch')
    try {
      const result = await upsertComment(params({ apiUrl: `${ghes.url}/`, dispatcher: agent }))
      expect(result).toMatchObject({ ok: true, action: 'created' })
      expect(dispatched).toHaveBeenCalledTimes(2)
      expect(ghes.comments('acme', 'app', 7)).toHaveLength(1)
    } finally {
      await agent.close()
      await ghes.close()
    }
  })
})

describe('upsertComment against a hostile PR or GitHub API', () => {
  it('never edits a marked comment someone else planted (GITHUB_TOKEN: github-actions[bot])', async () => {
    const planted = fake.addComment(
      'acme',
      'app',
      7,
      `${commentMarker('deploy')}\nplanted`,
      'mallory'
    )
    const result = await upsertComment(params({ body: 'ours' }))
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
    const result = await upsertComment(params({ body: 'new' }))
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
      const result = await upsertComment(params())
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
    const result = await upsertComment(params())
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
      const result = await upsertComment(params({ budgetMs: 200 }))
      expect(result).toMatchObject({ ok: false, status: 0 })
      expect(!result.ok && result.warning).toMatch(/did not finish within 0.2s/)
    }
  )
})
