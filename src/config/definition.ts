/**
 * The `definition` input: where the flow's definition is in the workspace, a workspace-relative
 * path or pattern. Checked before any request: a path that leads out of the workspace (absolute,
 * `..`, a symlink to outside) is refused here, since nothing the step does could make it right.
 * A file that is missing or not a definition is only known once there is a failure to place, and
 * is a warning then (step/locate-failures.ts): the definition serves the report, not the gate.
 */
import { realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathProblem, placeIn } from '../base/workspace-path.js'
import { InputError, type Env } from './errors.js'

export interface DefinitionSettings {
  /** The trimmed input; '' to look for the file among the workspace's tracked files. */
  definition: string
  /** Where it is looked for: `GITHUB_WORKSPACE`, else the working directory (a local run). */
  workspace: string
}

export function parseDefinitionInput(value: string, env: Env): DefinitionSettings {
  const definition = value.trim()
  const workspace = env.GITHUB_WORKSPACE?.trim() || process.cwd()
  if (definition === '') return { definition, workspace }
  const problem = pathProblem(definition) ?? leadsOut(workspace, literalPart(definition))
  if (problem !== undefined) {
    throw new InputError(
      `Input "definition" is ${JSON.stringify(definition.slice(0, 200))}, which ${problem}: give ` +
        'the path of the flow definition file relative to the workspace (YAML or JSON; *, ** ' +
        'and ? match names), or leave it empty to look for it among the tracked files.'
    )
  }
  return { definition, workspace }
}

/** The segments before the first wildcard: what a pattern's matches all lie under. */
function literalPart(path: string): string {
  const segments = path.split('/')
  const wild = segments.findIndex((s) => s.includes('*') || s.includes('?'))
  return (wild < 0 ? segments : segments.slice(0, wild)).join('/')
}

/**
 * Where the path leads once its symlinks are followed, as far as it exists: a missing file under
 * a symlinked directory leads where that directory does. Undefined when it stays inside, or when
 * the workspace itself cannot be resolved (the lookup says so later, as a warning).
 */
function leadsOut(workspace: string, path: string): string | undefined {
  let root: string
  try {
    root = realpathSync(workspace)
  } catch {
    return undefined
  }
  for (let at = join(root, path); ; at = dirname(at)) {
    let real: string | undefined
    try {
      real = realpathSync(at)
    } catch {
      // Missing (or a loop): look at the directory holding it.
    }
    if (real !== undefined) {
      return placeIn(root, real) === 'outside'
        ? 'leads outside the workspace through a symlink'
        : undefined
    }
    if (at === root || dirname(at) === at) return undefined
  }
}
