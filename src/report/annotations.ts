/**
 * Error annotations for the run page. Pure: the caller passes each to
 * `log.error(message, {title, file, startLine, endLine})`. A failed step placed in the
 * workspace's flow definition (`view.locations`) is annotated at its lines, which GitHub shows in
 * the pull request's "Files changed"; a failure the flow caught, at its step, as a warning.
 *
 * GitHub keeps at most 10 error annotations per step and drops the rest silently, so a failure in
 * many places (a foreach failing in 40 iterations) gets 9 annotations and a 10th that says how many
 * more there are, instead of losing the count.
 */
import { flowLabel, formatDuration, plural, sentences } from './format.js'
import type { StepNode } from '../history/index.js'
import { cleanControl, truncate } from '../history/text.js'
import {
  DIFFERENT_DEFINITION,
  type DefinitionPlace,
  type ExecutionView,
  type MultiView
} from './view.js'

export interface Annotation {
  title: string
  message: string
  /** Where it points in the workspace, when the step was found in the flow definition. */
  file?: string
  startLine?: number
  endLine?: number
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
  const flow = `FnF ${flowLabel(view.flowName, view.qualifier)}`
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
        const place = view.locations?.steps.get(c.pathText)
        return annotation(`${flow}: ${c.pathText}`, `${text}${attempts}`, place)
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
    // Room for two: with one, several failed steps would leave only the line that counts them.
    const [first] = buildAnnotations(one, { max: 2 })
    return {
      ...first,
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

/**
 * Failures the flow caught and went on from, each at its step in the definition (only those placed
 * there: without a line to point at, the timeline's "(caught)" says it). Warnings, never errors:
 * none of them failed the execution. Several executions: each one's, most severe first.
 */
export function buildCaughtAnnotations(
  views: readonly ExecutionView[],
  options: AnnotationOptions = {}
): Annotation[] {
  const max = Math.max(0, options.max ?? 10)
  const all = views.flatMap((view) =>
    (view.locations?.caught ?? []).map((caught) => {
      const who = views.length > 1 ? `${view.executionName}: ` : ''
      const text = errorText(caught.error, caught.cause) ?? 'failed'
      const times = caught.count > 1 ? ` (caught ${caught.count} times at this step)` : ''
      return annotation(
        `${who}FnF ${view.flowName}: ${caught.pathText} (caught)`,
        `${text}${times}. The flow caught this failure and went on.`,
        caught.place
      )
    })
  )
  return all.slice(0, max)
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

function annotation(title: string, message: string, place?: DefinitionPlace): Annotation {
  // Annotations are plain text: no escaping, but one line for the title and bounded sizes.
  const note =
    place !== undefined && !place.sameDefinition
      ? `${capitalized(DIFFERENT_DEFINITION)}.`
      : undefined
  const room = note === undefined ? MESSAGE_CHARS : MESSAGE_CHARS - note.length - 1
  const text = truncate(cleanControl(message), room)
  return {
    title: truncate(cleanControl(title).replace(/\s*\n\s*/g, ' '), TITLE_CHARS),
    message: note === undefined ? text : `${text}\n${note}`,
    ...(place !== undefined
      ? { file: place.file, startLine: place.startLine, endLine: place.endLine }
      : {})
  }
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
