/**
 * Writing the outputs (src/step/write-outputs.ts): the output file is only ever a regular file.
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeRegularFile } from '../../src/step/write-outputs.js'

describe('the output file is only ever a regular file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fnf-wait-wf-'))
  const fifo = join(dir, 'pipe')
  execFileSync('mkfifo', [fifo])
  it.each([
    [fifo, /not a regular file|ENXIO/],
    ['/dev/null', /a device, not a regular file/],
    [dir, /EISDIR/]
  ])('refuses %s without blocking', (path, message) => {
    expect(() => writeRegularFile(path, '{"x":1}')).toThrow(message)
  })
  it('writes and overwrites a regular file', () => {
    const path = join(dir, 'sub', 'out.json')
    writeRegularFile(path, '{"long":"' + 'x'.repeat(100) + '"}')
    writeRegularFile(path, '{"a":1}')
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}')
  })
})
