/**
 * Where each failed step is written in the workspace, looked up after the histories are read: for
 * each execution with a failed step (blamed or caught), the file holding the definition it ran
 * (the `definition` input, else the one tracked file equal to DescribeExecution's FlowDefinition),
 * each step's lines in it, and the link to them on GitHub. definition/ and its YAML parser (a
 * quarter of the bundle) are loaded only when there is a failure to place. Never throws: a
 * definition that cannot be found or read leaves the report as it was, with a warning or a debug
 * line saying why.
 */
import * as log from '../base/log.js'
import { errorMessage } from '../base/error-text.js'
import type { Config } from '../config/inputs.js'
import type { ExecutionReport, StepNode } from '../history/index.js'
import { readEvent } from '../report/publish.js'
import type { CaughtPlace, DefinitionLocations, DefinitionPlace } from '../report/view.js'
import type { Tracked } from './execution-outcome.js'

type DefinitionModule = typeof import('../definition/index.js')
type FindOutcome = Awaited<ReturnType<DefinitionModule['findDefinition']>>
type Found = Extract<FindOutcome, { kind: 'found' }>
type LocationOutcome = ReturnType<DefinitionModule['locationOf']>
type Env = Record<string, string | undefined>

/** A failed step and the steps (with branches and iterations) from the top level down to it. */
export interface FailedStep {
  readonly node: StepNode
  readonly chain: readonly StepNode[]
}

/**
 * Pure: the steps to place. Blamed: the root causes' steps, in blame order. Caught: each failed
 * step the flow went on from with no failed step inside it (the one that failed, not the steps
 * around it that caught it), in the order they started.
 */
export function failedSteps(report: ExecutionReport): {
  blamed: FailedStep[]
  caught: FailedStep[]
} {
  const wanted = report.rootCauses.flatMap((c) => (c.kind === 'failure' && c.step ? [c.step] : []))
  // By the event that opened it: a foreach can fail in thousands of iterations.
  const byEvent = new Map(wanted.map((w) => [w.firstEventId, w]))
  const blamed = new Map<StepNode, FailedStep>()
  const caught: FailedStep[] = []
  const visit = (nodes: readonly StepNode[], above: readonly StepNode[]): boolean => {
    let failedBelow = false
    for (const node of nodes) {
      const chain = [...above, node]
      const inner = visit(node.children, chain)
      const step = node.kind !== 'branch' && node.kind !== 'iteration'
      const failed = step && node.status === 'Failed'
      if (failed && node.handled && !inner) caught.push({ node, chain })
      // The report's root causes may hold a copy of a tree node rather than the node itself.
      const match = byEvent.get(node.firstEventId)
      if (match?.pathText === node.pathText && !blamed.has(match))
        blamed.set(match, { node, chain })
      failedBelow ||= inner || failed
    }
    return failedBelow
  }
  visit(report.steps, [])
  return {
    blamed: wanted.flatMap((w) => blamed.get(w) ?? []),
    caught: caught.sort((a, b) => a.node.firstEventId - b.node.firstEventId)
  }
}

/**
 * Each execution's places, by execution name; an execution with none is absent. Logs why a
 * definition or a step was not placed: a warning for the `definition` input's fault, else a debug
 * line.
 */
export async function locateFailures(
  config: Config,
  outcomes: readonly Tracked[],
  env: Env
): Promise<ReadonlyMap<string, DefinitionLocations>> {
  const located = new Map<string, DefinitionLocations>()
  const todo = outcomes.flatMap((t) => {
    const steps = t.report ? failedSteps(t.report) : undefined
    return steps && steps.blamed.length + steps.caught.length > 0 ? [{ t, steps }] : []
  })
  if (todo.length === 0) return located
  try {
    const definition = await import('../definition/index.js')
    const lookup = new Lookup(definition, config, env)
    for (const { t, steps } of todo) {
      const places = await lookup.places(t, steps)
      if (places !== undefined) located.set(t.name, places)
    }
  } catch (error) {
    log.warning(`Could not look for the flow definition in the workspace: ${errorMessage(error)}`)
  }
  return located
}

/** The lookups of one run of the action: each definition looked for once, each reason said once. */
class Lookup {
  private readonly found = new Map<string, Promise<FindOutcome>>()
  private readonly located = new WeakMap<Found, Map<string, LocationOutcome>>()
  private readonly said = new Set<string>()
  private readonly event: unknown

