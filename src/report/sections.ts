/**
 * Markdown sections shared by the job summary and the PR comment: the status line and the
 * "why it ended" part. Pure: strings in, strings out; every piece of flow text goes through
 * markdown.ts.
 */
import {
  flowLabel,
  formatCount,
  formatDuration,
  formatOffset,
  formatTime,
  routingText,
  STATUS_ICON
} from './format.js'
import type { ReportStatus } from './format.js'
import { codeBlock, details, escapeHtml, escapeText, inlineCode } from './markdown.js'
import { DIFFERENT_DEFINITION, type DefinitionPlace, type ExecutionView } from './view.js'
import type { BlamedStep } from '../history/blame.js'
import type { StepNode } from '../history/types.js'

import { truncate } from '../history/text.js'

export interface CauseOptions {
  /** Chars of the cause shown inline; a longer cause is folded. */
  inlineChars: number
  /** Chars of the cause kept at all (inline + folded). */
  maxChars: number
  /** Fold the raw JSON cause (e.g. a Function Compute payload with a stack trace) in too. */
  raw: boolean
  /** Further root causes listed by path (parallel/foreach failures in several places). */
  maxOthers: number
  /** Running steps listed for stop, timeout and wait timeout. */
  maxRunning: number
}

const HEADLINE: Record<ReportStatus, string> = {
  Succeeded: 'FnF execution succeeded',
  Failed: 'FnF execution failed',
  TimedOut: 'FnF execution timed out',
  Stopped: 'FnF execution was stopped',
  Running: 'FnF execution is running',
  Starting: 'FnF execution is starting',
  Unknown: 'FnF execution: status unknown'
}

/** `### ❌ FnF execution failed` plus a line with flow, execution, start, end and duration. */
export function statusSection(view: ExecutionView): string {
  const { status } = view
  const { startedAt, stoppedAt } = view.times
  const stillRunning = status === 'Running' || status === 'Starting'
  const headline =
    view.waitTimedOut && stillRunning
      ? 'Stopped waiting: FnF execution still running'
      : HEADLINE[status]
  const facts = [
    `**Flow** ${inlineCode(flowLabel(view.flowName, view.qualifier))}`,
    `**Execution** ${inlineCode(view.executionName)}`,
    `**Status** ${escapeText(view.statusText, { newlines: 'space' })}`,
    `**Started** ${formatTime(startedAt)}`
  ]
  if (stoppedAt !== undefined) facts.push(`**Ended** ${formatTime(stoppedAt)}`)
  if (startedAt !== undefined && stoppedAt !== undefined) {
    facts.push(`**Duration** ${formatDuration(stoppedAt - startedAt)}`)
  }
  if (view.waitTimedOut && view.waitedMs !== undefined) {
    facts.push(`**Waited** ${formatDuration(view.waitedMs)}`)
  }
  if (view.executionUrl !== undefined && /^https?:\/\//i.test(view.executionUrl)) {
    facts.push(`<a href="${escapeHtml(view.executionUrl)}">open the execution</a>`)
  }
  if (view.express) facts.push('**Mode** Express')
  const routing = routingLine(view.routing)
  return `### ${STATUS_ICON[status]} ${headline}\n\n${facts.join(' · ')}${routing ? `\n\n${routing}` : ''}`
}

/** The alias's routes, as one line of the summary; '' when they were not read. */
export function routingLine(routing: ExecutionView['routing']): string {
  return routing === undefined ? '' : `${escapeText(routingText(routing))}.`
}

/**
 * Why the execution ended the way it did: the root cause of a failure, the stop or timeout with
 * the steps that were running, or the steps still running when we stopped waiting. Empty for a
 * success.
 */
export function causeSection(view: ExecutionView, opts: CauseOptions): string {
  const { blame } = view
  const origin = view.times.startedAt
  switch (blame.kind) {
    case 'failed': {
      if (blame.step === undefined) {
        return '#### Root cause\n\nThe execution history does not say why.'
      }
      const placeOf = (step: BlamedStep) => view.locations?.steps.get(step.pathText)
      const first = failureBlock(blame.step, opts, placeOf(blame.step), blame.express)
      const parts = ['#### Root cause', first]
      if (blame.others.length > 0) parts.push(othersList(blame.others, opts.maxOthers, placeOf))
      return parts.join('\n\n')
    }
    case 'stopped':
    case 'timedOut': {
      const stopped = blame.kind === 'stopped'
      const lines: string[] = []
      if (blame.error !== undefined) lines.push(`- **Error:** ${inlineCode(blame.error)}`)
      if (blame.cause !== undefined) lines.push(`- **Cause:** ${inlineCause(blame.cause, opts)}`)
      const parts = [stopped ? '#### Stopped' : '#### Timed out']
      if (lines.length > 0) parts.push(lines.join('\n'))
      if (blame.cause !== undefined && blame.cause.length > opts.inlineChars) {
        parts.push(foldedText('Full cause', blame.cause, opts.maxChars))
      }
      const label = stopped ? 'Running when stopped' : 'Running when time ran out'
      // An express execution has no history to say what ran.
      if (!blame.express) parts.push(runningList(label, blame.running, origin, opts.maxRunning))
      return parts.join('\n\n')
    }
    case 'waitEnded': {
      const waited = view.waitedMs !== undefined ? ` after ${formatDuration(view.waitedMs)}` : ''
      return [
        '#### Still running',
        `The action stopped waiting${waited}; the execution had not finished.`,
        runningList('Running when the wait ended', blame.running, origin, opts.maxRunning)
      ].join('\n\n')
    }
    case 'none':
      return ''
  }
}

