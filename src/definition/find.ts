/**
 * Finds the workspace file that holds the definition an execution ran. The `definition` input
 * names it (a workspace-relative path, or a pattern of `glob.ts`); when the input is empty, the
 * one tracked `.yaml`/`.yml`/`.json` file whose data equals the executed definition is taken.
 * Outcomes are values: `error` is the input's fault (a message naming it, for a warning); `none`
 * is a search that could not decide (a reason for a debug line).
 */
import { posix } from 'node:path'
import { formatOf } from './format.js'
import { globMatcher, hasWildcard } from './glob.js'
import { listWorkspaceFiles, type Listing } from './list-files.js'
import { DEFINITION_LIMITS, parseDefinition, sizeText, type ParsedDefinition } from './parse.js'
import { compareDefinition, executedData, type PlainData } from './same.js'
import { quote, quoteSome } from './text.js'
import { pathProblem } from '../base/workspace-path.js'
import { readWorkspaceFile, workspaceRoot } from './workspace-file.js'

export interface FindLimits {
  /** Files read and compared at most; past it the search gives up rather than guess. */
  maxCandidates: number
  /** A larger file cannot be a definition the service ran (parse.ts). */
  maxFileBytes: number
  /** Bytes read over all candidates. */
  maxTotalBytes: number
  /** Paths listed to match a pattern against. */
  maxListed: number
}

/**
 * A repository keeps a handful of flow definitions among its YAML and JSON, and a monorepo's
 * checkout can have a few thousand such files (a package.json and a tsconfig per package, CI and
 * tool configs, fixtures): 2,000 read is well under a second on a runner, and most are rejected
 * by a substring check before any parsing. Past that, or past 32 MiB read, the search stops and
 * says to set the input.
 */
export const FIND_LIMITS: Readonly<FindLimits> = Object.freeze({
  maxCandidates: 2000,
  maxFileBytes: DEFINITION_LIMITS.maxBytes,
  maxTotalBytes: 32 * 1024 * 1024,
  maxListed: 100_000
})

export const DEFINITION_ENDINGS: readonly string[] = ['.yaml', '.yml', '.json']

export interface FindRequest {
  /** The job's workspace (`GITHUB_WORKSPACE`): every file found is inside it. */
  workspace: string
  /** The `definition` input; empty to search the workspace. */
  input: string
  /** DescribeExecution's `FlowDefinition`. */
  executed: string
  limits?: Partial<FindLimits>
}

export interface FoundDefinition {
  /** Workspace-relative, `/`-separated. */
  file: string
  definition: ParsedDefinition
  /** The file's data equals the executed definition's (so its lines are the ones that ran). */
  sameDefinition: boolean
  /** Why it is not known to be the same, for a debug line. */
  difference?: string
}

export type FindOutcome =
  | ({ kind: 'found' } & FoundDefinition)
  | { kind: 'none'; reason: string }
  | { kind: 'error'; message: string }

export async function findDefinition(request: FindRequest): Promise<FindOutcome> {
  const limits: FindLimits = { ...FIND_LIMITS, ...request.limits }
  const input = request.input.trim()
  const root = await workspaceRoot(request.workspace)
  if (root === undefined) {
    const reason = `the workspace ${quote(request.workspace)} cannot be read`
    return input === '' ? none(reason) : inputError(input, `cannot be looked for: ${reason}`)
  }
  const executed = executedData(request.executed)
  if (input === '') return discover(root, executed, limits)
  const problem = pathProblem(input)
  if (problem !== undefined) return inputError(input, problem)
  // `./flows//a.yaml` is `flows/a.yaml`: the file is reported (and linked) as git names it.
  const path = posix.normalize(input)
  return hasWildcard(path)
    ? fromPattern(root, input, path, executed, limits)
    : fromPath(root, input, path, executed, limits)
}

async function fromPath(
  root: string,
  input: string,
  file: string,
  executed: PlainData,
  limits: FindLimits
): Promise<FindOutcome> {
  const read = await readWorkspaceFile(root, file, limits.maxFileBytes)
  // A pattern matching one file: the reason is about that file.
  const subject = hasWildcard(input) ? `matches only ${quote(file)}, which ` : ''
  if (read.kind === 'refused') return inputError(input, subject + read.reason)
  const parsed = parseDefinition(read.text, { ...DEFINITION_LIMITS, maxBytes: limits.maxFileBytes })
  if (parsed.kind === 'invalid')
    return inputError(input, `${subject}cannot be read: ${parsed.reason}`)
  if (formatOf(parsed.definition.document) === undefined) {
    return inputError(
      input,
      `${subject}is not a flow definition (it has neither \`steps:\` nor \`States:\`)`
    )
  }
  const comparison = compareDefinition(parsed.definition, executed)
  return {
    kind: 'found',
    file,
    definition: parsed.definition,
    sameDefinition: comparison.kind === 'same',
    ...(comparison.kind === 'different' ? { difference: comparison.reason } : {})
  }
}

