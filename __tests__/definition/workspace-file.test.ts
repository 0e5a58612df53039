/**
 * Reading a workspace file by its relative path: every hostile kind of path is refused, on real
 * symlinks, FIFOs and sockets in a temporary workspace, and nothing blocks or reads past the cap.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readWorkspaceFile, workspaceRoot } from '../../src/definition/workspace-file.js'

let scratch: string
let root: string
let socket: Server

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'fnf-wait-definition-'))
  const workspace = join(scratch, 'workspace')
  mkdirSync(join(workspace, 'flows'), { recursive: true })
  writeFileSync(join(workspace, 'flows', 'etl.yaml'), 'steps: []\n')
  writeFileSync(join(scratch, 'outside.yaml'), 'secret: true\n')
  writeFileSync(join(workspace, 'big.yaml'), 'x'.repeat(2048))
  writeFileSync(join(workspace, 'latin1.yaml'), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]))
  symlinkSync(join(scratch, 'outside.yaml'), join(workspace, 'out.yaml'))
  symlinkSync('../../outside.yaml', join(workspace, 'flows', 'relative-out.yaml'))
  symlinkSync(scratch, join(workspace, 'up'))
  symlinkSync('etl.yaml', join(workspace, 'flows', 'inside.yaml'))
  symlinkSync('loop-b', join(workspace, 'loop-a'))
  symlinkSync('loop-a', join(workspace, 'loop-b'))
  symlinkSync('/dev/zero', join(workspace, 'zero.yaml'))
  const fifo = spawnSync('mkfifo', [join(workspace, 'pipe.yaml')])
  if (fifo.status !== 0) throw new Error(`mkfifo failed: ${String(fifo.stderr)}`)
  socket = createServer()
  await new Promise<void>((resolve) => socket.listen(join(workspace, 'socket.yaml'), resolve))
  root = (await workspaceRoot(workspace))!
})

afterAll(async () => {
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  rmSync(scratch, { recursive: true, force: true })
})

describe('readWorkspaceFile', () => {
  const read = (path: string, max = 1024): ReturnType<typeof readWorkspaceFile> =>
    readWorkspaceFile(root, path, max)

  it('reads a regular file, also through a symlink that stays inside', async () => {
    expect(await read('flows/etl.yaml')).toEqual({ kind: 'file', text: 'steps: []\n' })
    expect(await read('flows/inside.yaml')).toEqual({ kind: 'file', text: 'steps: []\n' })
  })

  it.each([
    ['out.yaml', 'leads outside the workspace (through a symlink)'],
    ['flows/relative-out.yaml', 'leads outside the workspace (through a symlink)'],
    ['up/outside.yaml', 'leads outside the workspace (through a symlink)'],
    ['zero.yaml', 'leads outside the workspace (through a symlink)'],
    ['loop-a', 'is a symlink loop'],
    ['missing.yaml', 'does not exist in the workspace'],
    ['flows/etl.yaml/x', 'does not exist in the workspace'],
    ['flows', 'is a directory, not a regular file'],
    ['.', 'is the workspace directory itself'],
    ['pipe.yaml', 'is a named pipe (FIFO), not a regular file'],
    ['socket.yaml', 'is a socket, not a regular file'],
    ['big.yaml', 'is 2,048 bytes, over the limit of 1,024 bytes'],
    ['latin1.yaml', 'is not UTF-8 text']
  ])('refuses %s: it %s', async (path, reason) => {
    expect(await read(path)).toEqual({ kind: 'refused', reason })
  })
})
