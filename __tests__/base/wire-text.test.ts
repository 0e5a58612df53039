import { afterEach, describe, expect, it } from '@jest/globals'
import { clearSecrets, registerSecret } from '../../src/base/secrets.js'
import { inertText, neutralizeCommands, wireText } from '../../src/base/wire-text.js'
import { HOSTILE_PAYLOADS, textProblems } from '../support/hostile-lines.js'

const SECRET = 'abcDEF123secretXYZ'

afterEach(() => clearSecrets())

describe('wireText', () => {
  const HOSTILE = [
    '::add-mask::x',
    '::stop-commands::token',
    '  ::set-output name=a::b',
    'mid ##[error]boom',
    '##[group]g',
    'line\n::error::injected',
    'cr\r::warning::injected'
  ]
  it.each(HOSTILE)('cannot become a workflow command: %j', (text) => {
    const out = wireText(text)
    for (const line of out.split('\n')) {
      expect(line.trimStart().startsWith('::')).toBe(false)
      expect(line).not.toContain('##[')
    }
  })

  it.each(HOSTILE_PAYLOADS.map((p) => [JSON.stringify(p), p]))(
    "is inert under the runner's parsing (TrimStart of any Unicode blank, ##[, bidi, zero-width): %s",
    (_shown, payload) => {
      expect(textProblems(wireText(payload))).toEqual([])
      expect(textProblems(wireText(`prefix ${payload} suffix`))).toEqual([])
    }
  )

  it('inertText is idempotent and keeps the words', () => {
    for (const payload of HOSTILE_PAYLOADS) {
      const once = inertText(payload)
      expect(inertText(once)).toBe(once)
    }
    expect(inertText('\u3000::add-mask::x').replace(/\u200b/g, '')).toBe('\u3000::add-mask::x')
    expect(inertText('a\u2028b')).toBe('a\nb')
  })

  it('drops control characters and bounds the length', () => {
    expect(wireText('a\u0000b\u001bc\u007f')).toBe('abc')
    expect(wireText('x'.repeat(5000), 100)).toMatch(/^x{100}… \[4,900 more chars\]$/)
  })

  it('neutralizes commands without changing how the text reads', () => {
    expect(neutralizeCommands('::x::y').replace(/\u200b/g, '')).toBe('::x::y')
  })

  it('redacts before cutting, so no half of a secret survives', () => {
    registerSecret(SECRET)
    const out = wireText(`${'y'.repeat(90)}${SECRET}`, 100)
    expect(out).not.toContain(SECRET.slice(0, 10))
  })
})
