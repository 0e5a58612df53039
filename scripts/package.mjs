// Bundles src/index.ts with ncc: `node scripts/package.mjs [outDir]` (default dist). The folder is
// wiped first so files ncc no longer emits do not linger and make the committed bundle differ from
// a fresh one; everything is written there (chunks, source maps, licenses.txt, package.json).
//
// Minified, with source maps that ncc's sourcemap-register.cjs (source-map-support) applies to
// stack traces: it reads a map only when a trace is printed, so a run that throws nothing pays
// for loading a 40 kB file, not for parsing 2 MB of maps.
//
// It also writes sources.sha256 (scripts/bundle-sources.mjs): which sources the bundle is of, so
// the e2e tests can run a fresh dist/ instead of bundling again.
//
// Cold start (bench/cold-start.ts) shapes two more things: every `undici` import resolves to
// src/http/undici-lean.mjs (scripts/tsconfig.bundle.json), and the bundle loads
// sourcemap-register.cjs only once it is needed (see lazySourceMapSupport).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { STAMP, sourcesHash } from './bundle-sources.mjs'

// The output folder is relative to where the script is called from; ncc runs in the repository.
const out = resolve(process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url)))
const root = fileURLToPath(new URL('..', import.meta.url))
// The folder is wiped: never the repository or a folder holding it.
const up = relative(out, root)
if (up === '' || (!up.startsWith('..') && !isAbsolute(up))) {
  throw new Error(`${out} holds the repository; give a folder of its own`)
}
process.chdir(root)
rmSync(out, { recursive: true, force: true })
const work = mkdtempSync(join(tmpdir(), 'fnf-wait-package-'))
try {
  const stats = join(work, 'stats.json')
  execFileSync(
    process.execPath,
    [
      'node_modules/@vercel/ncc/dist/ncc/cli.js',
      'build',
      'src/index.ts',
      '-o',
      out,
      '--minify',
      '--source-map',
      '--stats-out',
      stats,
      '--quiet'
    ],
    {
      stdio: 'inherit',
      // ncc resolves `paths` with tsconfig-paths, which reads the file this names.
      env: { ...process.env, TS_NODE_PROJECT: join(root, 'scripts', 'tsconfig.bundle.json') }
    }
  )
  loadSourceMapSupportLazily(join(out, 'index.js'))
  writeFileSync(join(out, 'licenses.txt'), licenses(JSON.parse(readFileSync(stats, 'utf8'))))
} finally {
  rmSync(work, { recursive: true, force: true })
}
// ncc emits an ES module bundle for a "type": "module" package; Node needs this file beside it to load it as ESM.
const pkg = join(out, 'package.json')
if (!existsSync(pkg) || JSON.parse(readFileSync(pkg, 'utf8')).type !== 'module') {
  writeFileSync(pkg, JSON.stringify({ type: 'module' }, null, 2) + '\n')
}
writeFileSync(join(out, STAMP), sourcesHash(root) + '\n')

/**
 * ncc starts the bundle with `import './sourcemap-register.cjs';`, which costs every run about
 * 10 ms before its first request: Node parses a CommonJS file that an ES module imports to find
 * its exports (cjs-module-lexer), then loads and runs 40 kB of source-map-support, which is needed
 * only once a stack trace is printed. The bundle starts with lazySourceMapSupport instead. ncc also
 * leaves the map's columns on that line unshifted by the 34 characters it prepends, so giving the
 * start lines of its own, and moving the mappings down as many lines, puts every mapping back
 * where it belongs.
 */
function loadSourceMapSupportLazily(file) {
  const prefix = "import './sourcemap-register.cjs';"
  const code = readFileSync(file, 'utf8')
  if (!code.startsWith(prefix)) throw new Error(`${file} does not start with ${prefix}`)
  const start =
    'import { createRequire } from "node:module";\n' +
    `(${lazySourceMapSupport})(createRequire(import.meta.url));\n`
  writeFileSync(file, start + code.slice(prefix.length))
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'))
  map.mappings = ';'.repeat(start.split('\n').length - 1) + map.mappings
  writeFileSync(`${file}.map`, JSON.stringify(map))
}

/**
 * Runs first in the bundle (as source text): loads ncc's sourcemap-register.cjs when an exception
 * goes uncaught, so that a crash prints its stack mapped to src/. Not on every formatted stack:
 * Node formats the stack of each error that destroys a socket (undici closing its pool at exit),
 * and mapping it would parse the whole source map, about 100 ms, between the execution's end and
 * the step's exit. The action prints messages, never stacks, so nothing else needs the map.
 */
function lazySourceMapSupport(require) {
  let loaded = false
  const emit = process.emit
  process.emit = function (type, ...args) {
    if (type === 'uncaughtException' && !loaded) {
      loaded = true
      require('./sourcemap-register.cjs')
      // Now source-map-support's wrapper of this function: it prints the mapped error and exits.
      return process.emit.call(this, type, ...args)
    }
    return emit.call(this, type, ...args)
  }
}

/**
 * The licenses of every package in the bundle, chunks included, in the format of ncc's
 * `--license` (name, license type, license text). ncc's own option writes one file per chunk under
 * the same name, so the last chunk's list would overwrite the others.
 */
function licenses(stats) {
  const dirs = new Set()
  const walk = (modules) => {
    for (const m of modules ?? []) {
      const at = m.name?.lastIndexOf('node_modules/') ?? -1
      if (at >= 0) {
        const [scope, name] = m.name.slice(at + 'node_modules/'.length).split('/')
        dirs.add(
          m.name.slice(0, at) +
            'node_modules/' +
            (scope.startsWith('@') ? `${scope}/${name}` : scope)
        )
      }
      walk(m.modules)
    }
  }
  walk(stats.modules)
  for (const chunk of stats.chunks ?? []) walk(chunk.modules)
  const entries = new Map()
  for (const dir of dirs) {
    const meta = JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8'))
    const file = readdirSync(resolve(dir)).find((f) => /^(licen[cs]e|copying)(\..*)?$/i.test(f))
    const text = file ? readFileSync(resolve(dir, file), 'utf8').trim() : ''
    const entry = [meta.name, meta.license ?? 'UNKNOWN', text].filter((s) => s !== '').join('\n')
    entries.set(entry, meta.name)
  }
  return (
    [...entries]
      .sort(([a, nameA], [b, nameB]) =>
        nameA === nameB ? (a < b ? -1 : 1) : nameA < nameB ? -1 : 1
      )
      .map(([entry]) => entry)
      .join('\n\n') + '\n'
  )
}
