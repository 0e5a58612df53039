/**
 * The layering of src/ (rules in .dependency-cruiser.mjs): no import cycles, and each folder imports
 * only the folders below it. dependency-cruiser reads the real import graph, TypeScript included.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')

/** Every folder with code that may import src/ or the emulator. */
const CODE = ['src', 'emulator', '__tests__', '__fixtures__', 'bench', 'scripts']

function cruise(
  cwd = root,
  config = '.dependency-cruiser.mjs',
  folders = CODE
): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [cli, '--config', config, '--output-type', 'err', ...folders],
    { cwd, encoding: 'utf8' }
  )
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
}

describe('src/ layout', () => {
  it('has no import cycle and no import against the layering', () => {
    const { status, output } = cruise()
    expect(output).toContain('no dependency violations found')
    expect(status).toBe(0)
  })

  it('catches a cycle and an upward import (checked on a scratch tree with the same rules)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'fnf-wait-layout-'))
    try {
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({
          compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }
        }),
        'src/fnf/client.ts': "import { plan } from '../step/plan.js'\nexport const c = plan\n",
        'src/step/plan.ts': 'export const plan = 1\n',
        'src/config/a.ts': "import { b } from './b.js'\nexport const a = () => b\n",
        'src/config/b.ts': "import { a } from './a.js'\nexport const b = () => a\n"
      }
      writeTree(scratch, files)
      const { status, output } = cruise(scratch, join(root, '.dependency-cruiser.mjs'), ['src'])
      expect(output).toMatch(/fnf-only-http: src\/fnf\/client\.ts → src\/step\/plan\.ts/)
      expect(output).toMatch(/step-is-above-the-rest: src\/fnf\/client\.ts/)
      expect(output).toMatch(/no-cycle: src\/config\/a\.ts/)
      expect(status).not.toBe(0)
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  })

  it('catches each crossing of the emulator boundary, and lets the allowed ones through', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'fnf-wait-layout-'))
    try {
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({
          compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }
        }),
        'src/fnf/types.ts':
          'export type Status = string\nexport const isEnd = (s: Status) => !!s\n',
        'src/fnf/client.ts':
          "import { start } from '../../emulator/index.js'\nexport const c = start\n",
        'emulator/index.ts': "import { store } from './store.js'\nexport const start = store\n",
        'emulator/store.ts': 'export const store = 1\n',
        'emulator/status.ts':
          "import { isEnd } from '../src/fnf/types.js'\nexport const done = isEnd\n",
        'emulator/body.ts':
          "import type { Status } from '../src/fnf/types.js'\nexport const s: Status = ''\n",
        'bench/run.ts':
          "import { store } from '../emulator/store.js'\nimport { start } from '../emulator/index.js'\nexport const b = [store, start]\n"
      }
      writeTree(scratch, files)
      const { status, output } = cruise(scratch, join(root, '.dependency-cruiser.mjs'), [
        'src',
        'emulator',
        'bench'
      ])
      expect(output).toMatch(
        /src-never-imports-emulator: src\/fnf\/client\.ts → emulator\/index\.ts/
      )
      expect(output).toMatch(
        /emulator-imports-only-types-from-src: emulator\/status\.ts → src\/fnf\/types\.ts/
      )
      expect(output).toMatch(
        /emulator-only-through-its-entries: bench\/run\.ts → emulator\/store\.ts/
      )
      // A type-only import from src/, the emulator's own imports, and an exported entry pass.
      expect(output).not.toMatch(/emulator\/body\.ts →/)
      expect(output).not.toMatch(/emulator\/index\.ts → emulator\/store\.ts/)
      expect(output).not.toMatch(/bench\/run\.ts → emulator\/index\.ts/)
      expect(status).not.toBe(0)
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  })
})
