/**
 * Reads a file of the workspace by its workspace-relative path, refusing what is not a regular
 * file inside the workspace: an absolute path, `..`, a symlink leading out, a directory, a FIFO, a
 * device. The open never blocks (O_NONBLOCK, then fstat, as step/write-outputs.ts does) and reads
 * at most the size cap.
 */
import { constants, type Stats } from 'node:fs'
import { open, realpath, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { placeIn } from '../base/workspace-path.js'
import { sizeText } from './parse.js'

export type WorkspaceFile = { kind: 'file'; text: string } | { kind: 'refused'; reason: string }

/** The workspace's real path (symlinks resolved), which every file's real path must be inside. */
export async function workspaceRoot(workspace: string): Promise<string | undefined> {
  try {
    return await realpath(workspace)
  } catch {
    return undefined
  }
}

/** `root` is a `workspaceRoot`; `path` passed `pathProblem`. */
export async function readWorkspaceFile(
  root: string,
  path: string,
  maxBytes: number
): Promise<WorkspaceFile> {
  let real: string
  try {
    real = await realpath(join(root, path))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return refused('does not exist in the workspace')
    if (code === 'ELOOP') return refused('is a symlink loop')
    return refused(`cannot be resolved (${code ?? 'error'})`)
  }
  const place = placeIn(root, real)
  if (place !== 'inside') {
    return refused(
      place === 'root'
        ? 'is the workspace directory itself'
        : 'leads outside the workspace (through a symlink)'
    )
  }
  // A socket cannot even be opened: tell what it is first. fstat checks again once it is open.
  try {
    const kind = notRegular(await stat(real))
    if (kind !== undefined) return refused(`is ${kind}, not a regular file`)
  } catch (error) {
    return refused(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  // The real path has no symlink left; O_NOFOLLOW refuses one swapped in since.
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0)
  let handle
  try {
    handle = await open(real, flags)
  } catch (error) {
    return refused(`cannot be opened (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  try {
    const stats = await handle.stat()
    const kind = notRegular(stats)
    if (kind !== undefined) return refused(`is ${kind}, not a regular file`)
    if (stats.size > maxBytes) {
      return refused(
        `is ${stats.size.toLocaleString('en-US')} bytes, over the limit of ${sizeText(maxBytes)}`
      )
    }
    // One byte more than the cap tells a file that grew since fstat.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, stats.size + 1))
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    if (filled > maxBytes) return refused(`is over the limit of ${sizeText(maxBytes)}`)
    try {
      return {
        kind: 'file',
        text: new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, filled))
      }
    } catch {
      return refused('is not UTF-8 text')
    }
  } finally {
    await handle.close()
  }
}

const KINDS: ReadonlyArray<[keyof Stats, string]> = [
  ['isDirectory', 'a directory'],
  ['isFIFO', 'a named pipe (FIFO)'],
  ['isSocket', 'a socket'],
  ['isCharacterDevice', 'a device'],
  ['isBlockDevice', 'a device']
]

function notRegular(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined
  const kind = KINDS.find(([test]) => (stats[test] as () => boolean).call(stats))
  return kind?.[1] ?? 'not a regular file'
}

function refused(reason: string): WorkspaceFile {
  return { kind: 'refused', reason }
}