  constructor(
    private readonly definition: DefinitionModule,
    private readonly config: Config,
    private readonly env: Env
  ) {
    this.event = eventOf(env)
  }

  async places(
    t: Tracked,
    steps: { blamed: FailedStep[]; caught: FailedStep[] }
  ): Promise<DefinitionLocations | undefined> {
    const executed = t.execution?.FlowDefinition ?? ''
    if (executed.trim() === '') {
      const line = `${t.name}: the service gave no FlowDefinition, so no step is placed in a file.`
      return this.once(line, log.debug)
    }
    const outcome = await this.find(t, executed)
    if (outcome.kind !== 'found') return undefined
    if (outcome.difference !== undefined) {
      this.once(`${outcome.file} is not what ${t.name} ran: ${outcome.difference}.`, log.debug)
    }
    const at = (step: FailedStep): DefinitionPlace | undefined => this.place(t, outcome, step)
    const stepPlaces = new Map<string, DefinitionPlace>()
    for (const step of steps.blamed) {
      const place = at(step)
      if (place !== undefined) stepPlaces.set(step.node.pathText, place)
    }
    const caught = byPlace(
      steps.caught.flatMap((step) => {
        const place = at(step)
        return place === undefined ? [] : [{ step: step.node, place }]
      })
    )
    return stepPlaces.size + caught.length > 0 ? { steps: stepPlaces, caught } : undefined
  }

  /** Looked for once per definition text; why none was found is said then, once. */
  private find(t: Tracked, executed: string): Promise<FindOutcome> {
    let outcome = this.found.get(executed)
    if (outcome === undefined) {
      const request = {
        workspace: this.config.workspace,
        input: this.config.definition,
        executed
      }
      outcome = this.definition.findDefinition(request).then((found) => {
        if (found.kind === 'error') this.once(found.message, log.warning)
        if (found.kind === 'none') {
          this.once(`No flow definition file for ${t.name}: ${found.reason}.`, log.debug)
        }
        return found
      })
      this.found.set(executed, outcome)
    }
    return outcome
  }

  private place(t: Tracked, found: Found, step: FailedStep): DefinitionPlace | undefined {
    const path = step.chain.map(({ kind, name, index }) => ({ kind, name, index }))
    // Every iteration runs the same steps: a foreach failing in 500 iterations is one lookup.
    const key = JSON.stringify(path.map((s) => (s.kind === 'iteration' ? { ...s, index: 0 } : s)))
    const known = this.located.get(found) ?? new Map<string, LocationOutcome>()
    this.located.set(found, known)
    let outcome = known.get(key)
    if (outcome === undefined) {
      outcome = this.definition.locationOf(found, path)
      known.set(key, outcome)
      if (outcome.kind === 'not-located') {
        this.once(`${t.name}: ${step.node.pathText} is not placed: ${outcome.reason}.`, log.debug)
      }
    }
    if (outcome.kind === 'not-located') return undefined
    const { location } = outcome
    const link = this.definition.blobUrl({
      serverUrl: this.env.GITHUB_SERVER_URL,
      repository: this.env.GITHUB_REPOSITORY,
      sha: this.env.GITHUB_SHA,
      event: this.event,
      ...location
    })
    if (link.kind === 'refused') this.once(`No link to the definition: ${link.reason}.`, log.debug)
    return { ...location, ...(link.kind === 'url' ? { url: link.url } : {}) }
  }

  private once(line: string, say: (message: string) => void): undefined {
    if (!this.said.has(line)) {
      this.said.add(line)
      say(line)
    }
    return undefined
  }
}

/** Caught failures at the same lines (one step caught in many iterations) as one, counted. */
function byPlace(found: Array<{ step: StepNode; place: DefinitionPlace }>): CaughtPlace[] {
  const groups = new Map<string, CaughtPlace>()
  for (const { step, place } of found) {
    const key = `${place.file}:${place.startLine}-${place.endLine}`
    const seen = groups.get(key)
    groups.set(
      key,
      seen !== undefined
        ? { ...seen, count: seen.count + 1 }
        : {
            pathText: step.pathText,
            ...(step.error !== undefined ? { error: step.error } : {}),
            ...(step.cause !== undefined ? { cause: step.cause } : {}),
            count: 1,
            place
          }
    )
  }
  return [...groups.values()]
}

/** The event payload, for a pull request's head SHA; a link is only an extra, so never a throw. */
function eventOf(env: Env): unknown {
  try {
    return readEvent(env)
  } catch {
    return undefined
  }
}
