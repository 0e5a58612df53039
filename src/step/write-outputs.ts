import * as core from '@actions/core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Config } from '../config/inputs.js'
import { errorMessage } from '../http/errors.js'
import { redactSecrets } from '../http/secrets.js'
import { planOutputs } from './outputs.js'
import type { Tracked } from './tracked.js'

type Env = Record<string, string | undefined>

/** Sets the step's outputs from the plan, writing the output file first when the plan has one. */
export function writeOutputs(config: Config, outcomes: readonly Tracked[], env: Env): void {
  const plan = planOutputs({
    flowName: config.flowName,
    tracked: outcomes,
    ...(config.outputFile ? { outputFile: config.outputFile } : {}),
    defaultOutputFile: () =>
      join(
        env.RUNNER_TEMP || tmpdir(),
        'fnf-wait',
        config.flowName,
        `${outcomes.length === 1 ? outcomes[0]!.name : 'executions'}.output.json`
      )
  })
  if (plan.fileContent !== undefined) {
    try {
      mkdirSync(dirname(plan.values['output-file']), { recursive: true })
      writeFileSync(plan.values['output-file'], redactSecrets(plan.fileContent))
    } catch (error) {
      core.warning(
        `Could not write the output file ${plan.values['output-file']}: ${errorMessage(error)}`
      )
      plan.values['output-file'] = ''
    }
  }
  if (plan.values['output-truncated'] === 'true') {
    core.warning(
      `The execution's output is too large for a step output (GitHub allows 1 MB per job); the "output" ` +
        `output is cut, and the whole output is in ${plan.values['output-file'] || 'no file (see above)'}.`
    )
  }
  // The one place outputs are written: a cause or output echoing a credential is redacted here.
  for (const [name, value] of Object.entries(plan.values))
    core.setOutput(name, redactSecrets(value))
}
