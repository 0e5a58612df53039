/**
 * The step timeline as a picture: a Mermaid `gantt` block that GitHub renders in the job summary
 * and the PR comment. Pure: the step tree in, a fenced block (or nothing) out.
 *
 * Steps are bars on a real time axis (`dateFormat x`, epoch milliseconds). Top-level steps form the
 * first section; every parallel branch and foreach iteration is a section of its own, named by its
 * path. Failed steps that failed the execution are `crit` (red), caught failures `crit, done`,
 * steps still open at the end are `active` and drawn up to the end. Large trees are capped to the
 * most relevant rows and a line below the block says what was left out, so the chart stays
 * readable and far below Mermaid's 50,000-character limit.
 *
 * Flow text is hostile here too: step names pass through `ganttText`, which leaves nothing the
 * gantt grammar, Mermaid's preprocessing (`%%{…}%%` directives, `#…;` entities) or the markdown
 * fence could read as syntax.
 */
import { formatCount, plural, stepIcon } from './format.js'
import type { ExecutionReport, StepNode } from '../history/index.js'
import { TRUNCATED_END } from '../history/text.js'

export interface GanttOptions {
  /** Most bars drawn; default 40. */
  maxRows?: number
  /** The execution's start and end (ms epoch); the chart's axis spans at least these. */
  startedAt?: number
  stoppedAt?: number
}

export const DEFAULT_GANTT_ROWS = 40

/** Characters of a step name kept in a bar label; of a path segment and a path in a title. */
const LABEL_CHARS = 60
const SEGMENT_CHARS = 24
const SECTION_CHARS = 80

/**
 * Look-alikes for what the grammar, Mermaid's preprocessing or the fence read as syntax. Mermaid
 * 12 also renders entity codes (`#58;` shows `:`), but its entity handling has changed between
 * versions and GitHub runs its own; a look-alike shows the same in every version, in the raw
 * markdown and in Mermaid's parsed model, where the tests check it.
 */
