/** What the report shows of a step: the file, its lines in it, and whether it is what ran. Pure. */
import type { FoundDefinition } from './find.js'
import { locateStep, type PathSegment } from './locate.js'
import { quote } from './text.js'

export interface DefinitionLocation {
  /** Workspace-relative, `/`-separated. */
  file: string
  /** 1-based, both included. */
  startLine: number
  endLine: number
  /** False: the file is not the definition that ran, so the lines may be of another version. */
  sameDefinition: boolean
}

export type LocationOutcome =
  { kind: 'located'; location: DefinitionLocation } | { kind: 'not-located'; reason: string }

export function locationOf(found: FoundDefinition, path: readonly PathSegment[]): LocationOutcome {
  const at = locateStep(found.definition, path)
  const file = quote(found.file)
  switch (at.kind) {
    case 'found':
      return {
        kind: 'located',
        location: {
          file: found.file,
          startLine: at.startLine,
          endLine: at.endLine,
          sameDefinition: found.sameDefinition
        }
      }
    case 'ambiguous': {
      const lines = at.candidates.map((c) => `${c.startLine}-${c.endLine}`).join(', ')
      return { kind: 'not-located', reason: `${at.reason} of ${file} (lines ${lines})` }
    }
    case 'not-found':
      return { kind: 'not-located', reason: `${at.reason} of ${file}` }
  }
}
