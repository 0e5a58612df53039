/**
 * The hostile payloads every printing path is driven with, and the runner's own reading of a log
 * line: a command is a line whose .NET `TrimStart()` begins with `::`, or one holding `##[`.
 * A line an action composed with @actions/core (`::warning …::data`) is parsed as that one
 * command, so only its data (unescaped) is checked again, line by line.
 */

/** Every leading blank .NET's TrimStart removes (Char.IsWhiteSpace), and three older ones. */
const DOTNET_BLANKS =
  '\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008' +
  '\u2009\u200a\u2028\u2029\u202f\u205f\u3000' +
  '\u180e\u200b\ufeff'

/** Commands after every kind of leading blank, `##[` anywhere, bidi and zero-width characters. */
export const HOSTILE_PAYLOADS: readonly string[] = [
  '::add-mask::plain',
  '::stop-commands::pwned',
  '  ::set-output name=a::b',
  'mid-line ##[error]legacy',
  '##[group]legacy-group',
  '\u00a0::error::after-nbsp',
  '\u3000::add-mask::after-ideographic-space',
  '\u2028::error::after-line-separator',
  '\u2029::warning::after-paragraph-separator',
  '\ufeff::error::after-bom',
  '\u0085::error::after-nel',
  '\u1680\u2000\u200a\u202f\u205f::error::after-spaces',
  '\u180e\u200b::error::after-zero-width',
  'cr\r::error::after-cr',
  'vt\u000b::error::after-vt',
  'nl\n\t\u00a0::error::after-newline',
  '\u00a0##[stop-commands]legacy-stop',
  'bidi \u202eevil\u202c \u2066isolate\u2069 \u200ftext\u200e',
  'zero\u200bwidth\u200cand\u200djoin\u2060word\u00adsoft'
]

/** All payloads on lines of their own, as one text (a cause, a message, a body). */
export const HOSTILE_TEXT = HOSTILE_PAYLOADS.join('\n')

function trimStartDotnet(line: string): string {
  let i = 0
  while (i < line.length && DOTNET_BLANKS.includes(line[i]!)) i++
  return line.slice(i)
}

/** Invisible characters left in a line, other than the zero-width space that breaks a command. */
function invisible(line: string): boolean {
  const visible = line.replace(/(?<=:)\u200b(?=:)|(?<=#)\u200b(?=#\[)/g, '')
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u.test(visible)
}

/** What is wrong with one line of text the action printed (nothing: an empty list). */
export function lineProblems(line: string): string[] {
  const problems: string[] = []
  if (trimStartDotnet(line).startsWith('::')) problems.push(`command: ${JSON.stringify(line)}`)
  if (line.includes('##[')) problems.push(`legacy command: ${JSON.stringify(line)}`)
  if (invisible(line)) problems.push(`invisible character: ${JSON.stringify(line)}`)
  return problems
}

/** Every problem in a message that may span lines (split as the runner reads stdout). */
export function textProblems(text: string): string[] {
  return text.split(/\r\n|\r|\n/).flatMap(lineProblems)
}

/** The commands @actions/core composes; anything else opening a line is not the action's. */
const COMPOSED =
  /^::(debug|warning|error|notice|add-mask|group|endgroup|set-output|save-state)( [^:]*)?::(.*)$/

function unescapeData(data: string): string {
  return data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/**
 * Problems in a bundle's stdout read as the runner reads it: a composed command's data and
 * properties are checked line by line; any other line must not be a command at all.
 */
export function stdoutProblems(stdout: string): string[] {
  const problems: string[] = []
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const composed = COMPOSED.exec(line)
    if (composed) {
      // add-mask carries a secret the action chose to mask: the runner never prints it.
      if (composed[1] === 'add-mask') continue
      const props = (composed[2] ?? '').replace(/%3A/g, ':').replace(/%2C/g, ',')
      problems.push(
        ...textProblems(unescapeData(props)),
        ...textProblems(unescapeData(composed[3]!))
      )
    } else {
      problems.push(...lineProblems(line))
    }
  }
  return problems
}
