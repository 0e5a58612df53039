/**
 * The PR comment's text: the flow's marker (how the comment is found again on the next run), the
 * short report, and GitHub's size limit. Posting it is github/issue-comments.ts's job.
 */
import { causeSection, statusSection } from './sections.js'
import type { ExecutionView } from './view.js'
import { escapeHtml } from './markdown.js'
import { renderGantt } from './gantt.js'
import { mapRunSection } from './map-run.js'

/** GitHub rejects comment bodies over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536

/**
 * `<!-- fnf-wait:flow=<name> -->`. The name is percent-encoded, including `-`, `!` and the other
 * characters encodeURIComponent leaves alone, so no flow name can end the comment (`-->`), put
 * `--` inside it, or look like another flow's marker.
 */
export function commentMarker(flowName: string): string {
  const encoded = encodeURIComponent(flowName).replace(
    /[-!'()*.~_]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
  return `<!-- fnf-wait:flow=${encoded} -->`
}

/**
 * The comment as posted: opening with the marker (added unless the body already opens with it),
 * cut to GitHub's limit with a note.
 */
export function markedComment(marker: string, body: string): string {
  const text = body.trimStart().startsWith(marker) ? body : `${marker}\n${body}`
  if (text.length <= GITHUB_COMMENT_LIMIT) return text
  const note = '\n\n… (comment truncated to GitHub’s size limit)'
  return text.slice(0, GITHUB_COMMENT_LIMIT - note.length) + note
}

export interface PrCommentOptions {
  /** Link to the workflow run, where the full job summary is. */
  runUrl?: string
  /** Characters the comment may take; default 60,000 (GitHub allows 65,536 with the marker). */
  maxChars?: number
}

// Shorter than the summary: the root cause, a small timeline chart and a link; no table, no
// input/output.
const PR_LEVELS = [
  { inlineChars: 600, maxChars: 3000, raw: false, maxOthers: 5, maxRunning: 10, chartRows: 20 },
  { inlineChars: 200, maxChars: 200, raw: false, maxOthers: 0, maxRunning: 0, chartRows: 0 }
]

/** The PR comment's markdown (without the marker, which markedComment adds). */
export function renderPrComment(view: ExecutionView, options: PrCommentOptions = {}): string {
  const { report } = view
  const limit = Math.min(options.maxChars ?? 60_000, GITHUB_COMMENT_LIMIT - 200)
  const link =
    options.runUrl !== undefined && /^https?:\/\//i.test(options.runUrl)
      ? `<a href="${escapeHtml(options.runUrl)}">Workflow run and full report</a>`
      : ''
  for (const level of PR_LEVELS) {
    const chart =
      report !== undefined && level.chartRows > 0
        ? renderGantt(report, { maxRows: level.chartRows, ...view.times })
        : ''
    const maps = mapRunSection(view.mapRuns, {
      maxItems: level.maxOthers,
      causeChars: Math.min(200, level.maxChars)
    })
    const parts = [statusSection(view), causeSection(view, level), maps, chart, link].filter(
      (p) => p !== ''
    )
    const text = parts.join('\n\n') + '\n'
    if (text.length <= limit) return text
  }
  return (
    statusSection({
      ...view,
      flowName: view.flowName.slice(0, 200),
      executionName: view.executionName.slice(0, 200)
    }).slice(0, limit) + '\n'
  )
}
