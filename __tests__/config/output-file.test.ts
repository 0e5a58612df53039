/**
 * The output-file input (src/config/output-file.ts): only a regular file, or a path that does not
 * exist yet, is accepted; anything a write would block on or damage is refused before any request.
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../src/config/inputs.js'
import { BASE_INPUTS, inputErrorOf } from '../support/config.js'

const base = BASE_INPUTS
const errorOf = inputErrorOf

describe('output-file: never a FIFO, device, directory or /proc entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fnf-wait-of-'))
  const fifo = join(dir, 'pipe')
  execFileSync('mkfifo', [fifo])
  const regular = join(dir, 'out.json')
  writeFileSync(regular, '')
  it.each([
    [fifo, /a named pipe \(FIFO\)/],
    ['/dev/null', /under \/dev/],
    ['/dev/zero', /under \/dev/],
    [dir, /a directory/],
    ['/proc/self', /under \/proc/],
    ['/proc/self/fd/0', /under \/proc/],
    ['/proc/self/status', /under \/proc/],
    ['/sys/kernel/x', /under \/sys/]
  ])('refuses %s before any request', (path, kind) => {
    const message = errorOf({ ...base, 'output-file': path })
    expect(message).toMatch(/^Input "output-file" is ".*", which is /)
    expect(message).toMatch(kind)
  })
  it('accepts a regular file or a path that does not exist yet', () => {
    for (const path of [regular, join(dir, 'new', 'out.json')]) {
      const config = parseConfig((name) => ({ ...base, 'output-file': path })[name] ?? '', {})
      expect(config.outputFile).toBe(path)
    }
  })
})
