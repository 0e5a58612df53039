/** Human formats shared by the summary and the PR comment (src/report/format.ts). */
import { describe, expect, it } from '@jest/globals'
import {
  flowLabel,
  formatCount,
  formatDuration,
  formatOffset,
  formatTime,
  plural,
  routingText,
  sentences,
  stepIcon
} from '../../src/report/format.js'

describe('formats', () => {
  it('durations from milliseconds to days, and a dash for none', () => {
    expect([850, 12_345, 245_000, 7_380_000, 273_600_000].map(formatDuration)).toEqual([
      '850 ms',
      '12.3 s',
      '4m 05s',
      '2h 03m',
      '3d 4h'
    ])
    for (const ms of [undefined, -1, Number.NaN, Infinity]) expect(formatDuration(ms)).toBe('—')
  })

  it('times in UTC, offsets from the execution’s start, absolute when before it or unknown', () => {
    const t = Date.UTC(2024, 5, 24, 2, 58, 42)
    expect(formatTime(t)).toBe('2024-06-24 02:58:42 UTC')
    expect(formatTime(undefined)).toBe('—')
    expect(formatOffset(t + 65_000, t)).toBe('+1m 05s')
    expect(formatOffset(t, undefined)).toBe('2024-06-24 02:58:42 UTC')
    expect(formatOffset(t - 1, t)).toBe('2024-06-24 02:58:41 UTC')
    expect(formatOffset(undefined, t)).toBe('—')
  })

  it('counts with separators, and plurals', () => {
    expect(formatCount(4231)).toBe('4,231')
    expect(plural(1, 'event')).toBe('1 event')
    expect(plural(4231, 'event')).toBe('4,231 events')
    expect(plural(2, 'entry', 'entries')).toBe('2 entries')
  })

  it('a caught failure is a warning sign, not a red cross', () => {
    expect(stepIcon({ status: 'Failed', handled: true })).toBe('⚠️')
    expect(stepIcon({ status: 'Failed', handled: false })).toBe('❌')
    expect(stepIcon({ status: 'Interrupted', handled: false })).toBe('⏹️')
  })
})

describe('a qualifier and an alias', () => {
  it('the flow with the version or alias the step started', () => {
    expect(flowLabel('release-pipeline', 'canary')).toBe('release-pipeline @ canary')
    expect(flowLabel('release-pipeline', undefined)).toBe('release-pipeline')
  })

  it("an alias's routes: each version's share of the weights, and that none is reported", () => {
    expect(
      routingText({
        alias: 'canary',
        routes: [
          { version: '1', weight: 90 },
          { version: '2', weight: 10 }
        ]
      })
    ).toBe(
      'Alias canary runs version 1 (90 %) or version 2 (10 %), chosen by weight for each ' +
        'execution; the service does not report which version an execution ran'
    )
    // Weights need not add up to 100.
    expect(
      routingText({
        alias: 'c',
        routes: [
          { version: '3', weight: 30 },
          { version: '4', weight: 10 }
        ]
      })
    ).toMatch(/^Alias c runs version 3 \(75 %\) or version 4 \(25 %\),/)
    expect(routingText({ alias: 'prod', routes: [{ version: '7', weight: 30 }] })).toBe(
      'Alias prod runs version 7'
    )
    expect(
      routingText({
        alias: 'c',
        routes: [
          { version: '1', weight: 0 },
          { version: '2', weight: 0 }
        ]
      })
    ).toMatch(/^Alias c runs version 1 \(weight 0\) or version 2 \(weight 0\),/)
  })
})

describe('sentences', () => {
  it('joins parts with one period between them, empty ones left out', () => {
    expect(sentences(['Stopped by us: https://x/runs/1.', undefined, 'Running then: a'])).toBe(
      'Stopped by us: https://x/runs/1. Running then: a'
    )
    expect(sentences(['one..', ''])).toBe('one..')
    expect(sentences([])).toBe('')
  })
})
