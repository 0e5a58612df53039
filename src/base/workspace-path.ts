/**
 * A workspace-relative path, checked as text and against where it really leads. Shared by the
 * `definition` input's check (config/) and the reading of workspace files (definition/): the
 * input is refused before any request by the same rules that refuse a file when it is read.
 */
import { isAbsolute, relative, sep } from 'node:path'

/** Longest path the input may give. */
export const MAX_PATH_CHARS = 1024

/**
 * Why a workspace-relative path (or pattern) cannot name a file in the workspace, as the end of
 * "… which <reason>"; undefined when it can.
 */
export function pathProblem(path: string): string | undefined {
  if (path.length > MAX_PATH_CHARS)
    return `is longer than ${MAX_PATH_CHARS.toLocaleString('en-US')} characters`
  if (path.includes('\0')) return 'has a NUL character'
  if (isAbsolute(path) || /^[A-Za-z]:/.test(path) || path.startsWith('\\')) {
    return 'is an absolute path, not one relative to the workspace'
  }
  if (path.includes('\\')) return 'has a backslash (separate directories with /)'
  if (path.split('/').includes('..')) return 'goes up out of the workspace with ".."'
  return undefined
}

/**
 * Where a real path (symlinks resolved) is, seen from the workspace's real path: the workspace
 * itself, inside it, or outside (a symlink led there).
 */
export function placeIn(root: string, real: string): 'root' | 'inside' | 'outside' {
  const inside = relative(root, real)
  if (inside === '') return 'root'
  return inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)
    ? 'outside'
    : 'inside'
}
