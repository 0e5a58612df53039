/**
 * Replays every captured history in fixtures/captured/ (written by `npm run capture-history`,
 * sent in by users whose failure the report got wrong): the report must give the root cause the
 * fixture says (a failed distributed Map's captured children grafted in), and the same leaf when
 * the links are rewritten or dropped.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  expectedOf,
  foldCaptured,
  maskAccounts,
  redactDetail,
  redactEvent,
  REDACTED,
  type CapturedHistory
} from '../../scripts/capture-redact.js'
import { relink, rootCauseOf } from '../support/relink.js'

const dir = fileURLToPath(new URL('../fixtures/captured/', import.meta.url))
const files = readdirSync(dir).filter((f) => f.endsWith('.json'))

describe('captured histories', () => {
  it('has at least one fixture', () => {
    expect(files.length).toBeGreaterThan(0)
  })

  describe.each(files)('%s', (file) => {
    const fixture = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as CapturedHistory

    it('gives the root cause the fixture names', () => {
      expect(expectedOf(foldCaptured(fixture))).toEqual(fixture.expected)
    })

    it.each(['previous', 'none'] as const)('gives the same leaf with links %s', (linking) => {
      const asCaptured = foldCaptured(fixture)
      const r = foldCaptured({ ...fixture, events: relink(fixture.events, linking) })
      const expected = rootCauseOf(asCaptured)
      if (r.approximate) {
        delete expected.path
        delete expected.attempts
      }
      expect(rootCauseOf(r)).toEqual(expected)
    })

    it('holds no inputs, outputs or account ids', () => {
      const children = (fixture.mapRuns ?? []).flatMap((m) => m.children)
      for (const e of [...fixture.events, ...children.flatMap((c) => c.events)]) {
        expect(redactEvent(e)).toEqual(e)
      }
    })
  })
})

describe('capture redaction', () => {
  it('keeps errors, causes and indexes; replaces everything else', () => {
    const detail = JSON.stringify({
      input: { token: 'secret' },
      output: 'x',
      Error: 'FC.Unhandled',
      cause: 'acs:fc:cn-hangzhou:1234567890123456:functions/f failed',
      branchIndex: 2
    })
    expect(JSON.parse(redactDetail(detail))).toEqual({
      input: REDACTED,
      output: REDACTED,
      Error: 'FC.Unhandled',
      cause: 'acs:fc:cn-hangzhou:<account>:functions/f failed',
      branchIndex: 2
    })
  })

  it('keeps only the length of a detail that is not JSON', () => {
    expect(redactDetail('password=hunter2')).toBe(
      JSON.stringify({ unparsed: `${REDACTED} (16 chars)` })
    )
  })

  it('masks account ids in step names', () => {
    expect(maskAccounts('call-123456789012')).toBe('call-<account>')
    expect(maskAccounts('acs:ram::1234567890123456:role/x')).toBe('acs:ram::<account>:role/x')
  })

  it('leaves a run of digits inside a hex name alone (a MapRunName is no account)', () => {
    const name = 'f6e208cacc5188d447044631393db74a'
    expect(maskAccounts(name)).toBe(name)
  })
})
