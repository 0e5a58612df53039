/**
 * Live progress lines from a history snapshot: which steps are running now, and which failures
 * were caught since the last look. Pure: the caller decides when to read and when to log.
 */
import type { ExecutionReport, StepNode } from '../history/index.js'
import { formatDuration } from './format.js'

/** More running steps than this are rolled up by the foreach or parallel step that runs them. */
export const LISTED_STEPS = 3
const LINE_CHARS = 1000

export interface RunningLine {
  /** The running steps and their attempts: a line is logged only when this changes. */
  key: string
  /** `Running: fanout › branch 1 › push-image (attempt 2, 3m 10s)`; undefined when none run. */
  text: string | undefined
}

/**
 * What is running, innermost steps only. Up to LISTED_STEPS are named with their attempt and how
 * long they have run; beyond that, steps under iterations (or branches) of the same foreach (or
 * parallel) become one part, `12 iterations of each-region`.
 */
export function runningLine(report: ExecutionReport, now: number): RunningLine {
  const leaves = runningLeaves(report.steps)
  const key = leaves.map((l) => `${l.node.pathText}#${l.node.attempts}`).join('\n')
  if (leaves.length === 0) return { key, text: undefined }
  const listed = (l: Leaf): string => `${safe(l.node.pathText)}${details(l.node, now)}`
  let parts: string[]
  if (leaves.length <= LISTED_STEPS) {
    parts = leaves.map(listed)
  } else {
    // Group by the innermost scope's owner; a group of one scope stays a plain step.
    const groups = new Map<StepNode, { scopes: Set<StepNode>; leaves: Leaf[] }>()
    const alone: Leaf[] = []
    for (const l of leaves) {
      if (l.scope === undefined || l.owner === undefined) {
        alone.push(l)
        continue
      }
      let g = groups.get(l.owner)
      if (!g) groups.set(l.owner, (g = { scopes: new Set(), leaves: [] }))
      g.scopes.add(l.scope)
      g.leaves.push(l)
    }
    parts = []
    for (const [owner, g] of groups) {
      if (g.scopes.size < 2) {
        alone.push(...g.leaves)
        continue
      }
      const kind = [...g.scopes][0]!.kind === 'iteration' ? 'iterations' : 'branches'
      parts.push(`${g.scopes.size} ${kind} of ${safe(owner.name)}`)
    }
    const shown = alone.slice(0, LISTED_STEPS)
    parts.push(...shown.map(listed))
    if (alone.length > shown.length) parts.push(`${alone.length - shown.length} more steps`)
  }
  const text = `Running: ${parts.join('; ')}`
  return { key, text: text.length > LINE_CHARS ? `${text.slice(0, LINE_CHARS)}…` : text }
}

/** Failed steps the flow went on after, each identified by the event that opened it. */
export function caughtFailures(report: ExecutionReport): Array<{ id: number; text: string }> {
  const out: Array<{ id: number; text: string }> = []
  const visit = (nodes: readonly StepNode[]): void => {
    for (const n of nodes) {
      if (n.status === 'Failed' && n.handled && n.kind !== 'branch' && n.kind !== 'iteration') {
        const why = [n.error, n.cause].filter((s) => s !== undefined && s !== '').join(': ')
        out.push({
          id: n.firstEventId,
          text:
            `Caught: ${safe(n.pathText)} failed${why ? ` (${safe(why).slice(0, 300)})` : ''}` +
            '; the flow went on.'
        })
      }
      visit(n.children)
    }
  }
  visit(report.steps)
  return out
}

/**
 * Step names and causes come from the wire: one line, no control characters, so nothing in them
 * can start a workflow command (those need `::` at the start of a line).
 */
export function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
}

interface Leaf {
  node: StepNode
  /** The innermost iteration or branch holding it, and the foreach/parallel step owning that. */
  scope?: StepNode
  owner?: StepNode
}

function runningLeaves(steps: readonly StepNode[]): Leaf[] {
  const out: Leaf[] = []
  const visit = (nodes: readonly StepNode[], scope?: StepNode, owner?: StepNode): void => {
    for (const n of nodes) {
      if (n.status !== 'Running') continue
      const scoped = n.kind === 'iteration' || n.kind === 'branch'
      const inner = n.children.filter((c) => c.status === 'Running')
      if (inner.length === 0) {
        if (!scoped) out.push({ node: n, ...(scope && owner ? { scope, owner } : {}) })
        continue
      }
      if (scoped) visit(n.children, n, owner)
      else visit(n.children, scope, n)
    }
  }
  visit(steps)
  return out
}

function details(node: StepNode, now: number): string {
  const bits: string[] = []
  if (node.attempts > 1) bits.push(`attempt ${node.attempts}`)
  if (node.startedAt !== undefined) bits.push(formatDuration(Math.max(0, now - node.startedAt)))
  return bits.length > 0 ? ` (${bits.join(', ')})` : ''
}
