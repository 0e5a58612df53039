/**
 * The lines of a step in a parsed definition, found from the step path the history model gives
 * (`src/history/types.ts`: top level down to the step, with `branch`/`iteration` nodes between a
 * parallel/foreach and its steps). Pure.
 *
 * - A branch node picks the parallel's branch by its 0-based index, then the step by name.
 * - An iteration node, or none, leads into a foreach/Map's steps: every iteration runs the same
 *   ones. "None" is also a distributed Map's child execution, whose steps are the processor's.
 * - A choice's steps run in the choice's own thread, so the history names them beside the choice:
 *   a name is looked for in the list and in every branch of every choice in it (and theirs).
 * - A name written more than once where the path leads (two choice branches both with a `notify`,
 *   or a parallel entered without a branch index) is ambiguous: the candidates are returned, and
 *   none is chosen.
 */
import {
  isCollection,
  isNode,
  isPair,
  type Document,
  type Node,
  type YAMLMap,
  type YAMLSeq
} from 'yaml'
import { formatOf, mapping, member, seq, text, type FormatRules, type StepShape } from './format.js'
import { lineOf, type ParsedDefinition } from './parse.js'
import { quote } from './text.js'

/** One node of a step path; `src/history/types.ts` StepNode has these fields. */
export interface PathSegment {
  readonly kind: 'task' | 'parallel' | 'foreach' | 'map' | 'step' | 'branch' | 'iteration'
  readonly name: string
  /** 0-based branch index (`branch`) or item index (`iteration`). */
  readonly index?: number | undefined
}

/** 1-based, both included: the step's whole mapping, from `- name: x` to its last line. */
export interface StepLines {
  startLine: number
  endLine: number
}

export type LocateOutcome =
  | ({ kind: 'found' } & StepLines)
  | { kind: 'not-found'; reason: string }
  | { kind: 'ambiguous'; reason: string; candidates: StepLines[] }

interface Step {
  /** The list item as written: the mapping, or an alias of one. */
  readonly item: Node
  readonly map: YAMLMap
  readonly name: string
  readonly type: string
  readonly shape: StepShape
}

interface Walk {
  readonly definition: ParsedDefinition
  readonly doc: Document.Parsed
  readonly rules: FormatRules
}

type Scope = { lists: YAMLSeq[] } | { reason: string }

export function locateStep(
  definition: ParsedDefinition,
  path: readonly PathSegment[]
): LocateOutcome {
  const doc = definition.document
  const rules = formatOf(doc)
  if (rules === undefined) {
    return notFound(
      'the file is neither a legacy FDL flow (`steps:`) nor a CloudFlow state machine (`States:`)'
    )
  }
  if (path.length === 0) return notFound('the step path is empty')
  const walk: Walk = { definition, doc, rules }
  const top = seq(member(mapping(doc.contents, doc), rules.stepsKey, doc), doc)
  let lists: YAMLSeq[] = top === undefined ? [] : [top]
  let step: Step | undefined
  let entered = true
  let branchItem: Node | undefined
  for (const segment of path) {
    if (segment.kind === 'branch' || segment.kind === 'iteration') {
      const scope = enter(walk, step, segment)
      if ('reason' in scope) return notFound(scope.reason)
      lists = scope.lists
      entered = true
      branchItem = segment.kind === 'branch' ? branchNode(walk, step, segment.index) : undefined
      continue
    }
    if (!entered && step !== undefined) {
      const scope = enterDirectly(walk, step, segment)
      if ('reason' in scope) return notFound(scope.reason)
      lists = scope.lists
    }
    const matches = named(walk, lists, segment.name)
    const where = step === undefined ? 'at the top level' : `inside ${quote(step.name)}`
    if (matches.length === 0) {
      return notFound(`the definition has no step named ${quote(segment.name)} ${where}`)
    }
    if (matches.length > 1) {
      return {
        kind: 'ambiguous',
        reason: `the definition has ${matches.length} steps named ${quote(segment.name)} ${where}`,
        candidates: matches.map((m) => linesOf(definition, m.item))
      }
    }
    const match = matches[0]!
    const clash = kindClash(segment, match, rules)
    if (clash !== undefined) return notFound(clash)
    step = match
    entered = false
    branchItem = undefined
  }
  // A path ending in a branch points at the branch; one ending in an iteration, at the foreach.
  const at = branchItem ?? step?.item
  if (at === undefined) return notFound('the step path names no step')
  return { kind: 'found', ...linesOf(definition, at) }
}

function enter(walk: Walk, step: Step | undefined, segment: PathSegment): Scope {
  const { doc, rules } = walk
  if (step === undefined) {
    return { reason: `the step path starts with a ${segment.kind} of ${quote(segment.name)}` }
  }
  if (segment.name !== step.name) {
    return {
      reason: `the step path goes from ${quote(step.name)} into a ${segment.kind} of ${quote(segment.name)}`
    }
  }
  if (segment.kind === 'iteration') {
    if (step.shape !== 'foreach') return { reason: notA(step, 'foreach/Map', 'iterations') }
    const body = rules.body(step.map, doc)
    return body === undefined ? { reason: `${quote(step.name)} has no steps` } : { lists: [body] }
  }
  if (step.shape !== 'parallel') return { reason: notA(step, 'parallel', 'branches') }
  const branches = rules.branches(step.map, doc)
  const index = segment.index
  if (index === undefined) return { lists: present(branches) }
  if (!Number.isInteger(index) || index < 0 || index >= branches.length) {
    return {
      reason:
        `${quote(step.name)} has ${branches.length} branch${branches.length === 1 ? '' : 'es'} in ` +
        `the definition; the history ran branch ${index} (counted from 0)`
    }
  }
  const list = branches[index]
  return list === undefined
    ? { reason: `branch ${index} of ${quote(step.name)} has no steps` }
    : { lists: [list] }
}

