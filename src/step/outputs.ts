import type { Execution } from '../fnf/types.js'
import { blameFields } from '../history/blame.js'
import type { ExecutionReport } from '../history/index.js'
import type { ExecutionView } from '../report/view.js'
import { executionViewOf } from './build-view.js'
import { bySeverity, isUnsuccessful, type Tracked, worstStatus } from './execution-outcome.js'
import {
  type KeyedJson,
  keyedJson,
  type JsonValue,
  parsedJson,
  type ParsedText,
  piecesOf,
  wholeText
} from './keyed-json.js'

/**
 * GitHub caps a job's outputs at 1 MB, "approximated based on UTF-16 encoding" (2 bytes per code
 * unit). We keep all of this step's outputs under that with room for the rest of the job.
 */
export const OUTPUT_BUDGET_BYTES = 1_000_000
/** `input` echoes what the caller already has; it gets at most this share so `output` keeps the room. */
const INPUT_SHARE = 0.2
/** `results` may carry every execution's output only while that takes at most this share. */
const RESULTS_SHARE = 0.5
/** `execution-name` lists every name; past this share it lists the first ones that fit. */
const NAMES_SHARE = 0.1

export interface OutputValues {
  status: string
  output: string
  input: string
  'execution-name': string
  'flow-name': string
  'started-time': string
  'stopped-time': string
  'duration-seconds': string
  'wait-timed-out': string
  'output-file': string
  'output-truncated': string
  'failed-step': string
  error: string
  cause: string
  'history-events': string
  results: string
  /** What `qualifier` asked for ('' for the latest definition): no answer says which version ran. */
  qualifier: string
}

export interface OutputPlan {
  values: OutputValues
  /**
   * The whole output, when it must also go to a file (asked for, or cut to fit). Made when read:
   * the writer takes `filePieces` instead, so that a large output is never one more whole string.
   */
  readonly fileContent?: string
  /** `fileContent` in pieces that concatenate to it, each made when the writer asks for it. */
  filePieces?: () => Iterable<string>
  /** `output` itself was cut (`output-truncated` also covers `results` and `execution-name`). */
  outputCut: boolean
  /**
   * When `results` could not hold every execution even without their outputs: the whole of it,
   * for a file beside the output file (`resultsFile`), and how many entries the output kept.
   */
  resultsCut?: {
    file: string
    /** Made when read, like `fileContent`; the writer takes `pieces`. */
    readonly content: string
    pieces: () => Iterable<string>
    shown: number
    total: number
  }
  /** When `execution-name` lists only the first names that fit: how many it lists. */
  namesCut?: { shown: number; total: number }
}

export function utf16Bytes(text: { readonly length: number }): number {
  return text.length * 2
}

/** Cuts to at most `maxBytes` UTF-16 bytes without splitting a surrogate pair. */
export function cutUtf16(text: string, maxBytes: number): string {
  const units = Math.max(0, Math.floor(maxBytes / 2))
  if (text.length <= units) return text
  let end = units
  const last = text.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1
  return text.slice(0, end)
}

export function durationSeconds(execution: Pick<Execution, 'StartedTime' | 'StoppedTime'>): string {
  const start = Date.parse(execution.StartedTime ?? '')
  const stop = Date.parse(execution.StoppedTime ?? '')
  if (Number.isNaN(start) || Number.isNaN(stop)) return ''
  return String(Math.max(0, Math.round((stop - start) / 1000)))
}

/**
 * Decides every output from what is known of the executions. With one execution the outputs
 * describe it; with several, `status` is the worst outcome and `output`, `input` and `results`
 * are JSON objects keyed by execution name. `outputFile` is where the whole output is written
 * when the `output-file` input is set or the output does not fit.
 */
