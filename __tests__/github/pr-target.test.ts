/** Which pull request a run belongs to, from its event (src/github/pr-target.ts). */
import { describe, expect, it } from '@jest/globals'
import { prCommentTarget } from '../../src/github/pr-target.js'

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
