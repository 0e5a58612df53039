/**
 * The job summary ($GITHUB_STEP_SUMMARY) as one markdown string. Pure: the caller writes it.
 *
 * GitHub rejects a step summary over 1 MiB (the upload is aborted and an error annotation added),
 * so the output is measured in UTF-8 bytes against a budget. Fixed parts (status, root cause,
 * input/output) are bounded by construction; the step timeline takes what is left and ends with a
 * line saying how many rows were left out. If even the fixed parts do not fit a small budget, they
 * are shortened in steps (input/output first, then the cause).
 */
import { causeSection, foldedText, prettyJson, statusSection } from './sections.js'
import { formatCount, formatDuration, formatOffset, plural, stepIcon } from './format.js'
import { escapeText, inlineCode, tableHeader, tableRow } from './markdown.js'
import { renderGantt } from './gantt.js'
import { mapRunSection } from './map-run.js'
import type { ExecutionReport, StepNode, UnknownEventRef } from '../history/index.js'
import { truncate } from '../history/text.js'
import type { ExecutionView } from './view.js'

export interface SummaryOptions {
  /** UTF-8 bytes the summary may take; default 1,000,000 (GitHub's limit is 1 MiB = 1,048,576). */
  budgetBytes?: number
  /** Most timeline rows shown, whatever the size; default 2000. */
  maxTimelineRows?: number
  /** Chars of execution input and output shown (each, folded); default 8192. */
  ioChars?: number
  /** The timeline is folded into `<details>` above this many rows; default 25. */
  foldTimelineOver?: number
  /** Most bars in the timeline chart (a Mermaid gantt); 0 for no chart; default 40. */
  chartRows?: number
}

export const DEFAULT_SUMMARY_BUDGET = 1_000_000

const COLUMNS = ['Step', 'Type', 'Status', 'Started', 'Duration', 'Attempts'] as const

interface Level {
  ioChars: number
  causeChars: number
  raw: boolean
  maxOthers: number
  maxRunning: number
  chart: boolean
}

// From the full summary down to a bare one, for budgets too small for the fixed parts.
const LEVELS: Level[] = [
  { ioChars: -1, causeChars: 4096, raw: true, maxOthers: 20, maxRunning: 50, chart: true },
  { ioChars: 0, causeChars: 4096, raw: false, maxOthers: 10, maxRunning: 20, chart: true },
  { ioChars: 0, causeChars: 4096, raw: false, maxOthers: 10, maxRunning: 20, chart: false },
  { ioChars: 0, causeChars: 500, raw: false, maxOthers: 3, maxRunning: 5, chart: false },
  { ioChars: 0, causeChars: 100, raw: false, maxOthers: 0, maxRunning: 0, chart: false }
]

export function renderSummary(view: ExecutionView, options: SummaryOptions = {}): string {
  const budget = options.budgetBytes ?? DEFAULT_SUMMARY_BUDGET
  for (const level of LEVELS) {
    const fixed = fixedParts(view, options, level)
    const out = withTimeline(view, options, fixed, budget)
    if (out !== undefined) return out
  }
  // Not even the status line fits: say so in as few bytes as we can.
  return fitBytes(`FnF execution ${view.status} (summary budget too small)\n`, budget)
}

interface Fixed {
  head: string[]
  tail: string[]
}

function fixedParts(view: ExecutionView, options: SummaryOptions, level: Level): Fixed {
  const head = [statusSection(view)]
  const cause = causeSection(view, {
    inlineChars: Math.min(600, level.causeChars),
    maxChars: level.causeChars,
    raw: level.raw,
    maxOthers: level.maxOthers,
    maxRunning: level.maxRunning
  })
  if (cause !== '') head.push(cause)
  const maps = mapRunSection(view.mapRuns, {
    maxItems: level.maxOthers,
    causeChars: Math.min(300, level.causeChars)
  })
  if (maps !== '') head.push(maps)
  const chartRows = options.chartRows ?? 40
  if (level.chart && chartRows > 0 && view.report !== undefined) {
    const chart = renderGantt(view.report, { maxRows: chartRows, ...view.times })
    if (chart !== '') head.push(chart)
  }
  const tail: string[] = []
  const ioChars = level.ioChars < 0 ? (options.ioChars ?? 8192) : level.ioChars
  const notes = historyNotes(view)
  if (notes !== '') tail.push(notes)
  if (ioChars > 0) {
    if (view.input !== undefined && view.input !== '') {
      tail.push(foldedText('Execution input', prettyJson(view.input), ioChars, 'json'))
    }
    if (view.output !== undefined && view.output !== '') {
      tail.push(foldedText('Execution output', prettyJson(view.output), ioChars, 'json'))
    }
  }
  return { head, tail }
}

