/** The user agent both transports send (src/http/user-agent.ts): the action's name and version. */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { DEFAULT_USER_AGENT } from '../../src/http/user-agent.js'

describe('DEFAULT_USER_AGENT', () => {
  it('is name/version from package.json, so the service’s logs name the release', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
    expect(DEFAULT_USER_AGENT).toBe(`fnf-wait/${pkg.version}`)
    expect(DEFAULT_USER_AGENT).toMatch(/^fnf-wait\/\d+\.\d+\.\d+/)
  })
})
