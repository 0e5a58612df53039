/**
 * The files of a workspace, as `/`-separated workspace-relative paths: the ones git tracks when the
 * workspace is a git checkout (`git ls-files`), else a walk that skips `.git` and `node_modules`
 * and follows no symlink. Both stop at a cap and say so.
 */
import { spawn } from 'node:child_process'
import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'

export interface Listing {
  files: string[]
  /** False when the cap (or the walk's depth) stopped the listing: a search over it is partial. */
  complete: boolean
  source: 'git' | 'walk'
}

export interface ListOptions {
  /** Most paths returned; one more makes the listing incomplete. */
  maxFiles: number
  /** Lower-case endings (`.yaml`) a path must have; all paths when absent. */
  endings?: readonly string[]
}

const SKIPPED = new Set(['.git', 'node_modules'])
const MAX_DEPTH = 32
/** Directory entries a walk reads at most, files and directories alike. */
const MAX_ENTRIES = 200_000

export async function listWorkspaceFiles(root: string, options: ListOptions): Promise<Listing> {
  const tracked = (await isGitCheckout(root)) ? await gitFiles(root, options) : undefined
  return tracked ?? (await walkFiles(root, options))
}

async function isGitCheckout(root: string): Promise<boolean> {
  try {
    await lstat(join(root, '.git')) // a directory, or a file in a worktree or submodule
    return true
  } catch {
    return false
  }
}

/** Undefined when git is missing or refuses (a "dubious ownership" checkout, say): walk instead. */
function gitFiles(root: string, options: ListOptions): Promise<Listing | undefined> {
  const specs = (options.endings ?? []).map((e) => `:(icase)*${e}`)
  return new Promise((resolve) => {
    const files: string[] = []
    let complete = true
    let rest = ''
    const child = spawn('git', ['-c', 'core.quotePath=false', 'ls-files', '-z', '--', ...specs], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' }
    })
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      if (!complete) return
      const parts = (rest + chunk).split('\0')
      rest = parts.pop() ?? ''
      for (const path of parts) {
        if (!wanted(path, options)) continue
        if (files.length === options.maxFiles) {
          complete = false
          child.kill()
          return
        }
        files.push(path)
      }
    })
    child.on('error', () => resolve(undefined))
    child.on('close', (code) => {
      if (!complete) resolve({ files, complete, source: 'git' })
      else resolve(code === 0 ? { files, complete, source: 'git' } : undefined)
    })
  })
}

/** Breadth first, names sorted, so the same tree always lists the same way. */
async function walkFiles(root: string, options: ListOptions): Promise<Listing> {
  const files: string[] = []
  const queue: Array<{ dir: string; depth: number }> = [{ dir: '', depth: 0 }]
  let entries = 0
  let complete = true
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    let names
    try {
      names = await readdir(join(root, next.dir), { withFileTypes: true })
    } catch {
      continue // unreadable: nothing of it can be the definition
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of names) {
      entries += 1
      const path = next.dir === '' ? entry.name : `${next.dir}/${entry.name}`
      if (entries > MAX_ENTRIES || files.length > options.maxFiles) {
        return { files: files.slice(0, options.maxFiles), complete: false, source: 'walk' }
      }
      if (entry.isDirectory() && !SKIPPED.has(entry.name)) {
        if (next.depth + 1 > MAX_DEPTH) complete = false
        else queue.push({ dir: path, depth: next.depth + 1 })
      } else if (entry.isFile() && wanted(path, options)) {
        files.push(path)
      }
    }
  }
  if (files.length > options.maxFiles)
    return { files: files.slice(0, options.maxFiles), complete: false, source: 'walk' }
  return { files, complete, source: 'walk' }
}

function wanted(path: string, options: ListOptions): boolean {
  if (options.endings === undefined) return true
  const lower = path.toLowerCase()
  return options.endings.some((e) => lower.endsWith(e))
}