export function planOutputs(args: {
  flowName: string
  tracked: readonly Tracked[]
  /** The `qualifier` input, when given. */
  qualifier?: string
  outputFile?: string
  defaultOutputFile: () => string
  budgetBytes?: number
}): OutputPlan {
  const { tracked } = args
  const single = tracked.length === 1 ? tracked[0] : undefined
  const budget = args.budgetBytes ?? OUTPUT_BUDGET_BYTES
  const worst = bySeverity(tracked).find(isUnsuccessful)
  // Worked out once: `results` is planned up to three times over every execution.
  const failures = new Map(
    tracked.map((t) => [t, failureOutputs(executionViewOf(args.flowName, t))] as const)
  )
  const failureOf = (t?: Tracked): FailureOutputs =>
    (t && failures.get(t)) ?? failureOutputs(undefined)

  const names = fitLines(
    tracked.map((t) => t.name),
    budget * NAMES_SHARE
  )
  const base = {
    status: worstStatus(tracked),
    'execution-name': names.text,
    'flow-name': args.flowName,
    ...timeOutputs(tracked),
    'wait-timed-out': String(tracked.some((t) => t.state === 'wait-timed-out')),
    ...failureOf(worst),
    'history-events': historyEvents(tracked),
    qualifier: args.qualifier ?? ''
  }
  // Names, values and the file path are small; reserve generously for them.
  const fixed = Object.entries(base).reduce((n, [k, v]) => n + utf16Bytes(k + v), 0) + 8192
  let room = budget - fixed

  // Each output parsed and written back once, and held once: the same text serves `results`,
  // `output` and the output file.
  const outputs = new Map(tracked.map((t) => [t, parsedJson(t.execution?.Output)] as const))
  const outputOf = (t: Tracked): ParsedText => outputs.get(t) as ParsedText
  const withOutputs = keyedJson(tracked, nameOf, (t) => entryWithOutput(t, failureOf, outputOf))
  const fits = (text: { length: number }) => utf16Bytes(text) <= room * RESULTS_SHARE
  const whole = fits(withOutputs)
  const withoutOutputs = whole ? withOutputs.text() : JSON.stringify(resultsOf(tracked, failureOf))
  // Too many executions for even their statuses: the most severe that fit, the rest in a file.
  const cut = fits(withoutOutputs)
    ? undefined
    : fitResults(tracked, failureOf, room * RESULTS_SHARE)
  const results = cut?.text ?? withoutOutputs
  room -= utf16Bytes(results)

  const fullInput = single
    ? (single.execution?.Input ?? '')
    : keyedJson(tracked, nameOf, (t) => parsedJson(t.execution?.Input ?? t.input))
  const input = cutText(fullInput, room * INPUT_SHARE)
  room -= utf16Bytes(input)

  const fullOutput = single
    ? (single.execution?.Output ?? '')
    : keyedJson(tracked, nameOf, (t) => outputOf(t))
  const outputCut = utf16Bytes(fullOutput) > room
  const output = cutText(fullOutput, room)
  const known = tracked.some((t) => t.execution !== undefined)
  // When `results` had to leave the outputs out, the file is where they all are.
  const wantsFile =
    known && (args.outputFile !== undefined || outputCut || !whole || cut !== undefined)
  const outputFile = wantsFile ? (args.outputFile ?? args.defaultOutputFile()) : ''
  const truncated = outputCut || cut !== undefined || names.shown < tracked.length
  const plan: OutputPlan = {
    values: {
      ...base,
      results,
      input,
      output,
      'output-file': outputFile,
      'output-truncated': String(truncated)
    },
    outputCut,
    ...(names.shown < tracked.length
      ? { namesCut: { shown: names.shown, total: tracked.length } }
      : {})
  }
  if (wantsFile) {
    plan.filePieces = () => piecesOf(fullOutput)
    lazy(plan, 'fileContent', () => wholeText(fullOutput))
  }
  if (cut) {
    plan.resultsCut = {
      file: resultsFileBeside(outputFile || args.defaultOutputFile()),
      pieces: () => withOutputs.pieces(),
      shown: cut.shown,
      total: tracked.length
    } as NonNullable<OutputPlan['resultsCut']>
    lazy(plan.resultsCut, 'content', () => withOutputs.text())
  }
  return plan
}

/** A property made when read (and every time: the writer reads the pieces instead). */
function lazy<T extends object>(target: T, key: keyof T, make: () => string): void {
  Object.defineProperty(target, key, { get: make, enumerable: true })
}

const nameOf = (t: Tracked): string => t.name
/** `cutUtf16` of a text, whole or in pieces; one more unit so a surrogate pair is seen whole. */
function cutText(text: KeyedJson | string, maxBytes: number): string {
  if (typeof text === 'string') return cutUtf16(text, maxBytes)
  return cutUtf16(text.prefix(Math.max(0, Math.floor(maxBytes / 2)) + 1), maxBytes)
}

/** `…/executions.output.json` → `…/executions.results.json`; any other name gets the suffix. */
export function resultsFileBeside(outputFile: string): string {
  return `${outputFile.replace(/(\.output)?\.json$/, '')}.results.json`
}

/** The first lines that fit in `maxBytes` (joined by newlines), and how many that is. */
function fitLines(lines: readonly string[], maxBytes: number): { text: string; shown: number } {
  let bytes = 0
  let shown = 0
  for (const line of lines) {
    bytes += utf16Bytes(line) + 2
    if (bytes > maxBytes && shown > 0) break
    shown++
  }
  return { text: lines.slice(0, shown).join('\n'), shown }
}