const LOOKALIKE: Record<string, string> = {
  ':': '\u2236', // ∶ task text ends at ':'
  ';': '\uff1b', // ； task data ends at ';' (not U+037E: NFC maps that back to ';')
  '#': '\uff03', // ＃ comments and `#name;` entities
  '%': '\uff05', // ％ `%%` comments and `%%{init}%%` directives
  '<': '\u2039', // ‹
  '>': '\u203a', // ›
  '&': '\uff06', // ＆
  '"': '\u201d', // ”
  "'": '\u2019', // ’
  '`': '\u02cb', // ˋ a backtick run could close the ```mermaid fence
  '\\': '\uff3c' // ＼
}
const SPECIAL = /[:;#%<>&"'`\\]/g
// Line breaks of every kind end a gantt line; other controls and format characters (bidi
// overrides, zero-width joiners) could disguise a name.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu

/**
 * Flow text as gantt text: one line, no syntax, at most `max` characters. Every label we write
 * starts with a status icon, so no name can begin with a keyword (`section`, `title`, `click`…).
 */
export function ganttText(text: string, max: number): string {
  const flat = text
    .replace(INVISIBLE, ' ')
    .replace(SPECIAL, (c) => LOOKALIKE[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim()
  const chars = Array.from(flat) // never split a surrogate pair
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`
}

interface Row {
  node: StepNode
  /** The branch or iteration the step ran in; undefined at the top level. */
  section: StepNode | undefined
  order: number
  rank: number
  start: number
  end: number
  open: boolean
}

/**
 * The ```mermaid block for `report`'s steps, followed by a line counting the steps left out; empty
 * when no step has a start time (nothing to put on an axis).
 */
export function renderGantt(report: ExecutionReport, opts: GanttOptions = {}): string {
  const maxRows = Math.max(1, opts.maxRows ?? DEFAULT_GANTT_ROWS)
  const rows = collectRows(report, opts)
  if (rows.length === 0) return ''
  // Loops, not Math.min(...spread): a history can hold thousands of steps.
  const first = rows.reduce((m, r) => Math.min(m, r.start), Infinity)
  const last = rows.reduce((m, r) => Math.max(m, r.end), -Infinity)
  // A bar shorter than this is invisible: zero-length steps get it as their width.
  const minWidth = Math.max(1, Math.ceil((last - first) / 200))

  const shown = [...rows]
    .sort((a, b) => a.rank - b.rank || b.end - b.start - (a.end - a.start) || a.order - b.order)
    .slice(0, maxRows)
    .sort((a, b) => a.order - b.order)

  // Sections in the order their first row appears; rows keep tree order inside a section.
  const sections = new Map<StepNode | undefined, Row[]>()
  for (const row of shown) {
    const list = sections.get(row.section)
    if (list === undefined) sections.set(row.section, [row])
    else list.push(row)
  }
  // Mermaid groups bars by section title: two sections must never share one.
  const titles = new Set<string>()

  const lines = [
    '```mermaid',
    'gantt',
    '  dateFormat x',
    `  axisFormat ${axisFormat(last - first)}`
  ]
  lines.push('  todayMarker off')
  let id = 0
  for (const [section, list] of sections) {
    const title = section === undefined ? 'Flow' : sectionTitle(section.path)
    let unique = title
    for (let n = 2; titles.has(unique); n++) unique = `${title} (${n})`
    titles.add(unique)
    lines.push(`  section ${unique}`)
    for (const row of list) {
      id += 1
      const tags = [...tagsOf(row), `s${id}`]
      const width = Math.max(minWidth, row.end - row.start)
      const label = `${stepIcon(row.node)} ${ganttText(row.node.label, LABEL_CHARS) || '(unnamed)'}`
      lines.push(`  ${label} :${tags.join(', ')}, ${row.start}, ${width}ms`)
    }
  }
  lines.push('```')
  const left = rows.length - shown.length
  if (left > 0) {
    lines.push(
      '',
      `_The chart shows ${formatCount(shown.length)} of ${plural(rows.length, 'step')}: failed, ` +
        `running and caught steps first, then the longest; ${formatCount(left)} left out._`
    )
  }
  return lines.join('\n')
}

/** Bar tags: red for the failed path, red-on-grey for a caught failure, blue for still open. */
function tagsOf(row: Row): string[] {
  const node = row.node
  if (node.status === 'Failed') return node.handled ? ['crit', 'done'] : ['crit']
  if (row.open) return ['active']
  return []
}

/**
 * Relevance ranks for the cap: the failed path, then what was still running, then caught
 * failures, then everything else (the longest first, see the sort above).
 */
function rankOf(node: StepNode): number {
  if (node.status === 'Failed' && !node.handled) return 0
  if (node.status === 'Running' || node.status === 'Interrupted') return 1
  if (node.status === 'Failed') return 2
  return 3
}

function collectRows(report: ExecutionReport, opts: GanttOptions): Row[] {
  const known: number[] = []
  const walk = (nodes: readonly StepNode[]) => {
    for (const n of nodes) {
      for (const t of [n.startedAt, n.endedAt]) if (isTime(t)) known.push(t)
      for (const a of n.attemptList) {
        for (const t of [a.startedAt, a.endedAt]) if (isTime(t)) known.push(t)
      }
      walk(n.children)
    }
  }
  walk(report.steps)
  for (const t of [opts.startedAt, opts.stoppedAt, report.stoppedAt]) if (isTime(t)) known.push(t)
  if (known.length === 0) return []
  // Steps still open are drawn to the execution's end, or to the last time the history knows.
  const end = isTime(opts.stoppedAt)
    ? opts.stoppedAt
    : isTime(report.stoppedAt)
      ? report.stoppedAt
      : known.reduce((m, t) => Math.max(m, t), -Infinity)

  const rows: Row[] = []
  const visit = (nodes: readonly StepNode[], section: StepNode | undefined) => {
    for (const node of nodes) {
      if (node.kind === 'branch' || node.kind === 'iteration') {
        visit(node.children, node)
        continue
      }
      const start = node.startedAt
      if (isTime(start)) {
        const open = node.status === 'Running' || node.status === 'Interrupted'
        const stop = isTime(node.endedAt)
          ? node.endedAt
          : node.durationMs !== undefined && Number.isFinite(node.durationMs)
            ? start + node.durationMs
            : open
              ? end
              : start
        rows.push({
          node,
          section,
          order: rows.length,
          rank: rankOf(node),
          start,
          end: open ? Math.max(stop, end) : Math.max(stop, start),
          open
        })
      }
      visit(node.children, section)
    }
  }
  visit(report.steps, undefined)
  return rows
}

/**
 * A branch or iteration's path as a section title. Long paths drop their outer segments first:
 * the innermost ones say which branch or iteration this is.
 */
function sectionTitle(path: readonly string[]): string {
  const parts = path.map((p) => segmentText(p) || '(unnamed)')
  let title = parts.join(' › ')
  for (let i = 1; i < parts.length - 1 && Array.from(title).length > SECTION_CHARS; i++) {
    title = ['…', ...parts.slice(i)].join(' › ')
  }
  return title
}

/**
 * A path segment cut in the middle: names that share a long start keep the ends that tell them
 * apart (a distributed Map's children, `<MapRunName>-7` and `<MapRunName>-250`). A name the
 * model already cut keeps its start only.
 */
function segmentText(text: string): string {
  if (TRUNCATED_END.test(text)) return ganttText(text.replace(TRUNCATED_END, ''), SEGMENT_CHARS)
  const chars = Array.from(ganttText(text, Infinity))
  if (chars.length <= SEGMENT_CHARS) return chars.join('')
  const head = Math.ceil((SEGMENT_CHARS - 1) / 2)
  const tail = SEGMENT_CHARS - 1 - head
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`
}

/** Tick labels that say something at the chart's scale (d3 time format, viewer's time zone). */
function axisFormat(spanMs: number): string {
  if (spanMs < 10_000) return '%H:%M:%S.%L'
  if (spanMs < 2 * 3_600_000) return '%H:%M:%S'
  if (spanMs < 2 * 86_400_000) return '%H:%M'
  return '%b %d %H:%M'
}

function isTime(t: number | undefined): t is number {
  return t !== undefined && Number.isFinite(t)
}
