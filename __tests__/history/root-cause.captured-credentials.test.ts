/**
 * `npm run capture-history` redacts what it can recognise (scripts/capture-redact.ts): a history
 * seeded with every credential shape (__tests__/support/seeded-credentials.ts: the capturing
 * user's own key, secret and token in every encoding; someone else's AccessKey ID, STS AccessKey
 * ID and token; a signed URL's Signature and SecurityToken; secrets under credential-like keys,
 * whole objects included), in errors, causes, messages, nested objects and step names. The
 * committed fixture is that capture (root-cause.captured.test.ts replays it with the others).
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { CapturedHistory } from '../../scripts/capture-redact.js'
import { redactCredentials, redactValue } from '../../scripts/capture-redact.js'
import { captureSeeded, credentialProbes } from '../support/seeded-credentials.js'

const FIXTURE = fileURLToPath(
  new URL('../fixtures/captured/seeded--credentials.json', import.meta.url)
)

/** Every string in a value, JSON held in strings opened up (a cause is often JSON text). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') {
    try {
      const nested: unknown = JSON.parse(value)
      if (typeof nested === 'object' && nested !== null) return [value, ...strings(nested)]
    } catch {
      // text
    }
    return [value]
  }
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)])
  return []
}

function survivors(fixture: CapturedHistory, text: string): string[] {
  const all = [text, ...strings(fixture)]
  return Object.entries(credentialProbes())
    .filter(([, probe]) => all.some((s) => s.includes(probe)))
    .map(([name]) => name)
}

describe('a capture of a history seeded with every credential shape', () => {
  it('the committed fixture holds none of them', () => {
    const text = readFileSync(FIXTURE, 'utf8')
    expect(survivors(JSON.parse(text) as CapturedHistory, text)).toEqual([])
  })

  it('a capture now gives the committed fixture (the redaction has not moved)', async () => {
    const fresh = await captureSeeded()
    expect(survivors(fresh, JSON.stringify(fresh))).toEqual([])
    const committed = JSON.parse(readFileSync(FIXTURE, 'utf8')) as CapturedHistory
    const { note: _n, ...rest } = committed
    const { note: _f, ...now } = fresh
    // Times are the emulator's clock at capture.
    const timeless = (v: unknown) =>
      JSON.parse(JSON.stringify(v).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T'))
    expect(timeless(now)).toEqual(timeless(rest))
  })

  it('keeps what a report needs: step names, error codes and the root cause', () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as CapturedHistory
    expect(fixture.expected).toMatchObject({
      status: 'Failed',
      pathText: 'final',
      error: 'Final.Error'
    })
    expect(fixture.events.map((e) => e.StepName)).toContain('call-[redacted]')
  })
})

describe('redactCredentials and redactValue', () => {
  it.each([
    ['AccessKey ID', 'key LTAI5tAbCdEfGhIjKlMn used', 'key [redacted] used'],
    ['STS AccessKey ID', 'id STS.NUabcdefGHIJ1234 here', 'id [redacted] here'],
    ['STS token', 'tok CAISabcdefghijklmnop+/= end', 'tok [redacted] end'],
    ['percent-encoded STS token', 'tok=CAISabcdefghijklmnop%2Bq%3D&x', 'tok=[redacted]&x'],
    ['signed URL', '/o?Signature=abc%2B&SecurityToken=CAISx', '/o?Signature=***&SecurityToken=***']
  ])('%s', (_name, text, expected) => {
    expect(redactCredentials(text)).toBe(expected)
  })

  it('replaces whole values under credential-like keys, at any depth, in JSON held in strings', () => {
    const cause = JSON.stringify({
      ok: 'kept',
      nested: { Credentials: { AccessKeyId: 'x', AccessKeySecret: 'y' }, authorization: 'Basic z' }
    })
    expect(JSON.parse(redactValue(cause) as string)).toEqual({
      ok: 'kept',
      nested: { Credentials: '[redacted]', authorization: '[redacted]' }
    })
  })
})