/** The summary with as much timeline as fits, or undefined if the fixed parts alone do not fit. */
function withTimeline(
  view: ExecutionView,
  options: SummaryOptions,
  fixed: Fixed,
  budget: number
): string | undefined {
  const sep = '\n\n'
  const fixedText = [...fixed.head, ...fixed.tail].join(sep) + '\n'
  const fixedBytes = Buffer.byteLength(fixedText)
  if (fixedBytes > budget) return undefined
  const steps = view.report?.steps ?? []
  if (steps.length === 0 && (view.report?.unknownEventCount ?? 0) === 0) {
    return fixedText
  }

  const rows = timelineRows(view)
  const maxRows = options.maxTimelineRows ?? 2000
  const foldOver = options.foldTimelineOver ?? 25
  const fold = rows.length > foldOver
  const title = `Steps (${plural(rows.length, 'row')})`
  // The title is ours (no flow text): no escaping needed.
  const open = fold ? `<details><summary>${title}</summary>\n\n` : `#### ${title}\n\n`
  const header = tableHeader(COLUMNS) + '\n'
  // A blank line before </details>: otherwise a table may read it as one more row.
  const close = fold ? '\n\n</details>' : ''
  // The cut line's length depends on the count; reserve for the longest one.
  const cutReserve = Buffer.byteLength(cutLine(rows.length, 'summary size limit')) + 2
  let used = fixedBytes + Buffer.byteLength(sep + open + header + close) + cutReserve
  if (used > budget) return undefined

  const shown: string[] = []
  let reason: string | undefined
  for (const row of rows) {
    if (shown.length >= maxRows) {
      reason = 'row limit'
      break
    }
    const text = row()
    const bytes = Buffer.byteLength(text) + 1
    if (used + bytes > budget) {
      reason = 'summary size limit'
      break
    }
    used += bytes
    shown.push(text)
  }
  let table = header + shown.join('\n')
  if (reason !== undefined) table += '\n\n' + cutLine(rows.length - shown.length, reason)
  const timeline = open + table + close
  return [...fixed.head, timeline, ...fixed.tail].join(sep) + '\n'
}

function cutLine(left: number, reason: string): string {
  return `… ${formatCount(left)} more ${left === 1 ? 'row' : 'rows'} not shown (${reason})`
}

/** One thunk per row, in tree order, so rows past the cut are never rendered. */
function timelineRows(view: ExecutionView): Array<() => string> {
  const report = view.report
  if (report === undefined) return []
  const { startedAt: origin, stoppedAt: end } = view.times
  const rows: Array<() => string> = []
  const visit = (
    nodes: readonly StepNode[],
    unknown: readonly UnknownEventRef[],
    depth: number
  ) => {
    // Steps and unknown events of one scope, in event order.
    const items: Array<{ at: number; node?: StepNode; event?: UnknownEventRef }> = [
      ...nodes.map((node) => ({ at: node.firstEventId, node })),
      ...unknown.map((event) => ({ at: event.eventId, event }))
    ].sort((a, b) => a.at - b.at)
    for (const item of items) {
      if (item.node !== undefined) {
        const node = item.node
        rows.push(() => stepRow(node, depth, origin, end))
        visit(node.children, node.unknownEvents, depth + 1)
        if (node.unknownEventCount > node.unknownEvents.length) {
          const more = node.unknownEventCount - node.unknownEvents.length
          rows.push(() => moreUnknownRow(more, depth + 1))
        }
      } else if (item.event !== undefined) {
        const event = item.event
        rows.push(() => unknownRow(event, depth, origin))
      }
    }
  }
  visit(report.steps, report.unknownEvents, 0)
  if (report.unknownEventCount > report.unknownEvents.length) {
    rows.push(() => moreUnknownRow(report.unknownEventCount - report.unknownEvents.length, 0))
  }
  return rows
}

function indent(depth: number): string {
  return '&emsp;'.repeat(depth)
}

