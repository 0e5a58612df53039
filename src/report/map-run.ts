/**
 * Distributed Maps as people read them, pure: the live progress line (`process: 320 of 500 items
 * done, 3 failed`), and the report's section on each MapRun: its status, item counts and
 * tolerance, and its failed items, the first to fail first, each with the step and error its own
 * history blames (or its status and times when it has no history). A MapRun that succeeded with
 * tolerated failures is shown here and blamed nowhere.
 */
import type { MapRun } from '../fnf/types.js'
import { blameOf, blameFields } from '../history/blame.js'
import type { MapRunChild, MapRunDrill } from '../history/map-run.js'
import { truncate } from '../history/text.js'
import { parseTime } from '../history/time.js'
import { formatCount, formatTime, plural } from './format.js'
import { escapeText, inlineCode } from './markdown.js'
import { safe } from './running-steps.js'

export interface MapRunSectionOptions {
  /** Failed items listed per MapRun. */
  maxItems: number
  /** Characters of each item's cause. */
  causeChars: number
}

/** `process: 320 of 500 items done, 3 failed`: done counts every item that has ended. */
export function mapProgressLine(pathText: string, run: MapRun): string {
  const c = run.ItemCounts ?? {}
  const done = (c.Succeed ?? 0) + (c.Failed ?? 0) + (c.Aborted ?? 0)
  const of = c.Total !== undefined ? ` of ${formatCount(c.Total)}` : ''
  const aborted = (c.Aborted ?? 0) > 0 ? `, ${formatCount(c.Aborted ?? 0)} aborted` : ''
  return safe(
    `${truncate(pathText, 300)}: ${formatCount(done)}${of} items done, ` +
      `${formatCount(c.Failed ?? 0)} failed${aborted}`
  )
}

/** The `#### Distributed Map` section, or '' when there is no Map to show. */
export function mapRunSection(
  drills: readonly MapRunDrill[] | undefined,
  opts: MapRunSectionOptions
): string {
  if (drills === undefined || drills.length === 0) return ''
  const title = drills.length === 1 ? '#### Distributed Map' : '#### Distributed Maps'
  return [title, ...drills.map((d) => oneMapRun(d, opts))].join('\n\n')
}

/**
 * `` `process` (distributed Map) failed: 3 of 500 items failed, 0 tolerated. ``: the line each
 * MapRun's part of the section opens with.
 */
export function mapRunHeadline(drill: MapRunDrill): string {
  const step = inlineCode(truncate(drill.step.pathText, 300))
  const verb = RUN_VERB[drill.run?.Status ?? ''] ?? VERB[drill.step.status]
  const c = drill.run?.ItemCounts
  if (c?.Failed === undefined || c.Total === undefined) return `${step} (distributed Map) ${verb}.`
  return (
    `${step} (distributed Map) ${verb}: ${formatCount(c.Failed)} of ` +
    `${plural(c.Total, 'item')} failed, ${toleratedText(drill.run)}.`
  )
}

/** The MapRun's own status says best how the Map went (the history may have been read earlier). */
const RUN_VERB: Record<string, string> = {
  Failed: 'failed',
  Succeeded: 'succeeded',
  Aborted: 'was aborted',
  Running: 'is running',
  Pending: 'is pending'
}

const VERB: Record<MapRunDrill['step']['status'], string> = {
  Failed: 'failed',
  Succeeded: 'succeeded',
  Running: 'is running',
  Interrupted: 'was interrupted'
}

function oneMapRun(drill: MapRunDrill, opts: MapRunSectionOptions): string {
  const parts = [mapRunHeadline(drill)]
  const facts = runFacts(drill)
  if (facts !== '') parts[0] += ` ${facts}`
  for (const note of drill.notes) parts.push(`> ${escapeText(note, { newlines: 'space' })}`)
  if (drill.failed.length > 0) parts.push(itemList(drill, opts))
  return parts.join('\n\n')
}

