/**
 * A failed distributed Map's children grafted into the parent's report, pure: each failed child
 * that was read becomes a scope under its Map step (named by the child execution, holding the
 * child's own steps), and the Map step's root cause gives way to the children's, with the path
 * through the Map step (`process › <child> › fan-out › branch 0 › load`). So the blame, and with
 * it every output, message, annotation, summary, chart and comment, names the item that failed
 * and why. A Map whose MapRun succeeded (failures tolerated) is left as it is: shown, not blamed.
 */
import { blameOf, errorOf, type BlamedStep } from './blame.js'
import type { MapRunChild, MapRunDrill } from './map-run.js'
import { PATH_SEPARATOR, type ExecutionReport, type FailureCause, type StepNode } from './types.js'

/** The report with every failed Map's children grafted in; the report itself when none applies. */
export function withMapRuns(
  report: ExecutionReport,
  drills: readonly MapRunDrill[]
): ExecutionReport {
  let steps = report.steps
  let rootCauses = report.rootCauses
  for (const drill of drills) {
    if (drill.run?.Status === 'Succeeded' || drill.step.status !== 'Failed') continue
    const read = drill.failed.filter((c) => c.report !== undefined && c.report.steps.length > 0)
    if (read.length === 0) continue
    const grafts = read.map((child) => graftOf(child, drill.step.path))
    const grafted = graftInto(steps, drill.step.pathText, grafts)
    if (grafted === undefined) continue
    steps = grafted
    const causes = grafts.flatMap((g) => (g.cause === undefined ? [] : [g.cause]))
    const at = rootCauses.findIndex(
      (c) => c.kind === 'failure' && c.pathText === drill.step.pathText
    )
    if (at >= 0 && causes.length > 0) {
      rootCauses = [...rootCauses.slice(0, at), ...causes, ...rootCauses.slice(at + 1)]
    }
  }
  if (steps === report.steps) return report
  const out: ExecutionReport = { ...report, steps, rootCauses }
  const first = rootCauses[0]
  if (first !== undefined) out.rootCause = first
  return out
}

interface Graft {
  scope: StepNode
  /** The child's root cause, through the Map step; absent when its history names none. */
  cause?: FailureCause
}

/**
 * One child as a scope of its Map step. Its label is the child's execution name: the one thing
 * that finds it again in the console (children's names, and whether items have an index in
 * them, are undocumented).
 */
function graftOf(child: MapRunChild, mapPath: readonly string[]): Graft {
  const report = child.report!
  const name = child.execution.Name
  const prefix = [...mapPath, name]
  const copies = new Map<StepNode, StepNode>()
  const children = report.steps.map((s) => repath(s, prefix, copies))
  const scope: StepNode = {
    kind: 'iteration',
    name: mapPath.at(-1) ?? '',
    label: name,
    path: prefix,
    pathText: prefix.join(PATH_SEPARATOR),
    status: report.status === 'Succeeded' ? 'Succeeded' : 'Failed',
    handled: false,
    implicit: false,
    attempts: 0,
    attemptList: [],
    unknownEvents: report.unknownEvents,
    unknownEventCount: report.unknownEventCount,
    children,
    firstEventId: 0,
    ...times(report),
    ...(report.error !== undefined ? { error: report.error } : {})
  }
  const cause = causeOf(report, scope, copies)
  return cause === undefined ? { scope } : { scope, cause }
}

/** The child's blame as a root cause of the parent: the failed step, or its stop or timeout. */
function causeOf(
  report: ExecutionReport,
  scope: StepNode,
  copies: ReadonlyMap<StepNode, StepNode>
): FailureCause | undefined {
  const blame = blameOf({ status: report.status, report, waitTimedOut: false })
  if (blame.kind === 'failed' && blame.step !== undefined) {
    const original = report.rootCauses.find((c) => c.kind === 'failure')
    const step = original?.kind === 'failure' && original.step ? copies.get(original.step) : scope
    return failure(scope, blame.step, step ?? scope)
  }
  if (blame.kind === 'stopped' || blame.kind === 'timedOut') {
    // The child as a whole is the failure: its stop's or timeout's error and cause.
    const whole: BlamedStep = {
      path: [],
      pathText: '',
      ...errorOf(blame),
      attempts: 0,
      attemptList: []
    }
    return failure(scope, whole, scope)
  }
  return undefined
}

function failure(scope: StepNode, blamed: BlamedStep, step: StepNode): FailureCause {
  const path = [...scope.path, ...blamed.path]
  const cause: FailureCause = {
    kind: 'failure',
    path,
    pathText: path.join(PATH_SEPARATOR),
    step,
    attempts: blamed.attempts
  }
  for (const key of ['error', 'cause', 'causeRaw', 'causeType'] as const) {
    const value = blamed[key]
    if (value !== undefined) cause[key] = value
  }
  const at = step.endedAt ?? scope.endedAt
  if (at !== undefined) cause.at = at
  return cause
}

/** The node and everything under it with `prefix` before its path. */
function repath(
  node: StepNode,
  prefix: readonly string[],
  copies: Map<StepNode, StepNode>
): StepNode {
  const path = [...prefix, ...node.path]
  const copy: StepNode = {
    ...node,
    path,
    pathText: path.join(PATH_SEPARATOR),
    children: node.children.map((c) => repath(c, prefix, copies))
  }
  copies.set(node, copy)
  return copy
}

/** `steps` with the grafts under the node at `pathText`; undefined when no node is there. */
function graftInto(
  steps: readonly StepNode[],
  pathText: string,
  grafts: readonly Graft[]
): StepNode[] | undefined {
  let found = false
  const visit = (nodes: readonly StepNode[]): StepNode[] =>
    nodes.map((n) => {
      if (found) return n
      if (n.pathText === pathText) {
        found = true
        return { ...n, children: [...n.children, ...grafts.map((g) => g.scope)] }
      }
      if (!pathText.startsWith(n.pathText + PATH_SEPARATOR)) return n
      return { ...n, children: visit(n.children) }
    })
  const out = visit(steps)
  return found ? out : undefined
}

function times(report: ExecutionReport): Partial<StepNode> {
  const out: { startedAt?: number; endedAt?: number; durationMs?: number } = {}
  if (report.startedAt !== undefined) out.startedAt = report.startedAt
  if (report.stoppedAt !== undefined) out.endedAt = report.stoppedAt
  if (report.durationMs !== undefined) out.durationMs = report.durationMs
  return out
}