/** A path that goes on from a step straight to a step inside it (no branch or iteration node). */
function enterDirectly(walk: Walk, step: Step, next: PathSegment): Scope {
  const { doc, rules } = walk
  switch (step.shape) {
    case 'parallel':
      return { lists: present(rules.branches(step.map, doc)) }
    case 'foreach': {
      const body = rules.body(step.map, doc)
      return { lists: body === undefined ? [] : [body] }
    }
    case 'choice':
      return { lists: present(rules.choices(step.map, doc)) }
    default:
      return {
        reason: `${quote(step.name)} is a ${quote(step.type)} step, which holds no steps, yet the path goes on to ${quote(next.name)}`
      }
  }
}

/** Steps named `name` in the lists and, through choices, in the lists those hold. */
function named(walk: Walk, lists: readonly YAMLSeq[], name: string): Step[] {
  const found: Step[] = []
  const seen = new Set<YAMLSeq>()
  const pending = [...lists]
  for (let list = pending.pop(); list !== undefined; list = pending.pop()) {
    if (seen.has(list)) continue // an alias can list a list twice, or inside itself
    seen.add(list)
    for (const item of list.items) {
      const step = readStep(walk, item as Node)
      if (step === undefined) continue
      if (step.name === name) found.push(step)
      if (step.shape === 'choice') pending.push(...present(walk.rules.choices(step.map, walk.doc)))
    }
  }
  // Pending is a stack: report candidates in the order they are written.
  return found.sort((a, b) => start(a.item) - start(b.item))
}

function readStep(walk: Walk, item: Node): Step | undefined {
  const { doc, rules } = walk
  const map = mapping(item, doc)
  if (map === undefined) return undefined
  const name = text(member(map, rules.nameKey, doc))
  if (name === undefined) return undefined
  const type = text(member(map, rules.typeKey, doc)) ?? ''
  return { item, map, name, type, shape: rules.shapes[type] ?? 'other' }
}

/** The history's kind of a step, when it says more than "step", must be the definition's. */
function kindClash(segment: PathSegment, step: Step, rules: FormatRules): string | undefined {
  const wanted: Partial<Record<PathSegment['kind'], StepShape>> = {
    task: 'task',
    parallel: 'parallel',
    foreach: 'foreach',
    // A distributed Map's items run the Map's processor, as a foreach's iterations run its steps.
    map: 'foreach'
  }
  const shape = wanted[segment.kind]
  if (shape === undefined || shape === step.shape) return undefined
  const types = Object.keys(rules.shapes).filter((t) => rules.shapes[t] === shape)
  return (
    `the history ran ${quote(step.name)} as a ${types.join('/')} step; the definition's ` +
    `${quote(step.name)} is of type ${quote(step.type)}`
  )
}

function notA(step: Step, what: string, has: string): string {
  return `the history ran ${has} of ${quote(step.name)}, which is a ${quote(step.type)} step in the definition, not a ${what}`
}

function branchNode(
  walk: Walk,
  step: Step | undefined,
  index: number | undefined
): Node | undefined {
  if (step === undefined || index === undefined) return undefined
  const list = seq(member(step.map, walk.rules.branchesKey, walk.doc), walk.doc)
  return list?.items[index] as Node | undefined
}

function present(lists: ReadonlyArray<YAMLSeq | undefined>): YAMLSeq[] {
  return lists.filter((l): l is YAMLSeq => l !== undefined)
}

function start(node: Node): number {
  return node.range?.[0] ?? 0
}

/** From the node's first character to the end of its last value: comments after it left out. */
export function linesOf(definition: ParsedDefinition, node: Node): StepLines {
  const from = node.range?.[0] ?? 0
  let last = contentEnd(node)
  while (last > from && /\s/.test(definition.source[last - 1]!)) last -= 1
  return {
    startLine: lineOf(definition, from),
    endLine: lineOf(definition, Math.max(from, last - 1))
  }
}

/**
 * Where a node's content ends. A block collection's range runs on over the comments after its last
 * item, so the end is its last item's (down to a scalar, an alias or a bracketed collection).
 */
function contentEnd(node: Node): number {
  let at: Node = node
  for (;;) {
    const items = isCollection(at) && !at.flow ? at.items : []
    const lastItem = items[items.length - 1] as unknown
    const next = isPair(lastItem) ? (lastItem.value ?? lastItem.key) : lastItem
    if (!isNode(next)) return at.range?.[1] ?? 0
    at = next
  }
}

function notFound(reason: string): LocateOutcome {
  return { kind: 'not-found', reason }
}
