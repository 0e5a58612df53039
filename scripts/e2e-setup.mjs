// Jest global setup of the e2e project: bundles the current src/ into a temp folder and points
// scripts/run-action.ts at it (FNF_WAIT_BUNDLE), so end-to-end tests never run a stale dist/.
// A bundle given in FNF_WAIT_BUNDLE is used as is. Meanwhile it extracts the test browser
// (scripts/browser.ts) once, before the workers start, rather than in whichever render test asks
// first.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

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

async function bundle() {
  if (process.env.FNF_WAIT_BUNDLE) {
    if (!existsSync(process.env.FNF_WAIT_BUNDLE))
      throw new Error(`FNF_WAIT_BUNDLE=${process.env.FNF_WAIT_BUNDLE} does not exist`)
    return
  }
  const out = mkdtempSync(join(tmpdir(), 'fnf-wait-bundle-'))
  try {
    await node(['scripts/package.mjs', out], 'inherit')
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
    const child = spawn(process.execPath, args, { stdio: ['ignore', stdout, 'inherit'] })
    child.once('error', reject)
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`exited ${signal ?? code}`))
    )
  })
}
