/**
 * The two shapes a flow definition has, and where each keeps its steps. Pure.
 *
 * Legacy FDL (`version: v1`, `type: flow`, alibabacloud.com/help/doc-detail/193803.htm): `steps:`
 * of `name:`/`type:`; `parallel` has `branches:` each with `steps:`; `foreach` has `steps:`;
 * `choice` has `choices:` each with `steps:` (or `goto`) and `default:` with `steps:` (or `goto`)
 * (alibabacloud.com/help/en/serverless-workflow/latest/choice-steps).
 *
 * CloudFlow (`Type: StateMachine`, `SpecVersion: v1`, alibabacloud.com/help/en/serverless-workflow/
 * latest/process-definition-introduction): `States:` of `Name:`/`Type:`; `Parallel` has
 * `Branches:` each with `StartAt`/`States:` (…/latest/parallel); `Map` has `Processor:` with
 * `StartAt`/`States:` in inline and in distributed mode alike, the mode being `ProcessorConfig`
 * (`ExecutionMode: Express` in the 2024 page, "the mode specified by ProcessorConfig" in the 2026
 * one; …/latest/inline-mode, …/latest/distributed-mode), and a distributed Map's sub-workflow runs
 * "the state transition definitions of the Map processor"; `Choice` has `Branches:` of
 * `Condition`/`Next` and a `Default` state name (…/latest/select-choice): it only jumps to states of
 * its own list, so it holds no steps.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type YAMLMap,
  type YAMLSeq
} from 'yaml'

export type DefinitionFormat = 'fdl' | 'cloudflow'

/** What a step is to a path through the definition. */
export type StepShape = 'parallel' | 'foreach' | 'choice' | 'task' | 'other'

export interface FormatRules {
  readonly format: DefinitionFormat
  readonly title: string
  readonly stepsKey: string
  readonly nameKey: string
  readonly typeKey: string
  /** A parallel's list of branches. */
  readonly branchesKey: string
  /** Step type (as written) → its shape. */
  readonly shapes: Readonly<Record<string, StepShape>>
  /** Parallel: one step list per branch, by branch index (undefined where a branch has none). */
  branches(step: YAMLMap, doc: Document.Parsed): Array<YAMLSeq | undefined>
  /** Foreach / Map: the steps every iteration runs. */
  body(step: YAMLMap, doc: Document.Parsed): YAMLSeq | undefined
  /** Choice: the step lists of its choices (and default) that run in the choice's own thread. */
  choices(step: YAMLMap, doc: Document.Parsed): Array<YAMLSeq | undefined>
}

const FDL: FormatRules = {
  format: 'fdl',
  title: 'legacy FDL',
  stepsKey: 'steps',
  nameKey: 'name',
  typeKey: 'type',
  branchesKey: 'branches',
  shapes: { parallel: 'parallel', foreach: 'foreach', choice: 'choice', task: 'task' },
  branches: (step, doc) => listsOf(member(step, 'branches', doc), 'steps', doc),
  body: (step, doc) => seq(member(step, 'steps', doc), doc),
  choices: (step, doc) => [
    ...listsOf(member(step, 'choices', doc), 'steps', doc),
    seq(member(mapping(member(step, 'default', doc), doc), 'steps', doc), doc)
  ]
}

const CLOUDFLOW: FormatRules = {
  format: 'cloudflow',
  title: 'CloudFlow',
  stepsKey: 'States',
  nameKey: 'Name',
  typeKey: 'Type',
  branchesKey: 'Branches',
  shapes: { Parallel: 'parallel', Map: 'foreach', Choice: 'choice', Task: 'task' },
  branches: (step, doc) => listsOf(member(step, 'Branches', doc), 'States', doc),
  body: (step, doc) =>
    seq(member(mapping(member(step, 'Processor', doc), doc), 'States', doc), doc),
  choices: () => []
}

/**
 * The rules for a document's top level: CloudFlow when it says `Type: StateMachine` or has
 * `States`, legacy FDL when it says `type: flow` or has `steps`.
 */
export function formatOf(doc: Document.Parsed): FormatRules | undefined {
  const root = mapping(doc.contents, doc)
  if (root === undefined) return undefined
  if (text(member(root, 'Type', doc)) === 'StateMachine' || root.has('States')) return CLOUDFLOW
  if (text(member(root, 'type', doc)) === 'flow' || root.has('steps')) return FDL
  return undefined
}

/** A mapping's value under `key`, aliases resolved. */
export function member(
  map: YAMLMap | undefined,
  key: string,
  doc: Document.Parsed
): Node | undefined {
  if (map === undefined) return undefined
  return resolved(map.get(key, true) as Node | undefined, doc)
}

export function resolved(node: Node | null | undefined, doc: Document.Parsed): Node | undefined {
  if (node === null || node === undefined) return undefined
  return isAlias(node) ? node.resolve(doc) : node
}

export function mapping(node: Node | null | undefined, doc: Document.Parsed): YAMLMap | undefined {
  const value = resolved(node, doc)
  return isMap(value) ? value : undefined
}

export function seq(node: Node | null | undefined, doc: Document.Parsed): YAMLSeq | undefined {
  const value = resolved(node, doc)
  return isSeq(value) ? value : undefined
}

/** A scalar as the service reads a name: the string, or a number or boolean as it was written. */
export function text(node: Node | undefined): string | undefined {
  if (!isScalar(node)) return undefined
  if (typeof node.value === 'string') return node.value
  return node.source ?? String(node.value)
}

function listsOf(
  list: Node | undefined,
  key: string,
  doc: Document.Parsed
): Array<YAMLSeq | undefined> {
  const items = isSeq(list) ? list.items : []
  return items.map((item) => seq(member(mapping(item as Node, doc), key, doc), doc))
}
