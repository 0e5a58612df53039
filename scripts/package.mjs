// Bundles src/index.ts into dist/ (or the folder given as the first argument) with ncc. The folder
// is wiped first so files ncc no longer emits do not linger and make the committed bundle differ
// from a fresh one.
import { execFileSync } from 'node:child_process'
import { rmSync, writeFileSync, existsSync, readFileSync } from 'node:fs'

const out = process.argv[2] ?? 'dist'
rmSync(out, { recursive: true, force: true })
execFileSync(
  process.execPath,
  [
    'node_modules/@vercel/ncc/dist/ncc/cli.js',
    'build',
    'src/index.ts',
    '-o',
    out,
    '--license',
    'licenses.txt',
    '--quiet'
  ],
  { stdio: 'inherit' }
)
// ncc emits an ES module bundle for a "type": "module" package; Node needs this file beside it to load it as ESM.
const pkg = `${out}/package.json`
if (!existsSync(pkg) || JSON.parse(readFileSync(pkg, 'utf8')).type !== 'module') {
  writeFileSync(pkg, JSON.stringify({ type: 'module' }, null, 2) + '\n')
}
