// Jest global setup of the e2e project: bundles the current src/ into a temp folder and points
// scripts/run-action.ts at it (FNF_WAIT_BUNDLE), so end-to-end tests never run a stale dist/.
// A bundle given in FNF_WAIT_BUNDLE is used as is.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function setup() {
  if (process.env.FNF_WAIT_BUNDLE) {
    if (!existsSync(process.env.FNF_WAIT_BUNDLE))
      throw new Error(`FNF_WAIT_BUNDLE=${process.env.FNF_WAIT_BUNDLE} does not exist`)
    return
  }
  const out = mkdtempSync(join(tmpdir(), 'fnf-wait-bundle-'))
  try {
    execFileSync(process.execPath, ['scripts/package.mjs', out], { stdio: 'inherit' })
  } catch (e) {
    throw new Error(
      `could not bundle src/ for the e2e tests (run \`node scripts/package.mjs ${out}\` to see why): ${e}`
    )
  }
  process.env.FNF_WAIT_BUNDLE = join(out, 'index.js')
  process.env.FNF_WAIT_BUNDLE_TEMP = out
}
