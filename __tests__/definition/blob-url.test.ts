/** The GitHub link to a step's lines: built from the runner's values, refusing anything odd. */
import { describe, expect, it } from '@jest/globals'
import { blobUrl, type BlobUrlInput } from '../../src/definition/blob-url.js'

const SHA = 'a'.repeat(40)
const HEAD = 'b'.repeat(40)
const base: BlobUrlInput = {
  serverUrl: 'https://github.com',
  repository: 'octo/flows',
  sha: SHA,
  file: 'flows/nightly etl#1.yaml',
  startLine: 12,
  endLine: 20
}

describe('blobUrl', () => {
  it('links the lines at GITHUB_SHA, each path segment percent-encoded', () => {
    expect(blobUrl(base)).toEqual({
      kind: 'url',
      url: `https://github.com/octo/flows/blob/${SHA}/flows/nightly%20etl%231.yaml#L12-L20`
    })
    expect(blobUrl({ ...base, serverUrl: 'https://ghe.example.com/', file: 'ü/a?.yml' })).toEqual({
      kind: 'url',
      url: `https://ghe.example.com/octo/flows/blob/${SHA}/%C3%BC/a%3F.yml#L12-L20`
    })
  })

  it("links a pull request's head commit when the event is a pull request", () => {
    const event = { pull_request: { number: 7, head: { sha: HEAD } } }
    expect(blobUrl({ ...base, event })).toMatchObject({
      url: expect.stringContaining(`/blob/${HEAD}/`)
    })
    // Other events (a push) keep GITHUB_SHA; a SHA-256 repository's commits are 64 hex digits.
    const long = 'c'.repeat(64)
    expect(blobUrl({ ...base, sha: long, event: { ref: 'refs/heads/main' } })).toMatchObject({
      url: expect.stringContaining(`/blob/${long}/`)
    })
  })

  it.each<[string, Partial<BlobUrlInput>, string]>([
    ['no server URL', { serverUrl: undefined }, 'GITHUB_SERVER_URL'],
    [
      'a server URL with credentials',
      { serverUrl: 'https://user:pw@github.com' },
      'GITHUB_SERVER_URL'
    ],
    ['a server URL with a path', { serverUrl: 'https://github.com/evil' }, 'GITHUB_SERVER_URL'],
    ['a server URL with a query', { serverUrl: 'https://github.com/?x=1' }, 'GITHUB_SERVER_URL'],
    [
      'a server URL with an empty fragment',
      { serverUrl: 'https://github.com/#' },
      'GITHUB_SERVER_URL'
    ],
    ['a javascript: URL', { serverUrl: 'javascript:alert(1)' }, 'GITHUB_SERVER_URL'],
    ['a repository without owner', { repository: 'flows' }, 'GITHUB_REPOSITORY'],
    ['a repository going up', { repository: 'octo/..' }, 'GITHUB_REPOSITORY'],
    ['a repository with a path', { repository: 'octo/flows/blob' }, 'GITHUB_REPOSITORY'],
    ['a short SHA', { sha: 'abc1234' }, 'GITHUB_SHA'],
    ['an upper-case SHA', { sha: SHA.toUpperCase() }, 'GITHUB_SHA'],
    ['a pull request without a head SHA', { event: { pull_request: { head: {} } } }, 'head SHA'],
    [
      'a pull request with a ref for head',
      { event: { pull_request: { head: { sha: '../main' } } } },
      'head SHA'
    ],
    ['a path going up', { file: 'flows/../secret.yaml' }, 'file path'],
    ['an absolute path', { file: '/etc/passwd' }, 'file path'],
    ['a path with a newline', { file: 'flows/a\n.yaml' }, 'file path'],
    ['an empty segment', { file: 'flows//a.yaml' }, 'file path'],
    ['a line 0', { startLine: 0 }, 'line range'],
    ['an end before the start', { startLine: 5, endLine: 4 }, 'line range'],
    ['a fractional line', { endLine: 20.5 }, 'line range']
  ])('refuses %s', (_what, change, names) => {
    const outcome = blobUrl({ ...base, ...change })
    expect(outcome.kind).toBe('refused')
    expect(outcome.kind === 'refused' && outcome.reason).toContain(names)
  })
})
