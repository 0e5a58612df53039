/**
 * GitHub's REST API as the step calls it (src/github/rest.ts), against the local fake of GitHub:
 * what each request carries, where it goes, and every way it can end, as values. Its size cap is
 * in http/response.caps.test.ts with the others.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { GitHubRest, linkHeader, nextLink } from '../../src/github/rest.js'
import { startGitHubFake, type GitHubFake } from '../support/github-fake.js'

let fake: GitHubFake
beforeEach(async () => {
  fake = await startGitHubFake({ basePath: '/api/v3' })
})
afterEach(async () => {
  await fake.close()
})

function rest(extra: Partial<ConstructorParameters<typeof GitHubRest>[0]> = {}): GitHubRest {
  return new GitHubRest({
    token: 'ghs_test',
    apiUrl: `${fake.url}/`,
    deadline: Date.now() + 60_000,
    ...extra
  })
}

describe('GitHubRest', () => {
  it('sends JSON with the token, GitHub’s media type and our user agent, under a GHES base path', async () => {
    const res = await rest().request('POST', '/repos/acme/app/issues/7/comments', { body: 'hi' })
    expect(res).toMatchObject({ ok: true, status: 201, data: { body: 'hi' } })
    const [req] = fake.requests
    expect(req).toMatchObject({ method: 'POST', path: '/repos/acme/app/issues/7/comments' })
    expect(req!.headers).toMatchObject({
      authorization: 'token ghs_test',
      accept: 'application/vnd.github+json',
      'content-type': 'application/json; charset=utf-8',
      'user-agent': expect.stringMatching(/^fnf-wait\//)
    })
    expect(req!.body).toEqual({ body: 'hi' })
  })

  it('an error status is a value with GitHub’s message, made safe to print', async () => {
    fake.failWith('GET', /\/user$/, 502, {
      body: { message: '::error::forged\n##[warning]x' },
      headers: { 'x-ratelimit-remaining': '7' }
    })
    const res = await rest().request('GET', '/user')
    expect(res).toMatchObject({ ok: false, kind: 'http', status: 502 })
    if (res.ok || res.kind !== 'http') throw new Error('expected an HTTP failure')
    expect(res.message).toContain('forged')
    expect(res.message).not.toMatch(/^::error::/)
    expect(res.message).not.toContain('##[warning]')
    expect(res.headers['x-ratelimit-remaining']).toBe('7')
  })

  it('sends nothing once the deadline has passed', async () => {
    const res = await rest({ deadline: Date.now() - 1 }).request('GET', '/user')
    expect(res).toEqual({ ok: false, kind: 'deadline' })
    expect(fake.requests).toEqual([])
  })

  it('a GitHub that never answers runs into the deadline', async () => {
    fake.hang('GET', /\/user$/)
    const res = await rest({ deadline: Date.now() + 100 }).request('GET', '/user')
    expect(res).toEqual({ ok: false, kind: 'deadline' })
  })

  it('sends the token to the API’s own origin only', async () => {
    await expect(rest().request('GET', 'http://localhost:1/user')).rejects.toThrow(
      /not a GitHub API URL/
    )
    expect(fake.requests).toEqual([])
  })
})

describe('nextLink', () => {
  const origin = 'https://api.github.com'
  it.each([
    [
      '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last"',
      'https://api.github.com/x?page=2'
    ],
    [
      '<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel=next',
      'https://api.github.com/x?page=3'
    ],
    ['<https://evil.example/x?page=2>; rel="next"', undefined],
    ['<http://api.github.com/x?page=2>; rel="next"', undefined],
    ['<https://api.github.com:8443/x?page=2>; rel="next"', undefined],
    ['<not a url>; rel="next"', undefined],
    ['<https://api.github.com/x?page=9>; rel="last"', undefined],
    [undefined, undefined]
  ])('%s → %s', (link, next) => {
    expect(nextLink(link, origin)).toBe(next)
  })

  it('reads several Link headers as one list', () => {
    expect(linkHeader({ link: ['<a>; rel="prev"', '<b>; rel="next"'] })).toBe(
      '<a>; rel="prev", <b>; rel="next"'
    )
    expect(linkHeader({})).toBeUndefined()
  })
})
