import type { Execution } from './fnf/types.js'
import type { ExecutionReport } from './report/index.js'

/**
 * GitHub caps a job's outputs at 1 MB, "approximated based on UTF-16 encoding" (2 bytes per code
 * unit). We keep all of this step's outputs under that with room for the rest of the job.
 */
export const OUTPUT_BUDGET_BYTES = 1_000_000
/** `input` echoes what the caller already has; it gets at most this share so `output` keeps the room. */
const INPUT_SHARE = 0.2

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
}

export function utf16Bytes(text: string): number {
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

export interface OutputPlan {
  values: OutputValues
  /** The whole output, when it must also go to a file (asked for, or cut to fit). */
  fileContent?: string
}

/**
 * Decides every output from what is known of the execution. `outputFile` is where the whole output
 * is written when the `output-file` input is set or the output does not fit.
 */
export function planOutputs(args: {
  flowName: string
  executionName: string
  execution?: Execution
  /** The history report, when the history was read. */
  report?: ExecutionReport
  waitTimedOut: boolean
  outputFile?: string
  defaultOutputFile: () => string
  budgetBytes?: number
}): OutputPlan {
  const { execution } = args
  const budget = args.budgetBytes ?? OUTPUT_BUDGET_BYTES
  const fullOutput = execution?.Output ?? ''
  const base = {
    status: execution?.Status ?? '',
    'execution-name': args.executionName,
    'flow-name': args.flowName,
    'started-time': execution?.StartedTime ?? '',
    'stopped-time': execution?.StoppedTime ?? '',
    'duration-seconds': execution ? durationSeconds(execution) : '',
    'wait-timed-out': String(args.waitTimedOut),
    ...failureOutputs(args.report)
  }
  // Names, values and the file path are small; reserve generously for them.
  const fixed = Object.entries(base).reduce((n, [k, v]) => n + utf16Bytes(k + v), 0) + 8192
  const input = cutUtf16(execution?.Input ?? '', (budget - fixed) * INPUT_SHARE)
  const outputRoom = budget - fixed - utf16Bytes(input)
  const truncated = utf16Bytes(fullOutput) > outputRoom
  const output = truncated ? cutUtf16(fullOutput, outputRoom) : fullOutput

  const wantsFile = execution !== undefined && (args.outputFile !== undefined || truncated)
  const filePath = wantsFile ? (args.outputFile ?? args.defaultOutputFile()) : ''
  return {
    values: {
      ...base,
      input,
      output,
      'output-file': filePath,
      'output-truncated': String(truncated)
    },
    ...(wantsFile ? { fileContent: fullOutput } : {})
  }
}

/**
 * The root cause as outputs: the failed step's path and its error and cause; for a stopped or
 * timed-out execution, the stop's or timeout's error and cause (no single step is to blame).
 */
function failureOutputs(
  report: ExecutionReport | undefined
): Pick<OutputValues, 'failed-step' | 'error' | 'cause' | 'history-events'> {
  const root = report?.rootCause
  return {
    'failed-step': root?.kind === 'failure' ? root.pathText : '',
    error: root?.error ?? report?.error ?? '',
    cause: root?.cause ?? report?.cause ?? '',
    'history-events': report ? String(report.stats.events) : ''
  }
}