/**
 * `results` for the most severe executions whose entries (without outputs) fit in `maxBytes`,
 * still keyed by name in the order given, so it stays valid JSON that a workflow can index.
 */
function fitResults(
  tracked: readonly Tracked[],
  failureOf: FailureOf,
  maxBytes: number
): { text: string; shown: number } {
  const entries = resultsOf(tracked, failureOf)
  const keep = new Set<string>()
  let bytes = 2
  for (const t of bySeverity(tracked)) {
    const size = utf16Bytes(JSON.stringify({ [t.name]: entries[t.name] })) // ≥ the entry plus a comma
    if (bytes + size > maxBytes) continue
    bytes += size
    keep.add(t.name)
  }
  const kept = Object.fromEntries(Object.entries(entries).filter(([name]) => keep.has(name)))
  return { text: JSON.stringify(kept), shown: keep.size }
}

function timeOutputs(
  tracked: readonly Tracked[]
): Pick<OutputValues, 'started-time' | 'stopped-time' | 'duration-seconds'> {
  const starts = tracked.map((t) => t.execution?.StartedTime ?? '')
  const stops = tracked.map((t) => t.execution?.StoppedTime ?? '')
  // Several executions: from the first start to the last end, once they have all ended.
  const first = starts.filter(Boolean).sort()[0] ?? ''
  const last = stops.every(Boolean) ? ([...stops].sort().at(-1) ?? '') : ''
  return {
    'started-time': first,
    'stopped-time': last,
    'duration-seconds': durationSeconds({ StartedTime: first, StoppedTime: last })
  }
}

type FailureOutputs = Pick<OutputValues, 'failed-step' | 'error' | 'cause'>
type FailureOf = (t: Tracked) => FailureOutputs

/**
 * The blame as outputs: the failed step's path and its error and cause; for a stopped or
 * timed-out execution, the stop's or timeout's error and cause (no single step is to blame); for
 * one that could not be followed, why. With several executions, those of the most severe one.
 */
export function failureOutputs(view: ExecutionView | undefined): FailureOutputs {
  const blamed = view ? blameFields(view.blame) : { step: '' }
  return {
    'failed-step': blamed.step,
    error: blamed.error ?? '',
    cause: blamed.cause ?? view?.problem ?? ''
  }
}

function historyEvents(tracked: readonly Tracked[]): string {
  const read = tracked.filter((t) => t.report !== undefined)
  return read.length === 0
    ? ''
    : String(read.reduce((n, t) => n + (t.report as ExecutionReport).stats.events, 0))
}

function resultsOf(tracked: readonly Tracked[], failureOf: FailureOf): Record<string, unknown> {
  return Object.fromEntries(tracked.map((t) => [t.name, entryOf(t, failureOf)]))
}

/**
 * A `results` entry, its `output` null: left out, or (given `output`) put in its place by
 * `entryWithOutput`, `output-truncated` then saying whether it is the whole output.
 */
function entryOf(t: Tracked, failureOf: FailureOf, output?: ParsedText): Record<string, unknown> {
  const failure = failureOf(t)
  return {
    status: t.execution?.Status ?? '',
    output: null,
    'output-truncated': outputCut(t, output),
    'failed-step': failure['failed-step'],
    error: failure.error,
    cause: failure.cause,
    'started-time': t.execution?.StartedTime ?? '',
    'stopped-time': t.execution?.StoppedTime ?? ''
  }
}

/**
 * A `results` entry with its output, as JSON: the entry's own text with the output's JSON in the
 * place of its null, so that the output's text is made only when the entry is written.
 */
function entryWithOutput(
  t: Tracked,
  failureOf: FailureOf,
  outputOf: (t: Tracked) => ParsedText
): JsonValue {
  const output = outputOf(t)
  const text = JSON.stringify(entryOf(t, failureOf, output))
  // `status` comes first, then `"output":null` (a `,"` never occurs inside a JSON string).
  const at = text.indexOf(',"output":null,') + ',"output":'.length
  return {
    length: text.length - 'null'.length + output.length,
    json: () => text.slice(0, at) + output.json() + text.slice(at + 'null'.length)
  }
}

/**
 * Whether a `results` entry's `output` is less than the execution's whole output, so that a null or
 * a string there is never taken for the output itself: left out to fit (null), not JSON as the
 * service gave it (cut, or broken: the raw text), or none at all from an execution that succeeded
 * (a success always has one).
 */
function outputCut(t: Tracked, output: ParsedText | undefined): boolean {
  const text = t.execution?.Output
  if (text === undefined || text === '') return t.execution?.Status === 'Succeeded'
  return output === undefined || output.raw
}
