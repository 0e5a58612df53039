// Jest global setup of the e2e project: the bundle the tests run (FNF_WAIT_BUNDLE, read by
// scripts/run-action.ts) is never a stale one. dist/ when it is the bundle of the sources on disk
// (its sources.sha256, scripts/bundle-sources.mjs), as after `npm run package` and in CI, where
// the committed dist/ is checked to be that; otherwise src/ bundled afresh into a temp folder.
// A bundle given in FNF_WAIT_BUNDLE is used as is. Meanwhile it extracts the test browser
// (scripts/browser.ts) once, before the workers start, rather than in whichever render test asks
// first. The e2e-node24 project's setup (e2e-node24-setup.mjs) calls bundle() too: whichever runs
// first bundles, and the other finds FNF_WAIT_BUNDLE set.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freshDist } from './bundle-sources.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

export default async function setup() {
  const browser = node(['--import', 'tsx', 'scripts/browser.ts'], 'ignore').catch((e) => {
    throw new Error(
      `could not extract the test browser (run \`npx tsx scripts/browser.ts\` to see why): ${e.message}`
    )
  })
  try {
    await bundle()
  } finally {
    // Settled either way, so no extraction outlives a failed setup.
    await browser.catch(() => {})
  }
  await browser
}

/** Sets FNF_WAIT_BUNDLE to a bundle of the sources on disk, unless it is set. */
export async function bundle() {
  if (process.env.FNF_WAIT_BUNDLE) {
    if (!existsSync(process.env.FNF_WAIT_BUNDLE))
      throw new Error(`FNF_WAIT_BUNDLE=${process.env.FNF_WAIT_BUNDLE} does not exist`)
    return
  }
  const dist = freshDist(root)
  if (dist) {
    process.env.FNF_WAIT_BUNDLE = dist
    return
  }
  const out = mkdtempSync(join(tmpdir(), 'fnf-wait-bundle-'))
  try {
    await node([join(root, 'scripts', 'package.mjs'), out], 'inherit')
  } catch (e) {
    throw new Error(
      `could not bundle src/ for the e2e tests (run \`node scripts/package.mjs ${out}\` to see why): ${e.message}`
    )
  }
  process.env.FNF_WAIT_BUNDLE = join(out, 'index.js')
  process.env.FNF_WAIT_BUNDLE_TEMP = out
}

/** Runs node with `args`; rejects with the exit code or signal. */
function node(args, stdout) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', stdout, 'inherit']
    })
    child.once('error', reject)
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`exited ${signal ?? code}`))
    )
  })
}
