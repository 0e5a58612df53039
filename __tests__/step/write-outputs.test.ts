/**
 * Writing the outputs (src/step/write-outputs.ts): the output file is only ever a regular file.
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setOutputs, writeRegularFile } from '../../src/step/write-outputs.js'

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

describe('setOutputs: a GITHUB_OUTPUT that cannot be written', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    [
      'a directory (EISDIR)',
      () => mkdtempSync(join(tmpdir(), 'fnf-wait-go-')),
      /It is a directory/
    ],
    ['gone (ENOENT)', () => join(tmpdir(), 'fnf-wait-gone', 'nope', 'output'), /is gone/]
  ]
  it.each(cases)('%s: the error names the file and what to check', (_name, make, advice) => {
    const saved = process.env.GITHUB_OUTPUT
    const file = make()
    process.env.GITHUB_OUTPUT = file
    try {
      expect(() => setOutputs({ status: 'Succeeded' })).toThrow(
        new RegExp(
          `^Could not write the step's outputs to GITHUB_OUTPUT \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\): .*${advice.source}`
        )
      )
    } finally {
      process.env.GITHUB_OUTPUT = saved
    }
  })
})
