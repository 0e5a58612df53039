/**
 * The one place text from the wire (the FnF and STS APIs, a proxy's error page, GitHub) or from a
 * flow becomes text the step may print. Pure. Whatever comes in, what comes out:
 * - holds no registered secret in any encoding, nor a request signature (see secrets.ts);
 * - cannot be read by the runner as a workflow command: `::` opening a line after any blank the
 *   runner trims (.NET `TrimStart()` trims every Unicode white space, U+00A0 and U+3000 included),
 *   the legacy `##[` anywhere in a line;
 * - has no control characters but tab and newline, and no invisible format characters (bidi
 *   overrides, zero-width spaces and joiners, the BOM): a line reads as what it is;
 * - is bounded in length (wireText).
 * Every line the step prints goes through `inertText` (base/log.ts); markup is the renderers' job
 * (report/markdown.ts escapes every wire or flow text it places).
 */
import { redactSecrets } from './secrets.js'

const ZWSP = '\u200b'

/** Default length for one field (a status, a code, a message); a body excerpt passes its own. */
export const WIRE_TEXT_MAX = 2000

/**
 * C0 controls but tab and newline, DEL, C1 controls (U+0085 NEL among them) and every format
 * character (Unicode category Cf: bidi embeddings, overrides and isolates, U+200B–U+200F,
 * U+2060–U+2064, U+FEFF, U+00AD, the tag characters).
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\p{Cf}]/gu

/** Drops control and format characters (except tab and newline) and normalises line endings. */
export function cleanControl(text: string): string {
  // U+2028 and U+2029 end a line for many readers (and for `^` below): they become newlines.
  return text.replace(/\r\n?|[\u2028\u2029]/g, '\n').replace(INVISIBLE, '')
}

/**
 * What the runner's TrimStart removes before it looks for `::`: any white space but the newline
 * that ends the line (JavaScript's `\s` is Unicode's White_Space plus U+FEFF), U+0085 and the
 * characters older runtimes trimmed (U+180E, U+200B): cleanControl drops those, but a text given
 * to neutralizeCommands alone may still hold them.
 */
const BLANKS = '(?:[^\\S\\n]|[\\u0085\\u180e\\u200b])*'
const COMMAND_START = new RegExp(`^(${BLANKS}):(?=:)`, 'gmu')

/**
 * Breaks workflow commands with a zero-width space: `::` opening a line (after any blank the
 * runner trims) and `##[` anywhere. The text reads the same to a person.
 */
export function neutralizeCommands(text: string): string {
  return text.replace(COMMAND_START, `$1:${ZWSP}`).replace(/##\[/g, `#${ZWSP}#[`)
}

/**
 * The gate every printed line goes through (base/log.ts): redacted, free of control and format
 * characters, and unable to form a workflow command, however it starts. Idempotent: the
 * zero-width space it inserts is dropped and put back by the next pass.
 */
export function inertText(text: string): string {
  return neutralizeCommands(redactSecrets(cleanControl(text)))
}

/** inertText, at most about `max` characters. */
export function wireText(text: string, max = WIRE_TEXT_MAX): string {
  const safe = inertText(text)
  if (safe.length <= max) return safe
  // Cut last, so no half of a secret's encoding survives; never split a surrogate pair.
  let cut = max
  const code = safe.charCodeAt(cut - 1)
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1
  return `${safe.slice(0, cut)}… [${(safe.length - cut).toLocaleString('en-US')} more chars]`
}

/** For text the step writes to files from anything it read (outputs, summary): secrets and commands. */
export function safeForSink(text: string): string {
  return neutralizeCommands(redactSecrets(text))
}
