/**
 * The one place text from the wire (the FnF and STS APIs, a proxy's error page, GitHub) becomes
 * text the step may print. Pure. Whatever comes in, what comes out:
 * - holds no registered secret in any encoding, nor a request signature (see secrets.ts);
 * - cannot be read by the runner as a workflow command (`::cmd::` at a line start, the legacy
 *   `##[cmd]` anywhere in a line);
 * - has no control characters but tab and newline;
 * - is bounded in length.
 * Markup is the renderers' job (report/markdown.ts escapes every wire or flow text it places).
 */
import { redactSecrets } from './secrets.js'

const ZWSP = '\u200b'

/** Default length for one field (a status, a code, a message); a body excerpt passes its own. */
export const WIRE_TEXT_MAX = 2000

/** Drops control characters (except tab and newline) and normalises line endings. */
export function cleanControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
}

/**
 * Breaks workflow commands with a zero-width space: `::` opening a line (the runner trims the line
 * first, so after any blank) and `##[` anywhere. The text reads the same to a person.
 */
export function neutralizeCommands(text: string): string {
  return text.replace(/^([ \t]*):(?=:)/gm, `$1:${ZWSP}`).replace(/##\[/g, `#${ZWSP}#[`)
}

/** Redacted, command-free, control-free and at most about `max` characters. */
export function wireText(text: string, max = WIRE_TEXT_MAX): string {
  const safe = neutralizeCommands(redactSecrets(cleanControl(text)))
  if (safe.length <= max) return safe
  // Cut last, so no half of a secret's encoding survives; never split a surrogate pair.
  let cut = max
  const code = safe.charCodeAt(cut - 1)
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1
  return `${safe.slice(0, cut)}… [${(safe.length - cut).toLocaleString('en-US')} more chars]`
}

/** For text the step writes from anything it read (outputs, summary, log): secrets and commands. */
export function safeForSink(text: string): string {
  return neutralizeCommands(redactSecrets(text))
}
