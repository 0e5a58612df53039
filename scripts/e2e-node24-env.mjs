// A setup file of the e2e-node24 project, run in each of its test files before the tests: jest
// gives every test file its own copy of process.env, so FNF_WAIT_NODE (the Node that
// scripts/run-action.ts spawns) is set for this project's tests and no other's.
const node = process.env.FNF_WAIT_NODE24
if (!node) throw new Error('FNF_WAIT_NODE24 is not set: scripts/e2e-node24-setup.mjs did not run')
process.env.FNF_WAIT_NODE = node
