/**
 * Error annotations for the run page. Pure: the caller passes each to `core.error(message, {title})`.
 *
 * GitHub keeps at most 10 error annotations per step and drops the rest silently, so a failure in
 * many places (a foreach failing in 40 iterations) gets 9 annotations and a 10th that says how many
 * more there are, instead of losing the count.
 */
import { formatDuration, plural, sentences } from './format.js'
import type { StepNode } from '../history/index.js'
import { cleanControl, truncate } from '../history/text.js'
import type { ExecutionView, MultiView } from './view.js'

export interface Annotation {
  title: string
  message: string
}

export interface AnnotationOptions {
  /** Annotations per step; default 10 (GitHub's limit for errors). */
  max?: number
}

const MESSAGE_CHARS = 2000
const TITLE_CHARS = 200

/** One execution: one per blamed step, or one for a stop, a timeout or the end of our wait. */
export function buildAnnotations(
  view: ExecutionView,
  options: AnnotationOptions = {}
): Annotation[] {
  const { blame, status } = view
  const max = Math.max(1, options.max ?? 10)
  const flow = `FnF ${view.flowName}`
  const exec = `execution ${view.executionName}`

  switch (blame.kind) {
    case 'failed': {
      const { step, others } = blame
      if (step === undefined || (others.length === 0 && step.path.length === 0)) {
        return [
          annotation(`${flow}: ${exec} failed`, errorText(step?.error, step?.cause) ?? 'failed')
        ]
      }
      const causes = [step, ...others]
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
    case 'stopped':
    case 'timedOut': {
      const what = blame.kind === 'timedOut' ? 'timed out' : 'was stopped'
      const reason = errorText(blame.error, blame.cause)
      const running = runningText(blame.running, 'Running then')
      return [annotation(`${flow}: ${exec} ${what}`, sentences([reason ?? what, running]))]
    }
    case 'waitEnded': {
      const waited = view.waitedMs !== undefined ? ` after ${formatDuration(view.waitedMs)}` : ''
      const running = runningText(blame.running, 'Running')
      return [
        annotation(
          `${flow}: ${exec} still running`,
          sentences([`Stopped waiting${waited}; the execution is still ${status}`, running])
        )
      ]
    }
    case 'none':
      return []
  }
}

/**
 * Several executions: one annotation per failed one (its first), most severe first; past the cap,
 * the last one counts the rest so none is lost without a trace.
 */
export function buildMultiAnnotations(
  view: MultiView,
  options: AnnotationOptions = {}
): Annotation[] {
  const max = Math.max(1, options.max ?? 10)
  const { failed } = view
  const shown = failed.length <= max ? failed : failed.slice(0, max - 1)
  const annotations = shown.map((one) => {
    const [first] = buildAnnotations(one, { max: 1 })
    return {
      title: `${one.executionName}: ${first?.title ?? one.flowName}`,
      message: first?.message ?? `Execution ${one.executionName} did not succeed.`
    }
  })
  const rest = failed.slice(shown.length)
  if (rest.length === 0) return annotations
  const names = rest.slice(0, 50).map((one) => one.executionName)
  return [
    ...annotations,
    {
      title: `${rest.length} more executions did not succeed`,
      message: `${names.join(', ')}${rest.length > 50 ? ', …' : ''}. See the job summary for all of them.`
    }
  ]
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
