/**
 * The failure report through run() in process (support/harness.ts), once per way the service can
 * link history events (FlowScript.linking): the report must not depend on it. The cases are in
 * support/report-cases.ts; e2e/report.e2e.test.ts runs them through the bundle.
 */
import { describe } from '@jest/globals'
import { LINKINGS } from '../emulator/flow-script.js'
import { ENV, core, fake, run } from './support/harness.js'
import { reportCases, type RunStep } from './support/report-cases.js'

const runInProcess: RunStep = async ({ inputs, env = {} }) => {
  core.resetCore(inputs)
  await run({ ...ENV, ...env })
  return {
    code: fake.failed === undefined ? 0 : 1,
    outputs: Object.fromEntries(fake.outputs),
    summary: fake.summary,
    annotations: fake.annotations
  }
}

describe.each(LINKINGS)('linking: %s', (linking) => reportCases(linking, runInProcess))
