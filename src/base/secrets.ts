/**
 * The credentials this step knows, so that no text it writes can carry one: registered wherever
 * `core.setSecret` is called (static keys, STS keys renewed under OIDC, the ID token, the GitHub
 * token). `core.setSecret` only masks the exact string in the log; a service or proxy that echoes
 * a secret back in another encoding, or text that goes to the summary, outputs or a PR comment,
 * needs this. Pure apart from the registry itself.
 */

/** Shorter values are masked by the runner but not redacted here: they would hit ordinary text. */
const MIN_SECRET_LENGTH = 6

interface Entry {
  /** Raw, percent-encoded (any case, once or twice), HTML entities, JSON escapes, `+` as a space, mixed. */
  pattern: RegExp
  /** The secret's base64 / base64url text at each of the three byte alignments. */
  literals: string[]
}

const registry = new Map<string, Entry>()

export function registerSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH || registry.has(value)) return
  registry.set(value, { pattern: encodedPattern(value), literals: base64Cores(value) })
}

/** Forgets every secret (tests). */
export function clearSecrets(): void {
  registry.clear()
}

export const REDACTED = '***'

// A signature or token in an echoed URL or form: `Signature=…`, `SecurityToken%3D…`. The value
// runs to the next separator. Other query values (AccessKeyId, Timestamp) are not secrets.
// A name preceded by a letter or digit is another word, unless that is the end of a `%3F`.
const SIGNED_QUERY =
  /(?:(?<=%[0-9a-f]{2})|(?<![a-z0-9]))(Signature|SecurityToken|AccessKeySecret)(=|%3D|%253D)[^&\s"'<>;,]+/gi

/** `text` with every registered secret (in any encoding we know) and signed-query values as `***`. */
export function redactSecrets(text: string): string {
  let out = text.replace(SIGNED_QUERY, (_m, name: string, eq: string) => `${name}${eq}${REDACTED}`)
  // Longest first, so a secret inside another is not left half-masked.
  const entries = [...registry.entries()].sort((a, b) => b[0].length - a[0].length)
  for (const [, entry] of entries) {
    out = out.replace(entry.pattern, REDACTED)
    for (const literal of entry.literals) out = out.split(literal).join(REDACTED)
  }
  return out
}

const NAMED: Record<string, string[]> = {
  '&': ['amp'],
  '<': ['lt'],
  '>': ['gt'],
  '"': ['quot'],
  "'": ['apos'],
  '/': ['sol'],
  '+': ['plus'],
  '=': ['equals'],
  '%': ['percnt']
}

/** One alternation per character: raw, %XX / %25XX, &#DD; / &#xHH; / named, \uHHHH, \/. */
function encodedPattern(secret: string): RegExp {
  const parts: string[] = []
  for (const ch of secret) {
    const code = ch.codePointAt(0) ?? 0
    const bytes = [...Buffer.from(ch, 'utf8')]
    // Percent-encoding, once or twice; a multi-byte character is all of its bytes in a row.
    const percent = bytes.map((b) => `%(?:25)?${b.toString(16).padStart(2, '0')}`).join('')
    const alts = [escapeRegExp(ch), percent]
    alts.push(`&#0*${code};`, `&#x0*${code.toString(16)};`)
    for (const name of NAMED[ch] ?? []) alts.push(`&${name};`)
    if (code <= 0xffff) alts.push(`\\\\u${code.toString(16).padStart(4, '0')}`)
    if (ch === '/' || ch === '"' || ch === '\\') alts.push(`\\\\${escapeRegExp(ch)}`)
    // A form or query decoded as a form: `+` read back as a space, a space sent as `+`.
    if (ch === '+') alts.push(' ')
    if (ch === ' ') alts.push('\\+')
    parts.push(`(?:${alts.join('|')})`)
  }
  // Case-insensitive for the hex digits and entity names; a secret that differs only in case
  // being redacted as well costs nothing.
  return new RegExp(parts.join(''), 'gi')
}

/**
 * The part of base64(x + secret + y) that depends only on the secret, for each length of x mod 3:
 * a secret inside a longer encoded value (`Basic base64(id:secret)`) is found as well.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const out = new Set<string>()
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes])
      .toString('base64')
      .replace(/=+$/, '')
    const start = Math.ceil((8 * pad) / 6)
    const end = Math.floor((8 * (pad + bytes.length)) / 6)
    const core = encoded.slice(start, end)
    if (core.length < 8) continue
    out.add(core)
    out.add(core.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return [...out]
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}
