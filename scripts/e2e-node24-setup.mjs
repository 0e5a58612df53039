// Jest global setup of the e2e-node24 project: the fresh bundle of the e2e project (bundle() of
// e2e-setup.mjs: one bundle for both projects), and the Node.js 24 to run it on (scripts/node24.mjs),
// checked once here and handed to the workers as FNF_WAIT_NODE24. Only this project's tests turn
// it into FNF_WAIT_NODE, the Node scripts/run-action.ts spawns (e2e-node24-env.mjs).
import { bundle } from './e2e-setup.mjs'
import { checkNode24, node24Path } from './node24.mjs'

export default async function setup() {
  const node = node24Path()
  checkNode24(node)
  process.env.FNF_WAIT_NODE24 = node
  await bundle()
}
