/** Human formats for times, durations and statuses, shared by the summary and the PR comment. */
import type { ExecutionStatus } from '../fnf/types.js'
import type { StepNode } from '../history/index.js'

export type ReportStatus = ExecutionStatus | 'Unknown'

export const STATUS_ICON: Record<ReportStatus, string> = {
  Succeeded: '✅',
  Failed: '❌',
  TimedOut: '⏱️',
  Stopped: '⏹️',
  Running: '⏳',
  Starting: '⏳',
  Unknown: '❔'
}

const STEP_ICON: Record<StepNode['status'], string> = {
  Succeeded: '✅',
  Failed: '❌',
  Running: '⏳',
  Interrupted: '⏹️'
}

export function stepIcon(node: Pick<StepNode, 'status' | 'handled'>): string {
  // A caught failure did not fail anything: a warning sign, not a red cross.
  return node.status === 'Failed' && node.handled ? '⚠️' : STEP_ICON[node.status]
}

/** `850 ms`, `12.3 s`, `4m 05s`, `2h 03m`, `3d 4h`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`
  const s = Math.floor(ms / 1000)
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`
  return `${Math.floor(s / 86_400)}d ${Math.floor(s / 3600) % 24}h`
}

/** `2024-06-24 02:58:42 UTC`: runners and people in any time zone read the same thing. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—'
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** When a step started, relative to the execution's start (`+1m 05s`); absolute if unknown. */
export function formatOffset(ms: number | undefined, origin: number | undefined): string {
  if (ms === undefined) return '—'
  if (origin === undefined) return formatTime(ms)
  const d = ms - origin
  return d < 0 ? formatTime(ms) : `+${formatDuration(d)}`
}

/** `4,231` */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}

/** `release-pipeline @ canary`: the flow, and the version or alias the step started, if any. */
export function flowLabel(flowName: string, qualifier: string | undefined): string {
  return qualifier === undefined ? flowName : `${flowName} @ ${qualifier}`
}

/**
 * `Alias canary runs version 1 (90 %) or version 2 (10 %), …`: each version's share of the
 * weights (which need not add up to 100), and, with two, that no answer says which one ran.
 */
export function routingText(routing: {
  alias: string
  routes: ReadonlyArray<{ version: string; weight: number }>
}): string {
  const { alias, routes } = routing
  if (routes.length === 1) return `Alias ${alias} runs version ${routes[0]!.version}`
  const total = routes.reduce((sum, r) => sum + r.weight, 0)
  const shares = routes.map(
    (r) =>
      `version ${r.version} (${total > 0 ? `${Math.round((r.weight / total) * 100)} %` : `weight ${r.weight}`})`
  )
  return (
    `Alias ${alias} runs ${shares.join(' or ')}, chosen by weight for each execution; the ` +
    'service does not report which version an execution ran'
  )
}

/**
 * Parts joined into sentences, empty ones left out: a part's own final period (a flow's cause
 * often has one) never doubles the one that joins it to the next.
 */
export function sentences(parts: ReadonlyArray<string | undefined>): string {
  const kept = parts.filter((part): part is string => Boolean(part))
  return kept.map((part, i) => (i < kept.length - 1 ? part.replace(/\.+$/, '') : part)).join('. ')
}