function failureBlock(
  cause: BlamedStep,
  opts: CauseOptions,
  place: DefinitionPlace | undefined,
  express?: true
): string {
  const where =
    cause.path.length > 0
      ? escapeText(cause.pathText)
      : express
        ? '_not known: express executions keep no history; the error is StartSyncExecution’s_'
        : '_the execution itself (no step failed)_'
  const lines = [`- **Step:** ${where}`]
  if (place !== undefined) {
    const note = place.sameDefinition ? '' : ` (${DIFFERENT_DEFINITION})`
    lines.push(`- **Definition:** ${placeText(place)}${note}`)
  }
  if (cause.error !== undefined) lines.push(`- **Error:** ${inlineCode(cause.error)}`)
  if (cause.causeType !== undefined) lines.push(`- **Type:** ${inlineCode(cause.causeType)}`)
  if (cause.cause !== undefined) lines.push(`- **Cause:** ${inlineCause(cause.cause, opts)}`)
  if (cause.attempts > 0) lines.push(`- **Attempts:** ${attemptsText(cause)}`)
  const parts = [lines.join('\n')]
  if (cause.cause !== undefined && cause.cause.length > opts.inlineChars) {
    parts.push(foldedText('Full cause', cause.cause, opts.maxChars))
  }
  if (opts.raw && cause.causeRaw !== undefined) {
    parts.push(foldedText('Raw cause', prettyJson(cause.causeRaw), opts.maxChars, 'json'))
  }
  return parts.join('\n\n')
}

/** `3 (FC.Unhandled, FC.Timeout (timed out) ×2)`: what the retries ran into, repeats folded. */
function attemptsText(cause: BlamedStep): string {
  const list = cause.attemptList
  if (list.length < 2) return String(cause.attempts)
  const runs: Array<{ what: string; n: number }> = []
  for (const a of list) {
    let what = a.error !== undefined ? inlineCode(truncate(a.error, 60)) : a.status.toLowerCase()
    if (a.status === 'TimedOut' && a.error !== undefined) what += ' (timed out)'
    const last = runs[runs.length - 1]
    if (last !== undefined && last.what === what) last.n += 1
    else runs.push({ what, n: 1 })
  }
  const shown = runs.slice(-5).map((r) => (r.n > 1 ? `${r.what} ×${r.n}` : r.what))
  const more = runs.length > shown.length ? '…, ' : ''
  return `${cause.attempts} (${more}${shown.join(', ')})`
}

function othersList(
  others: readonly BlamedStep[],
  max: number,
  placeOf: (step: BlamedStep) => DefinitionPlace | undefined
): string {
  const lines = others.slice(0, max).map((c) => {
    const error = c.error !== undefined ? ` ${inlineCode(truncate(c.error, 100))}` : ''
    const cause = c.cause !== undefined ? `: ${escapeText(truncate(c.cause, 160))}` : ''
    const place = placeOf(c)
    const at = place !== undefined ? ` (${placeText(place)})` : ''
    return `- ${escapeText(truncate(c.pathText, 300))}${at}${error}${cause}`
  })
  if (others.length > max) lines.push(`- … and ${formatCount(others.length - max)} more`)
  return `**Also failed (${formatCount(others.length)}):**\n\n${lines.join('\n')}`
}

function runningList(
  label: string,
  running: readonly StepNode[],
  origin: number | undefined,
  max: number
): string {
  if (running.length === 0) return `**${label}:** no step (per the history).`
  const lines = running.slice(0, max).map((s) => {
    const since = s.startedAt !== undefined ? ` (started ${formatOffset(s.startedAt, origin)})` : ''
    return `- ${escapeText(truncate(s.pathText, 300))}${since}`
  })
  if (running.length > max) lines.push(`- … and ${formatCount(running.length - max)} more`)
  return `**${label}:**\n\n${lines.join('\n')}`
}

/** `flows/etl.yaml`, lines 12–20: linked to GitHub when the runner's variables make a link. */
export function placeText(place: DefinitionPlace): string {
  const file = inlineCode(truncate(place.file, 300))
  const { startLine, endLine } = place
  const lines =
    startLine === endLine
      ? `line ${formatCount(startLine)}`
      : `lines ${formatCount(startLine)}–${formatCount(endLine)}`
  const text = `${file}, ${lines}`
  return place.url !== undefined && /^https?:\/\//i.test(place.url)
    ? `<a href="${escapeHtml(place.url)}">${text}</a>`
    : text
}

function inlineCause(cause: string, opts: CauseOptions): string {
  return escapeText(truncate(cause, opts.inlineChars))
}

/** A `<details>` holding text verbatim in a code block. */
export function foldedText(title: string, text: string, maxChars: number, lang = ''): string {
  return details(escapeText(title), codeBlock(truncate(text, maxChars), lang))
}

/** Pretty-prints JSON when it parses (and is not huge); otherwise returns the text as is. */
export function prettyJson(text: string): string {
  if (text.length > 256 * 1024) return text
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