function stepRow(
  node: StepNode,
  depth: number,
  origin: number | undefined,
  end: number | undefined
): string {
  let status = `${stepIcon(node)} ${node.status}${node.handled ? ' (caught)' : ''}`
  if (node.status === 'Failed' && node.error !== undefined) {
    status += ` ${inlineCode(truncate(node.error, 80))}`
  }
  return tableRow([
    indent(depth) + escapeText(truncate(node.label, 200), { newlines: 'space' }),
    node.kind,
    status,
    formatOffset(node.startedAt, origin),
    duration(node, end),
    node.attempts > 0 ? String(node.attempts) : ''
  ])
}

/** An interrupted step ran at least until the execution ended. */
function duration(node: StepNode, end: number | undefined): string {
  if (node.status === 'Interrupted' && node.startedAt !== undefined && end !== undefined) {
    return `≥ ${formatDuration(end - node.startedAt)}`
  }
  return formatDuration(node.durationMs)
}

function unknownRow(event: UnknownEventRef, depth: number, origin: number | undefined): string {
  return tableRow([
    indent(depth) + inlineCode(event.type),
    'event',
    '❔ unknown event type',
    formatOffset(event.time, origin),
    '',
    ''
  ])
}

function moreUnknownRow(count: number, depth: number): string {
  return tableRow([
    indent(depth) + `… ${plural(count, 'more unknown event')}`,
    'event',
    '',
    '',
    '',
    ''
  ])
}

function historyNotes(view: ExecutionView): string {
  const notes: string[] = []
  if (view.historyNote !== undefined) notes.push(escapeText(view.historyNote))
  const stats = view.report?.stats
  if (stats !== undefined) {
    if (stats.unknownEvents > 0) {
      const types = Object.entries(stats.unknownEventTypes)
        .map(([type, n]) => `${inlineCode(type)} ×${formatCount(n)}`)
        .join(', ')
      notes.push(`Events of types this report does not know, shown as they came: ${types}.`)
    }
    if (stats.unresolvedLinks > 0) {
      notes.push(
        `${plural(stats.unresolvedLinks, 'event')} did not link to an earlier event and ${stats.unresolvedLinks === 1 ? 'was' : 'were'} placed in the nearest open step.`
      )
    }
    if (view.report?.approximate === true) notes.push(approximateNote(view.report))
    if ((stats.oddEvents ?? 0) > 0) {
      const odd = stats.oddEvents ?? 0
      notes.push(
        `${plural(odd, 'history event')} could not be read (a field of an unexpected type) and ${odd === 1 ? 'was' : 'were'} left out.`
      )
    }
    if (stats.brokenDetails > 0) {
      notes.push(
        `${plural(stats.brokenDetails, 'event detail')} ${stats.brokenDetails === 1 ? 'was' : 'were'} not JSON and ${stats.brokenDetails === 1 ? 'is' : 'are'} shown raw.`
      )
    }
  }
  return notes.length > 0 ? notes.map((n) => `> ${n}`).join('\n>\n') : ''
}

/** The one line that says the tree is a best reading, with the failures as written, in order. */
function approximateNote(report: ExecutionReport): string {
  const events = report.failureEvents ?? []
  const shown = events.slice(0, 10).map((f) => {
    const what = [f.stepName === '' ? '(execution)' : f.stepName, f.type, f.error ?? '']
    return inlineCode(truncate(what.filter((w) => w !== '').join(' '), 200))
  })
  const more = events.length - shown.length
  const list =
    shown.length === 0
      ? ''
      : ` Failure events in time order: ${shown.join(', ')}${more > 0 ? `, … ${formatCount(more)} more` : ''}.`
  return `The history's links did not place every event: the tree is approximate (${plural(report.stats.guessedPlacements ?? 0, 'placement')} guessed from step names and branch/iteration indexes), the root cause is the failure whose error the execution failed with.${list}`
}

/** Cuts a string to `budget` UTF-8 bytes without splitting a character. */
function fitBytes(text: string, budget: number): string {
  const buf = Buffer.from(text)
  if (buf.length <= budget) return text
  let end = Math.max(0, budget)
  // Back up to the start of a UTF-8 sequence (continuation bytes are 10xxxxxx).
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end -= 1
  return buf.subarray(0, end).toString('utf8')
}
