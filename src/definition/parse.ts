/**
 * Parses a flow definition (YAML, or JSON, which is YAML) with the position of every node, inside
 * fixed bounds. Pure: the text in, a parsed definition or the reason it is not one out.
 */
import {
  CST,
  Lexer,
  LineCounter,
  isCollection,
  isPair,
  parseDocument,
  type Document,
  type YAMLError
} from 'yaml'

export interface DefinitionLimits {
  /** UTF-8 bytes of the text. */
  maxBytes: number
  /** Collections inside collections, counted exactly once the text is parsed. */
  maxNesting: number
  /** Scalars, collections and aliases. */
  maxNodes: number
  /** Aliases one conversion to plain data may expand (a "billion laughs" stops here). */
  maxAliases: number
}

/**
 * A StartExecution or CreateFlow request is at most 1,024 KiB (fnf-api.md §10, "limits"), so no
 * definition the service ran is larger. A real definition nests a few collections per step level
 * (steps, step, branches, branch, …): 64 levels is about fifteen levels of steps. A definition of
 * a few hundred steps has a few thousand nodes.
 */
export const DEFINITION_LIMITS: Readonly<DefinitionLimits> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxNesting: 64,
  maxNodes: 100_000,
  maxAliases: 100
})

/**
 * The yaml composer recurses once per nesting level and runs out of stack near 800 levels (past a
 * few thousand, Node can abort outright), so the lexer's tokens (read without recursion) must
 * promise far fewer before composing. The promise is an upper bound, see `prescan`.
 */
const PRESCAN_NESTING = 384

export interface ParsedDefinition {
  readonly source: string
  readonly document: Document.Parsed
  readonly lines: LineCounter
}

export type ParseOutcome =
  { kind: 'parsed'; definition: ParsedDefinition } | { kind: 'invalid'; reason: string }

/** YAML 1.2 core schema (JSON is a subset), duplicate keys refused, no custom tags: nothing runs. */
export function parseDefinition(
  source: string,
  limits: Readonly<DefinitionLimits> = DEFINITION_LIMITS
): ParseOutcome {
  const bytes = Buffer.byteLength(source, 'utf8')
  if (bytes > limits.maxBytes) {
    return invalid(
      `it is ${bytes.toLocaleString('en-US')} bytes, over the limit of ${sizeText(limits.maxBytes)}`
    )
  }
  const early = prescan(source, limits.maxNodes)
  if (early !== undefined) return invalid(early)
  const lines = new LineCounter()
  const document = parseDocument(source, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    merge: true,
    strict: true,
    schema: 'core',
    // 'silent' would also drop the error for a second document in the text.
    logLevel: 'error'
  })
  const error = document.errors[0]
  if (error !== undefined) return invalid(yamlError(error, lines))
  const bounded = measure(document, limits)
  if (bounded !== undefined) return invalid(bounded)
  return { kind: 'parsed', definition: { source, document, lines } }
}

/** 1-based line of a character offset (yaml's LineCounter is 1-based already). */
export function lineOf(definition: ParsedDefinition, offset: number): number {
  return definition.lines.linePos(offset).line
}

/**
 * Bounds the nesting and node count from the token stream, without recursion. A flow collection
 * (`[`/`{`) nests once per opening bracket. In block style a nested collection starts to the right
 * of its parent, except a sequence written at its key's indentation, whose items then start two
 * columns in: so a block indicator (`-`, `?`, `:`) at column c opens at most 2(c + 1) + 1 levels.
 */
function prescan(source: string, maxNodes: number): string | undefined {
  let flow = 0
  let column = 0
  let lineStart = true
  let block = 0
  let nodes = 0
  for (const token of new Lexer().lex(source)) {
    const type = CST.tokenType(token)
    switch (type) {
      case 'flow-map-start':
      case 'flow-seq-start':
        flow += 1
        nodes += 1
        break
      case 'flow-map-end':
      case 'flow-seq-end':
        flow = Math.max(0, flow - 1)
        break
      case 'seq-item-ind':
      case 'explicit-key-ind':
      case 'map-value-ind':
        if (flow === 0) block = Math.max(block, 2 * (column + 1) + 1)
        nodes += 1
        break
      case 'space':
        if (lineStart && flow === 0) block = 2 * (token.length + 1) + 1
        break
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'alias':
        nodes += 1
        break
      default:
        break
    }
    if (block + flow > PRESCAN_NESTING) {
      return `it nests deeper than the limit of ${PRESCAN_NESTING} levels the parser can take`
    }
    if (nodes > maxNodes) return `it has more than ${maxNodes.toLocaleString('en-US')} nodes`
    lineStart = type === 'newline'
    if (lineStart && flow === 0) block = 0
    const newline = token.lastIndexOf('\n')
    column = newline >= 0 ? token.length - newline - 1 : column + token.length
  }
  return undefined
}

/** The exact nesting and node count of the parsed tree, walked without recursion. */
function measure(
  document: Document.Parsed,
  limits: Readonly<DefinitionLimits>
): string | undefined {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: document.contents, depth: 0 }]
  let nodes = 0
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { node, depth } = next
    if (node === null || node === undefined) continue
    if (isPair(node)) {
      stack.push({ node: node.key, depth }, { node: node.value, depth })
      continue
    }
    nodes += 1
    if (nodes > limits.maxNodes)
      return `it has more than ${limits.maxNodes.toLocaleString('en-US')} nodes`
    if (!isCollection(node)) continue
    if (depth + 1 > limits.maxNesting) {
      return `it nests collections deeper than the limit of ${limits.maxNesting} levels`
    }
    for (const item of node.items) stack.push({ node: item, depth: depth + 1 })
  }
  return undefined
}

/** The error's code and place only: its message may quote the text, which is not ours to print. */
function yamlError(error: YAMLError, lines: LineCounter): string {
  const at = lines.linePos(error.pos[0])
  return `it is not valid YAML (${error.code} at line ${at.line}, column ${at.col})`
}

function invalid(reason: string): ParseOutcome {
  return { kind: 'invalid', reason }
}

export function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : `${bytes.toLocaleString('en-US')} bytes`
}
