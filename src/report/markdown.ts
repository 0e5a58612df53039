/**
 * Escaping for text that comes from the flow (step names, errors, causes, input, output) and ends
 * up in GitHub-flavoured markdown with HTML allowed (job summary, PR comment). The rule: flow text
 * is never markup. It cannot open or close tags (`<img onerror>`, `</details>`), add table columns
 * (`|`), start emphasis/links/code (`*_[]()` and backticks), or notify anyone (`@user`, `#123`).
 */
import { cleanControl } from '../history/text.js'

const ZWSP = '\u200b'

// Everything markdown or HTML could read as syntax inside a line, as numeric entities: entities
// are decoded only after the structure is parsed, so they always come out as plain characters.
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '(': '&#40;',
  ')': '&#41;',
  '{': '&#123;',
  '}': '&#125;',
  '#': '&#35;',
  '!': '&#33;',
  '~': '&#126;',
  '|': '&#124;',
  // GitHub renders $…$ as math.
  $: '&#36;'
}
const SPECIAL = /[&<>"'\\`*_[\](){}#!~|$]/g

/**
 * Breaks `@user`/`@org/team` mentions and `#123`/`GH-123` references with a zero-width space, so
 * a comment or summary never notifies anyone or cross-links an issue. Entities would not help:
 * GitHub finds mentions in the decoded text. E-mail addresses (`a@b.c`) are left alone, as GitHub
 * does not treat them as mentions either.
 */
export function neutralizeMentions(text: string): string {
  return text
    .replace(/(^|\W)@(?=[A-Za-z0-9])/g, `$1@${ZWSP}`)
    .replace(/(^|\W)#(?=\d)/g, `$1#${ZWSP}`)
    .replace(/\bGH-(?=\d)/gi, (m) => `${m}${ZWSP}`)
}

/** HTML-only escaping, for attribute values and raw HTML contexts that markdown never parses. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

/**
 * Escapes flow text for an inline markdown context (paragraph, list item, table cell, `<summary>`,
 * `<code>`). Newlines become `<br>` (or a space), so the text stays on one source line and cannot
 * start a heading, list, quote or table row, nor end an HTML block early with a blank line.
 * Bare URLs stay clickable: GitHub links them after escaping, and copying them out is useful.
 */
export function escapeText(text: string, opts: { newlines?: 'br' | 'space' } = {}): string {
  const lineBreak = opts.newlines === 'space' ? ' ' : '<br>'
  const escaped = neutralizeMentions(cleanControl(text)).replace(SPECIAL, (c) => ENTITIES[c] ?? c)
  return escapeLineStart(escaped).replace(/\t/g, ' ').replace(/\n/g, lineBreak)
}

/**
 * A text placed right after a list marker could still open a block: `1. x`, `- x`, `+ x`, `= x`,
 * or indentation (code). Entities make those first characters plain.
 */
function escapeLineStart(text: string): string {
  return text
    .replace(/^( +)/, (spaces) => '&#32;'.repeat(spaces.length))
    .replace(/^([-+=])/, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/^(\d+)\./, '$1&#46;')
}

/** Flow text as inline code: `<code>` with the text escaped (markdown still parses inside). */
export function inlineCode(text: string): string {
  return `<code>${escapeText(text, { newlines: 'space' })}</code>`
}

/**
 * A fenced code block that `text` cannot end: the fence is longer than any run of backticks in
 * it. Content inside a fence is shown verbatim by GitHub (no HTML, no mentions), so it is not
 * escaped; only control characters are dropped.
 */
export function codeBlock(text: string, lang = ''): string {
  const body = cleanControl(text).replace(/\n+$/, '')
  let longest = 0
  for (const run of body.match(/`+/g) ?? []) longest = Math.max(longest, run.length)
  const fence = '`'.repeat(Math.max(3, longest + 1))
  // The info string is ours, but keep it to a word so it can never carry a backtick.
  const info = lang.replace(/[^\w-]/g, '')
  return `${fence}${info}\n${body}\n${fence}`
}

/**
 * A folded section. `summaryHtml` must already be escaped; `body` is markdown. The blank lines
 * matter: they end the HTML block so the body is parsed as markdown (tables, fences).
 */
export function details(summaryHtml: string, body: string, open = false): string {
  return `<details${open ? ' open' : ''}><summary>${summaryHtml}</summary>\n\n${body}\n\n</details>`
}

/** One table row from already-escaped cells (escapeText output holds no `|` or newline). */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`
}

export function tableHeader(titles: readonly string[]): string {
  return `${tableRow(titles)}\n${tableRow(titles.map(() => '---'))}`
}
