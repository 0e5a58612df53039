/** Listing a workspace: tracked files in a git checkout, else a bounded walk; both say when cut. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeTree } from './helpers.js'
import { listWorkspaceFiles } from '../../src/definition/list-files.js'

let scratch: string

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`)
}

const ENDINGS = ['.yaml', '.yml', '.json']

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'fnf-wait-list-'))
})

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true })
})

describe('listWorkspaceFiles', () => {
  it('lists the files git tracks in a checkout, not the untracked or ignored ones', async () => {
    const root = join(scratch, 'checkout')
    writeTree(root, {
      'flows/etl.yaml': 'a: 1\n',
      'flows/UPPER.YML': 'a: 1\n',
      'flows/weird name\nwith newline.json': '{}',
      'README.md': '#',
      'untracked.yaml': 'a: 1\n',
      'ignored/x.yaml': 'a: 1\n',
      '.gitignore': 'ignored/\n'
    })
    git(root, 'init', '-q')
    git(root, 'add', 'flows', 'README.md', '.gitignore')
    const listing = await listWorkspaceFiles(root, { maxFiles: 100, endings: ENDINGS })
    expect(listing).toEqual({
      files: ['flows/UPPER.YML', 'flows/etl.yaml', 'flows/weird name\nwith newline.json'],
      complete: true,
      source: 'git'
    })
    const all = await listWorkspaceFiles(root, { maxFiles: 100 })
    expect(all.files).toContain('README.md')
    expect(all.files).not.toContain('untracked.yaml')
    const cut = await listWorkspaceFiles(root, { maxFiles: 2, endings: ENDINGS })
    expect(cut).toEqual({
      files: ['flows/UPPER.YML', 'flows/etl.yaml'],
      complete: false,
      source: 'git'
    })
  })

  it('walks a workspace that is not a checkout, skipping node_modules and symlinks', async () => {
    const root = join(scratch, 'plain')
    writeTree(root, {
      'b.yaml': '',
      'a/flow.json': '',
      'a/b/c.yml': '',
      'node_modules/pkg/package.json': '',
      'notes.txt': ''
    })
    symlinkSync(join(root, 'a'), join(root, 'linked-dir'))
    symlinkSync(join(root, 'b.yaml'), join(root, 'linked.yaml'))
    const listing = await listWorkspaceFiles(root, { maxFiles: 100, endings: ENDINGS })
    expect(listing).toEqual({
      files: ['b.yaml', 'a/flow.json', 'a/b/c.yml'],
      complete: true,
      source: 'walk'
    })
    expect(await listWorkspaceFiles(root, { maxFiles: 2, endings: ENDINGS })).toEqual({
      files: ['b.yaml', 'a/flow.json'],
      complete: false,
      source: 'walk'
    })
  })

  it('walks when git refuses the checkout (a .git that is not a repository)', async () => {
    const root = join(scratch, 'broken')
    writeTree(root, { '.git': 'gitdir: /nowhere\n', 'flow.yaml': '' })
    expect(await listWorkspaceFiles(root, { maxFiles: 10, endings: ENDINGS })).toEqual({
      files: ['flow.yaml'],
      complete: true,
      source: 'walk'
    })
  })

  it('stops a walk at 32 directories deep and says the listing is partial', async () => {
    const root = join(scratch, 'deep')
    const deep = Array.from({ length: 34 }, (_, i) => `d${i}`).join('/')
    writeTree(root, { 'top.yaml': '', [`${deep}/bottom.yaml`]: '' })
    expect(await listWorkspaceFiles(root, { maxFiles: 10, endings: ENDINGS })).toEqual({
      files: ['top.yaml'],
      complete: false,
      source: 'walk'
    })
  })
})
