/**
 * Error annotations for the run page. Pure: the caller passes each to `core.error(message, {title})`.
 *
 * GitHub keeps at most 10 error annotations per step and drops the rest silently, so a failure in
 * many places (a foreach failing in 40 iterations) gets 9 annotations and a 10th that says how many
 * more there are, instead of losing the count.
 */
import type { Execution } from '../fnf/types.js'
import { formatDuration, plural } from './format.js'
import type {
  ExecutionReport,
  FailureCause,
  InterruptionCause,
  StepNode
} from '../history/index.js'
import { statusOf } from './sections.js'
import { cleanControl, truncate } from '../history/text.js'

export interface Annotation {
  title: string
  message: string
}

export interface AnnotationContext {
  flowName: string
  executionName: string
  /** DescribeExecution's answer; its status is used when there is no report. */
  execution?: Execution
  /** Our own wait gave up while the execution was still running. */
  waitTimedOut?: boolean
  waitedMs?: number
  /** Annotations per step; default 10 (GitHub's limit for errors). */
  max?: number
}

const MESSAGE_CHARS = 2000
const TITLE_CHARS = 200

export function buildAnnotations(
  report: ExecutionReport | undefined,
  ctx: AnnotationContext
): Annotation[] {
  const status = statusOf(report !== undefined ? { ...ctx, report } : ctx)
  const max = Math.max(1, ctx.max ?? 10)
  const flow = `FnF ${ctx.flowName}`
  const exec = `execution ${ctx.executionName}`

  if (status === 'Failed') {
    const causes = (report?.rootCauses ?? []).filter((c): c is FailureCause => c.kind === 'failure')
    if (causes.length === 0 || (causes.length === 1 && causes[0]?.path.length === 0)) {
      const c = causes[0] ?? report
      return [annotation(`${flow}: ${exec} failed`, errorText(c?.error, c?.cause) ?? 'failed')]
    }
    const shown = causes.length > max ? causes.slice(0, max - 1) : causes
    const out = shown.map((c) => {
      const attempts = c.attempts > 1 ? ` (after ${c.attempts} attempts)` : ''
      const text = errorText(c.error, c.cause) ?? 'failed (no error in the history)'
      return annotation(`${flow}: ${c.pathText}`, `${text}${attempts}`)
    })
    if (causes.length > shown.length) {
      const rest = causes.slice(shown.length)
      const paths = rest.slice(0, 20).map((c) => c.pathText)
      const more = rest.length > paths.length ? `, … (${rest.length - paths.length} more)` : ''
      out.push(
        annotation(
          `${flow}: ${plural(rest.length, 'more failed step')}`,
          `${paths.join(', ')}${more}. See the job summary for all of them.`
        )
      )
    }
    return out
  }

  if (status === 'TimedOut' || status === 'Stopped') {
    const cause = report?.rootCause as InterruptionCause | undefined
    const what = status === 'TimedOut' ? 'timed out' : 'was stopped'
    const reason = errorText(cause?.error ?? report?.error, cause?.cause ?? report?.cause)
    const running = runningText(cause?.running ?? report?.running ?? [], 'Running then')
    return [
      annotation(`${flow}: ${exec} ${what}`, [reason ?? what, running].filter(Boolean).join('. '))
    ]
  }

  if (ctx.waitTimedOut === true && (status === 'Running' || status === 'Starting')) {
    const waited = ctx.waitedMs !== undefined ? ` after ${formatDuration(ctx.waitedMs)}` : ''
    const running = runningText(report?.running ?? [], 'Running')
    return [
      annotation(
        `${flow}: ${exec} still running`,
        [`Stopped waiting${waited}; the execution is still ${status}`, running]
          .filter(Boolean)
          .join('. ')
      )
    ]
  }
  return []
}

function errorText(error: string | undefined, cause: string | undefined): string | undefined {
  if (error !== undefined && cause !== undefined) return `${error}: ${cause}`
  return error ?? cause
}

function runningText(running: readonly StepNode[], label: string): string {
  if (running.length === 0) return ''
  const paths = running.slice(0, 5).map((s) => s.pathText)
  const more = running.length > paths.length ? `, … (${running.length - paths.length} more)` : ''
  return `${label}: ${paths.join(', ')}${more}`
}

function annotation(title: string, message: string): Annotation {
  // Annotations are plain text: no escaping, but one line for the title and bounded sizes.
  return {
    title: truncate(cleanControl(title).replace(/\s*\n\s*/g, ' '), TITLE_CHARS),
    message: truncate(cleanControl(message), MESSAGE_CHARS)
  }
}
