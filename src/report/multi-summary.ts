/**
 * The job summary for a step that waits on several executions: one table row per execution, then
 * a failure report for each that did not succeed, the most severe first. Pure, and within the same
 * byte budget as the single summary: the table is cut first to leave room for the reports, and
 * the reports share what is left, each saying when it was shortened.
 */
import {
  flowLabel,
  formatCount,
  formatDuration,
  formatTime,
  plural,
  STATUS_ICON
} from './format.js'
import { routingLine } from './sections.js'
import { escapeText, inlineCode, tableHeader, tableRow } from './markdown.js'
import { DEFAULT_SUMMARY_BUDGET, renderSummary } from './summary.js'
import type { ExecutionView, MultiView } from './view.js'
import { blameFields } from '../history/blame.js'

export interface MultiSummaryOptions {
  budgetBytes?: number
}

const COLUMNS = ['Execution', 'Status', 'Started', 'Duration', 'Failed step', 'Error'] as const
/** The table may take this share of the budget when there are reports to write. */
const TABLE_SHARE = 0.4
/** Each report gets at most this much, so one huge history does not crowd out the others. */
const REPORT_CAP = 200_000
/** Below this, a report would say nothing useful: stop and count the rest. */
const REPORT_MIN = 3_000

export function renderMultiSummary(input: MultiView, options: MultiSummaryOptions = {}): string {
  const budget = options.budgetBytes ?? DEFAULT_SUMMARY_BUDGET
  const counts = new Map<string, number>()
  for (const { status } of input.executions) counts.set(status, (counts.get(status) ?? 0) + 1)
  const total = input.executions.length
  const bad = input.failed.length
  const icon = bad > 0 ? '❌' : '✅'
  const heading =
    `### ${icon} ${bad > 0 ? `${formatCount(bad)} of ${formatCount(total)} FnF executions did not succeed` : `All ${formatCount(total)} FnF executions succeeded`}\n\n` +
    `**Flow** ${inlineCode(flowLabel(input.flowName, input.qualifier))} · ` +
    [...counts].map(([status, n]) => `**${escapeText(status)}** ${formatCount(n)}`).join(' · ') +
    '\n\n' +
    (input.routing ? `${routingLine(input.routing)}\n\n` : '')

  let out = heading
  const tableBudget = bad > 0 ? Math.floor(budget * TABLE_SHARE) : budget - 200
  out += table(input.executions, tableBudget - bytes(heading))

  let left = budget - bytes(out)
  for (const [i, view] of input.failed.entries()) {
    const remaining = input.failed.length - i
    const share = Math.min(REPORT_CAP, Math.floor((left - 200) / remaining))
    if (share < REPORT_MIN) {
      out += `\n_… ${plural(remaining, 'more failure report')} not shown (summary size limit)._\n`
      break
    }
    // One chart, for the most severe execution: a page of charts would say less than one.
    const report = `\n---\n\n${renderSummary(view, { budgetBytes: share - 10, foldTimelineOver: 10, chartRows: i === 0 ? 25 : 0 })}`
    out += report
    left -= bytes(report)
  }
  return out
}

function table(rows: readonly ExecutionView[], budget: number): string {
  let out = `${tableHeader(COLUMNS)}\n`
  for (const [i, view] of rows.entries()) {
    const line = `${tableRow(cells(view))}\n`
    const rest = rows.length - i
    // Keep room for the line that says how many rows were left out.
    if (bytes(out) + bytes(line) > budget - 120) {
      return `${out}\n_… ${plural(rest, 'more execution')} not shown (summary size limit)._\n`
    }
    out += line
  }
  return out
}

function cells(view: ExecutionView): string[] {
  const { status } = view
  const { startedAt, stoppedAt } = view.times
  const blamed = blameFields(view.blame)
  const failedStep = blamed.step
  const error = blamed.error ?? view.problem ?? ''
  const shownStatus = view.waitTimedOut ? `${status} (wait timed out)` : status
  return [
    inlineCode(view.executionName),
    `${STATUS_ICON[status]} ${escapeText(shownStatus)}`,
    escapeText(formatTime(startedAt)),
    startedAt !== undefined && stoppedAt !== undefined
      ? escapeText(formatDuration(stoppedAt - startedAt))
      : '',
    failedStep ? escapeText(failedStep, { newlines: 'space' }) : '',
    error ? inlineCode(error.slice(0, 200)) : ''
  ]
}

function bytes(text: string): number {
  return Buffer.byteLength(text)
}
