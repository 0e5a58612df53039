/**
 * The warning for a `timeout` longer than a GitHub-hosted job can run (src/config/hosted-limit.ts),
 * and the README section it links to.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  HOSTED_JOB_LIMIT_MS,
  LONG_WAITS_URL,
  hostedTimeoutWarning
} from '../../src/config/hosted-limit.js'

const HOUR = 3_600_000
const hosted = { RUNNER_ENVIRONMENT: 'github-hosted' }

describe('hostedTimeoutWarning', () => {
  it('a GitHub-hosted job given more than 6 hours: the limit, what it costs, the way out', () => {
    expect(hostedTimeoutWarning(7 * HOUR + 30 * 60_000, hosted)).toBe(
      'Input "timeout" is 7h30m, but a job on a GitHub-hosted runner is stopped after 6 hours ' +
        'whatever "timeout" or "timeout-minutes" say: the wait would be cut off, with no ' +
        'outputs, report or stop. To wait longer, start the execution with "wait: false" and ' +
        'wait in turns of at most 5h30m, one job each: ' +
        'https://github.com/fnf-wait/fnf-wait#waits-longer-than-a-job'
    )
  })

  it('6 hours or less, a self-hosted runner, or a runner that does not say: no warning', () => {
    expect(hostedTimeoutWarning(HOSTED_JOB_LIMIT_MS, hosted)).toBeUndefined()
    expect(hostedTimeoutWarning(7 * HOUR, { RUNNER_ENVIRONMENT: 'self-hosted' })).toBeUndefined()
    expect(hostedTimeoutWarning(7 * HOUR, {})).toBeUndefined()
  })

  it('links a README section that exists', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const anchors = [...readme.matchAll(/^#+ (.+)$/gm)].map((m) =>
      m[1]!
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-')
    )
    expect(anchors).toContain(new URL(LONG_WAITS_URL).hash.slice(1))
  })
})
