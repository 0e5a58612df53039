/**
 * `npm run demo`: the action's main job against the embedded emulator, no cloud account needed.
 * Starts the emulator, then runs the bundled dist/index.js exactly as a runner would (INPUT_*
 * variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files): once for a flow that succeeds, and once
 * for each spec of one that fails inside a nested step. Prints each run's log, outputs, exit
 * status and job summary. The workspace is this repository, which holds the demo flows'
 * definitions (emulator/flows/): the failing step's annotation carries `file=` and `line=`.
 */
import { resolve } from 'node:path'
import { DEMO_CREDENTIAL, startEmulator } from '../emulator/index.js'
import { DEMO_FLOWS } from '../emulator/demo-flows.js'
import { runAction } from './run-action.js'

const REPOSITORY = resolve(import.meta.dirname, '..')

const emulator = await startEmulator({ flows: DEMO_FLOWS })
const common = {
  start: 'true',
  endpoint: emulator.url,
  'access-key-id': DEMO_CREDENTIAL.accessKeyId,
  'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
  timeout: '5m'
}
const runs: Array<{ title: string; inputs: Record<string, string> }> = [
  {
    title: 'A release that succeeds',
    inputs: { 'flow-name': 'release-pipeline', input: '{"version":"2.4.0"}' }
  },
  {
    title: 'A nightly ETL that fails inside a nested step',
    inputs: { 'flow-name': 'nightly-etl' }
  },
  {
    title: 'The same ETL, its definition in the CloudFlow spec',
    inputs: { 'flow-name': 'nightly-etl-cloudflow' }
  }
]

let unexpected = 0
try {
  for (const [i, demo] of runs.entries()) {
    const rule = '='.repeat(100)
    console.log(`\n${rule}\n${i + 1}. ${demo.title}: flow ${demo.inputs['flow-name']}\n${rule}`)
    const run = await runAction({
      inputs: { ...common, ...demo.inputs },
      env: { GITHUB_RUN_ID: String(Date.now()), GITHUB_JOB: 'demo', GITHUB_WORKSPACE: REPOSITORY }
    })
    console.log('\n--- step log (stdout) ---')
    process.stdout.write(run.stdout)
    if (run.stderr) process.stdout.write(`--- stderr ---\n${run.stderr}`)
    console.log('\n--- outputs ($GITHUB_OUTPUT) ---')
    for (const [name, value] of Object.entries(run.outputs)) {
      console.log(
        `${name}: ${value.length > 300 ? `${value.slice(0, 300)}… (${value.length} chars)` : value}`
      )
    }
    console.log(
      `\n--- exit status: ${run.code} (${run.code === 0 ? 'step passed' : 'step failed'}) ---`
    )
    console.log('\n--- job summary ($GITHUB_STEP_SUMMARY) ---')
    console.log(run.summary.trim() === '' ? '(empty)' : run.summary)
    const expectedCode = i === 0 ? 0 : 1
    if (run.code !== expectedCode) unexpected++
  }
} finally {
  await emulator.close()
}
console.log(
  unexpected === 0
    ? '\nDemo done: the first run passed and the others failed, as they should.'
    : `\nDemo: ${unexpected} run(s) did not end as expected.`
)
process.exitCode = unexpected === 0 ? 0 : 1
