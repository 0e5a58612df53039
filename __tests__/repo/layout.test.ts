/**
 * The layering of src/ (rules in .dependency-cruiser.mjs): no import cycles, and each folder imports
 * only the folders below it. dependency-cruiser reads the real import graph, TypeScript included.
 * And the tests mirror src/: src/X/y.ts is tested by __tests__/X/y.test.ts or
 * __tests__/X/y.<aspect>.test.ts. And docs/layout.md has one line for every file under src/.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')

/** Every folder with code that may import src/ or the emulator. */
const CODE = ['src', 'emulator', '__tests__', 'bench', 'scripts']

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
        'src/definition/find.ts': "import { plan } from '../step/plan.js'\nexport const f = plan\n",
        'src/base/text.ts': "import { c } from '../fnf/client.js'\nexport const t = c\n",
        'src/config/a.ts': "import { b } from './b.js'\nexport const a = () => b\n",
        'src/config/b.ts': "import { a } from './a.js'\nexport const b = () => a\n",
        'src/report/markdown.ts': 'export const md = 1\n',
        'src/github/rest.ts': "import { md } from '../report/markdown.js'\nexport const r = md\n",
        'src/report/summary.ts': "import { r } from '../github/rest.js'\nexport const s = r\n",
        'src/report/publish.ts': "import { r } from '../github/rest.js'\nexport const p = r\n"
      }
      writeTree(scratch, files)
      const { status, output } = cruise(scratch, join(root, '.dependency-cruiser.mjs'), ['src'])
      expect(output).toMatch(/fnf-only-http: src\/fnf\/client\.ts → src\/step\/plan\.ts/)
      expect(output).toMatch(/step-is-above-the-rest: src\/fnf\/client\.ts/)
      expect(output).toMatch(
        /definition-reads-only: src\/definition\/find\.ts → src\/step\/plan\.ts/
      )
      expect(output).toMatch(/base-stands-alone: src\/base\/text\.ts → src\/fnf\/client\.ts/)
      expect(output).toMatch(/no-cycle: src\/config\/a\.ts/)
      expect(output).toMatch(/github-only-http: src\/github\/rest\.ts → src\/report\/markdown\.ts/)
      expect(output).toMatch(
        /only-the-publisher-calls-github: src\/report\/summary\.ts → src\/github\/rest\.ts/
      )
      // The publisher may call GitHub.
      expect(output).not.toMatch(/src\/report\/publish\.ts →/)
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

/** Modules with no test file of their own, each with why. Keep it short. */
const NO_TEST_OF_ITS_OWN: Record<string, string> = {
  'index.ts': "the bundle's entry, choosing main or post: every e2e test runs it",
  'history/index.ts': 'a barrel: re-exports history/ modules, each tested at its own path',
  'history/types.ts': 'types, and one constant: nothing to run',
  'definition/index.ts': 'a barrel: re-exports definition/ modules, each tested at its own path'
}

/** Every file under `dir`, as paths relative to it with `/` separators. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
}

/**
 * Which modules have no test at their mirrored path, and which allow-list entries name no module
 * (a stale entry would hide the next module of that name).
 */
function unmirrored(
  modules: readonly string[],
  tests: readonly string[],
  allowed: Readonly<Record<string, string>>
): { missing: string[]; stale: string[] } {
  const tested = (module: string): boolean => {
    const base = module.replace(/\.(ts|mjs)$/, '')
    return tests.some(
      (t) =>
        t === `${base}.test.ts` ||
        (t.startsWith(`${base}.`) &&
          t.endsWith('.test.ts') &&
          !t.slice(base.length + 1, -'.test.ts'.length).includes('/'))
    )
  }
  return {
    missing: modules.filter((m) => /\.(ts|mjs)$/.test(m) && !(m in allowed) && !tested(m)),
    stale: Object.keys(allowed).filter((m) => !modules.includes(m))
  }
}

/**
 * The files docs/layout.md's map of src/ names (one line each, folders by indentation), and the
 * files under src/ it does not name, or names but that are gone.
 */
function unmapped(map: string, files: readonly string[]): { missing: string[]; stale: string[] } {
  const block = /```\nsrc\/\n([\s\S]*?)```/.exec(map)?.[1] ?? ''
  const named: string[] = []
  let folder = ''
  for (const line of block.split('\n')) {
    const entry = /^( +)(\S+)/.exec(line)
    if (!entry) continue
    const [, indent, name] = entry as unknown as [string, string, string]
    if (name.endsWith('/')) folder = name
    else named.push(indent.length > 2 ? `${folder}${name}` : name)
  }
  return {
    missing: files.filter((f) => !named.includes(f)),
    stale: named.filter((n) => !files.includes(n))
  }
}

describe('docs/layout.md maps src/', () => {
  it('has a line for every file under src/, and none for a file that is gone', () => {
    const map = readFileSync(join(root, 'docs', 'layout.md'), 'utf8')
    expect(unmapped(map, filesUnder(join(root, 'src')))).toEqual({ missing: [], stale: [] })
  })

  it('finds a file the map leaves out and a line for a file that is gone', () => {
    const map = [
      '```',
      'src/',
      '  main.ts       the entry',
      '  step/         following',
      '    wait.ts     the long poll',
      '    gone.ts     removed since',
      '```'
    ].join('\n')
    expect(unmapped(map, ['main.ts', 'step/wait.ts', 'step/new.ts'])).toEqual({
      missing: ['step/new.ts'],
      stale: ['step/gone.ts']
    })
  })
})

describe('src/ modules stay small', () => {
  // One job per module: a module past this is doing two.
  const MAX_LINES = 350

  it(`every module under src/ has fewer than ${MAX_LINES} lines`, () => {
    const long = filesUnder(join(root, 'src'))
      .map((f) => ({ f, lines: readFileSync(join(root, 'src', f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines >= MAX_LINES)
    expect(long).toEqual([])
  })
})

describe('tests mirror src/', () => {
  it('every module under src/ has a test at its mirrored path', () => {
    const modules = filesUnder(join(root, 'src'))
    const tests = filesUnder(join(root, '__tests__')).filter((t) => t.endsWith('.test.ts'))
    expect(unmirrored(modules, tests, NO_TEST_OF_ITS_OWN)).toEqual({ missing: [], stale: [] })
    for (const reason of Object.values(NO_TEST_OF_ITS_OWN)) expect(reason).not.toBe('')
  })

  it('finds a module without a test, a test of another name, and a stale allow-list entry', () => {
    const modules = ['a/b.ts', 'a/c.ts', 'a/d.mjs', 'e.ts', 'a/types.ts', 'a/b.json']
    const tests = [
      'a/b.test.ts', // b: its own name
      'a/c.retry.test.ts', // c: an aspect of it
      'a/dd.test.ts', // not d: another name that starts alike
      'a/d/x.test.ts', // not d: a folder of that name
      'e.test.js' // not e: not a TypeScript test
    ]
    const allowed = { 'a/types.ts': 'types only', 'a/gone.ts': 'removed since' }
    expect(unmirrored(modules, tests, allowed)).toEqual({
      missing: ['a/d.mjs', 'e.ts'],
      stale: ['a/gone.ts']
    })
  })
})