/** `MapRun <code>…</code> Failed · 497 succeeded · 3 failed · 0 aborted · concurrency 100`. */
function runFacts(drill: MapRunDrill): string {
  const facts: string[] = []
  if (drill.mapRunName !== undefined) {
    const status = drill.run ? ` ${escapeText(drill.run.Status, { newlines: 'space' })}` : ''
    facts.push(`MapRun ${inlineCode(drill.mapRunName)}${status}`)
  }
  const c = drill.run?.ItemCounts
  if (c !== undefined) {
    const shown: Array<[number | undefined, string]> = [
      [c.Succeed, 'succeeded'],
      [c.Failed, 'failed'],
      [c.Aborted, 'aborted'],
      [c.Running, 'running'],
      [c.Pending, 'pending']
    ]
    for (const [n, what] of shown) {
      // Running and pending only while there are any: a finished MapRun has none.
      if (n !== undefined && (n > 0 || what === 'succeeded' || what === 'failed'))
        facts.push(`${formatCount(n)} ${what}`)
    }
  }
  return facts.join(' · ')
}

function toleratedText(run: MapRun | undefined): string {
  const count = run?.ToleratedFailedCount ?? 0
  const pct = run?.ToleratedFailedPercentage ?? 0
  if (count === 0 && pct === 0) return '0 tolerated'
  const limits = [count > 0 ? plural(count, 'item') : '', pct > 0 ? `${pct}%` : '']
  return `up to ${limits.filter((l) => l !== '').join(' or ')} tolerated`
}

function itemList(drill: MapRunDrill, opts: MapRunSectionOptions): string {
  const tolerated =
    drill.run?.Status === 'Succeeded' ||
    (drill.run === undefined && drill.step.status === 'Succeeded')
  const shown = drill.failed.slice(0, Math.max(0, opts.maxItems))
  const total = drill.run?.ItemCounts?.Failed
  const listed = drill.failed.length
  const count = Math.max(total ?? 0, listed)
  const lines = shown.map((child, i) => {
    const first = i === 0 && !tolerated ? '**First to fail:** ' : ''
    return `- ${first}${itemLine(child, opts)}`
  })
  const rest = count - shown.length
  if (rest > 0 || drill.moreFailed) {
    lines.push(rest > 0 ? `- … and ${formatCount(rest)} more` : '- … and more')
  }
  const label = tolerated ? 'Tolerated failures' : 'Failed items'
  return `**${label} (${formatCount(count)}):**\n\n${lines.join('\n')}`
}

/** One failed child: what its history blames, or its status and times as listed. */
function itemLine(child: MapRunChild, opts: MapRunSectionOptions): string {
  const e = child.execution
  const name = `execution ${inlineCode(e.Name)}`
  const note = child.note !== undefined ? ` (${escapeText(child.note, { newlines: 'space' })})` : ''
  const report = child.report
  if (report !== undefined) {
    const blame = blameOf({ status: report.status, report, waitTimedOut: false })
    const { step, error, cause } = blameFields(blame)
    if (blame.kind !== 'none' && (step !== '' || error !== undefined || cause !== undefined)) {
      const where = step !== '' ? ` → step ${inlineCode(truncate(step, 300))}` : ''
      const verb = blame.kind === 'failed' ? 'failed' : escapeText(report.status)
      const err = error !== undefined ? ` with ${inlineCode(truncate(error, 120))}` : ''
      const why = cause !== undefined ? `: ${escapeText(truncate(cause, opts.causeChars))}` : ''
      return `${name}${where} ${verb}${err}${why}${note}`
    }
  }
  const times = [
    e.StartedTime ? `started ${formatTime(parseTime(e.StartedTime))}` : '',
    e.StoppedTime ? `ended ${formatTime(parseTime(e.StoppedTime))}` : ''
  ].filter((t) => t !== '')
  const status = escapeText(e.Status, { newlines: 'space' })
  return `${name} ${status}${times.length > 0 ? `, ${times.join(', ')}` : ''}${note}`
}