async function fromPattern(
  root: string,
  input: string,
  pattern: string,
  executed: PlainData,
  limits: FindLimits
): Promise<FindOutcome> {
  const listing = await listWorkspaceFiles(root, { maxFiles: limits.maxListed })
  if (!listing.complete) {
    return inputError(
      input,
      `is a pattern, and the workspace has more files than the ${count(limits.maxListed)} it can be matched against`
    )
  }
  const matches = listing.files.filter(globMatcher(pattern))
  if (matches.length === 0) return inputError(input, 'matches no file in the workspace')
  if (matches.length === 1) return fromPath(root, input, matches[0]!, executed, limits)
  if (matches.length > limits.maxCandidates) {
    return inputError(
      input,
      `matches ${count(matches.length)} files, more than the ${count(limits.maxCandidates)} that are compared`
    )
  }
  if (executed.kind === 'invalid')
    return inputError(input, `matches ${matches.length} files, and ${executed.reason}`)
  const search = await holders(root, matches, executed, limits)
  if (search.holders.length === 1 && search.stopped === undefined) return search.holders[0]!
  const holding = search.holders.map((h) => h.file)
  const which =
    search.stopped ??
    (holding.length === 0
      ? 'none holds the definition the execution ran'
      : `${holding.length} of them hold the definition the execution ran (${quoteSome(holding)})`)
  return inputError(input, `matches ${matches.length} files, and ${which}`)
}

async function discover(
  root: string,
  executed: PlainData,
  limits: FindLimits
): Promise<FindOutcome> {
  if (executed.kind === 'invalid') return none(executed.reason)
  const listing = await listWorkspaceFiles(root, {
    maxFiles: limits.maxCandidates,
    endings: DEFINITION_ENDINGS
  })
  const kinds = `${where(listing)} ${DEFINITION_ENDINGS.join('/')} files`
  if (!listing.complete) {
    return none(
      `there are more than ${count(limits.maxCandidates)} ${kinds}: set the definition input`
    )
  }
  const search = await holders(root, listing.files, executed, limits)
  if (search.stopped !== undefined) return none(`${search.stopped}: set the definition input`)
  if (search.holders.length === 1) return search.holders[0]!
  if (search.holders.length === 0) {
    return none(
      `none of the ${count(listing.files.length)} ${kinds} holds the definition the execution ran`
    )
  }
  return none(
    `${search.holders.length} ${kinds} hold the definition the execution ran (` +
      `${quoteSome(search.holders.map((h) => h.file))}): set the definition input to one of them`
  )
}

interface Search {
  /** Files whose data equals the executed definition's, in listing order. */
  holders: Array<{ kind: 'found' } & FoundDefinition>
  /** Set when the byte budget ran out before every file was compared. */
  stopped?: string
}

async function holders(
  root: string,
  files: readonly string[],
  executed: PlainData,
  limits: FindLimits
): Promise<Search> {
  const found: Search['holders'] = []
  const marker = firstStepName(executed)
  let total = 0
  for (const file of files) {
    if (pathProblem(file) !== undefined) continue
    const read = await readWorkspaceFile(root, file, limits.maxFileBytes)
    if (read.kind === 'refused') continue
    total += Buffer.byteLength(read.text, 'utf8')
    if (total > limits.maxTotalBytes) {
      return {
        holders: found,
        stopped: `the files compared passed ${sizeText(limits.maxTotalBytes)} before the last one`
      }
    }
    // Cheap and safe: a file holding the definition writes its first step's plain name as is.
    if (marker !== undefined && !read.text.includes(marker)) continue
    const parsed = parseDefinition(read.text, {
      ...DEFINITION_LIMITS,
      maxBytes: limits.maxFileBytes
    })
    if (parsed.kind === 'invalid') continue
    if (compareDefinition(parsed.definition, executed).kind !== 'same') continue
    found.push({ kind: 'found', file, definition: parsed.definition, sameDefinition: true })
  }
  return { holders: found }
}

/** The executed definition's first top-level step name, when nothing could write it escaped. */
function firstStepName(executed: PlainData): string | undefined {
  if (executed.kind !== 'data') return undefined
  const top = record(executed.value)
  const steps = top?.States ?? top?.steps
  const first = Array.isArray(steps) ? record(steps[0]) : undefined
  const name = first?.Name ?? first?.name
  return typeof name === 'string' && /^[A-Za-z0-9_-]+$/.test(name) ? name : undefined
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

function where(listing: Listing): string {
  return listing.source === 'git' ? 'tracked' : 'workspace'
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}

function none(reason: string): FindOutcome {
  return { kind: 'none', reason }
}

function inputError(input: string, reason: string): FindOutcome {
  return {
    kind: 'error',
    message:
      `Input "definition" is ${quote(input)}, which ${reason}: give the workspace-relative path ` +
      'of the flow definition file (YAML or JSON; *, ** and ? match names), or leave it empty to ' +
      'look for it among the tracked files.'
  }
}
