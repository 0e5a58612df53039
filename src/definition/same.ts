/**
 * Whether a file holds the definition an execution ran: the same data once parsed, whatever the
 * key order, quoting, comments, anchors or the choice of YAML or JSON. Pure.
 */
import { DEFINITION_LIMITS, parseDefinition, type ParsedDefinition } from './parse.js'
import { quote } from './text.js'

export type Comparison = { kind: 'same' } | { kind: 'different'; reason: string }

/** Plain data of a parsed definition; undefined with a reason when aliases expand past the cap. */
export type PlainData = { kind: 'data'; value: unknown } | { kind: 'invalid'; reason: string }

export function plainData(
  definition: ParsedDefinition,
  maxAliases = DEFINITION_LIMITS.maxAliases
): PlainData {
  try {
    return { kind: 'data', value: definition.document.toJS({ maxAliasCount: maxAliases }) }
  } catch {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount.
    return { kind: 'invalid', reason: `its aliases expand past the limit of ${maxAliases}` }
  }
}

/** The executed `FlowDefinition` read once, to compare many files against. */
export function executedData(flowDefinition: string): PlainData {
  const parsed = parseDefinition(flowDefinition)
  if (parsed.kind === 'invalid') {
    return { kind: 'invalid', reason: `the executed definition cannot be read: ${parsed.reason}` }
  }
  const data = plainData(parsed.definition)
  return data.kind === 'data'
    ? data
    : { kind: 'invalid', reason: `the executed definition cannot be read: ${data.reason}` }
}

export function compareDefinition(file: ParsedDefinition, executed: PlainData): Comparison {
  if (executed.kind === 'invalid') return { kind: 'different', reason: executed.reason }
  const data = plainData(file)
  if (data.kind === 'invalid')
    return { kind: 'different', reason: `the file cannot be read: ${data.reason}` }
  const at = firstDifference(data.value, executed.value, '')
  return at === undefined
    ? { kind: 'same' }
    : { kind: 'different', reason: `the file differs from the executed definition at ${at}` }
}

/**
 * Where two JSON-like values first differ (`steps[2].name`), or undefined when they are equal.
 * Depth is bounded by the parse limits, so recursion is safe.
 */
export function firstDifference(a: unknown, b: unknown, at: string): string | undefined {
  const here = at === '' ? 'the top level' : at
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return undefined
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return here
    for (let i = 0; i < a.length; i++) {
      const inner = firstDifference(a[i], b[i], `${at}[${i}]`)
      if (inner !== undefined) return inner
    }
    return undefined
  }
  if (!isRecord(a) || !isRecord(b)) return here
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return here
  for (const key of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return here
    const inner = firstDifference(a[key], b[key], at === '' ? quote(key) : `${at}.${quote(key)}`)
    if (inner !== undefined) return inner
  }
  return undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
