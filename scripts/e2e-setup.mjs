// Jest global setup of the e2e project: the bundle the tests run (FNF_WAIT_BUNDLE, read by
// scripts/run-action.ts) is never a stale one. dist/ when it is the bundle of the sources on disk
// (its sources.sha256, scripts/bundle-sources.mjs), as after `npm run package` and in CI, where
// the committed dist/ is checked to be that; otherwise src/ bundled afresh into a temp folder.
// A bundle given in FNF_WAIT_BUNDLE is used as is.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freshDist } from './bundle-sources.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

export default function setup() {
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
    execFileSync(process.execPath, [join(root, 'scripts', 'package.mjs'), out], {
      stdio: 'inherit'
    })
  } catch (e) {
    throw new Error(
      `could not bundle src/ for the e2e tests (run \`node scripts/package.mjs ${out}\` to see why): ${e}`
    )
  }
  process.env.FNF_WAIT_BUNDLE = join(out, 'index.js')
  process.env.FNF_WAIT_BUNDLE_TEMP = out
}
