/**
 * The bundle says which sources it is of (scripts/bundle-sources.mjs): the e2e tests run the
 * committed dist/ only when its sources.sha256 names the sources on disk, so they never run a
 * stale bundle. Checked on a scratch tree with the same inputs.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { STAMP, bundledSources, freshDist, sourcesHash } from '../../scripts/bundle-sources.mjs'

const scratch = mkdtempSync(join(tmpdir(), 'fnf-wait-sources-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function write(path: string, text: string): void {
  mkdirSync(dirname(join(scratch, path)), { recursive: true })
  writeFileSync(join(scratch, path), text)
}

for (const [path, text] of Object.entries({
  'src/index.ts': 'export {}\n',
  'src/step/a.ts': 'export const a = 1\n',
  'package.json': '{"name":"x","version":"1.0.0"}\n',
  'package-lock.json': '{}\n',
  'scripts/package.mjs': '// builds\n',
  'scripts/bundle-sources.mjs': '// hashes\n',
  'scripts/tsconfig.bundle.json': '{}\n',
  'dist/index.js': '// the bundle\n'
}))
  write(path, text)

describe('sources.sha256', () => {
  it('is the same for the same sources, and changes with any source', () => {
    const first = sourcesHash(scratch)
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(sourcesHash(scratch)).toBe(first)
    write('src/step/a.ts', 'export const a = 2\n')
    const edited = sourcesHash(scratch)
    expect(edited).not.toBe(first)
    write('src/step/b.ts', '')
    expect(sourcesHash(scratch)).not.toBe(edited)
    const withNew = sourcesHash(scratch)
    write('package-lock.json', '{"changed":true}\n')
    expect(sourcesHash(scratch)).not.toBe(withNew)
    write('README.md', 'not an input\n')
    write('__tests__/x.test.ts', 'not an input\n')
    expect(sourcesHash(scratch)).toBe(sourcesHash(scratch))
  })

  it('dist/ is run only when its stamp names the sources on disk', () => {
    expect(bundledSources(join(scratch, 'dist'))).toBeUndefined()
    expect(freshDist(scratch)).toBeUndefined()
    write(`dist/${STAMP}`, `${sourcesHash(scratch)}\n`)
    expect(freshDist(scratch)).toBe(join(scratch, 'dist', 'index.js'))
    write('src/step/a.ts', 'export const a = 3\n')
    expect(freshDist(scratch)).toBeUndefined()
  })

  it('the files outside the inputs do not count', () => {
    write(`dist/${STAMP}`, `${sourcesHash(scratch)}\n`)
    write('docs/x.md', 'anything\n')
    expect(freshDist(scratch)).toBe(join(scratch, 'dist', 'index.js'))
  })
})
