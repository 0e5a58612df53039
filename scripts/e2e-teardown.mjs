// Jest global teardown of the e2e project: removes the bundle e2e-setup.mjs built.
import { rmSync } from 'node:fs'

export default function teardown() {
  const out = process.env.FNF_WAIT_BUNDLE_TEMP
  if (out) rmSync(out, { recursive: true, force: true })
}
