/**
 * The secrets registry (src/base/secrets.ts): every registered secret is redacted in any encoding
 * it can come back in.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { clearSecrets, redactSecrets, registerSecret } from '../../src/base/secrets.js'
import { encodings } from '../support/encodings.js'

/** An STS-like token: the characters that each encoding changes (`+`, `/`, `=`). */
const TOKEN = 'CAIS+token/with=Plus&Amp"quote<lt>9zQ'
const SECRET = 'abcDEF123secretXYZ'

/** Every base64 variant minus its non-secret prefix is what has to disappear. */
function leftovers(out: string, secret: string): string[] {
  const found: string[] = []
  for (const [name, text] of Object.entries(encodings(secret))) {
    // The part that identifies the secret: for base64 of a longer value, 12 chars of its middle.
    const probe = name.startsWith('base64') ? text.slice(8, 20) : text
    if (out.includes(probe)) found.push(name)
  }
  return found
}

afterEach(() => clearSecrets())

describe('redactSecrets', () => {
  for (const secret of [TOKEN, SECRET]) {
    it.each(Object.entries(encodings(secret)))(
      `redacts ${secret.slice(0, 4)}… as %s`,
      (_name, encoded) => {
        registerSecret(secret)
        const out = redactSecrets(`before ${encoded} after`)
        expect(out).toContain('***')
        expect(leftovers(out, secret)).toEqual([])
        expect(out.startsWith('before ')).toBe(true)
        expect(out.endsWith(' after')).toBe(true)
      }
    )
  }

  it.each([
    ['query', 'GET /?Action=X&Signature=abc%2Bdef%3D&SignatureNonce=n1'],
    ['query, first', '/?Signature=abc123&x=1'],
    ['token', 'https://h/?SecurityToken=CAIS%2Fzzz&Action=Y'],
    ['encoded equals', 'url=%3FSignature%3Dabcdef%26x'],
    ['form', 'AccessKeySecret=shhh123 rest']
  ])('redacts a request signature or token in an echoed URL (%s)', (_n, text) => {
    const out = redactSecrets(text)
    expect(out).not.toMatch(/abc|zzz|shhh/)
    expect(out).toMatch(/\*\*\*/)
    expect(out).not.toContain('SignatureNonce=***')
  })

  it('leaves text without secrets alone and ignores values too short to redact', () => {
    registerSecret('abc')
    expect(redactSecrets('abc Status: Running')).toBe('abc Status: Running')
  })
})
