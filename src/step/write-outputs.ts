import * as core from '@actions/core'
import {
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  writeSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Config } from '../config/inputs.js'
import { fileKind } from '../config/output-file.js'
import { errorMessage } from '../base/error-text.js'
import { redactSecrets } from '../base/secrets.js'
import { planOutputs } from './outputs.js'
import type { Tracked } from './execution-outcome.js'

type Env = Record<string, string | undefined>

/** Sets the step's outputs from the plan, writing the output file first when the plan has one. */
export function writeOutputs(
  config: Config,
  outcomes: readonly Tracked[],
  env: Env,
  options: { again?: boolean } = {}
): void {
  const warn = (message: string): void => {
    if (!options.again) core.warning(message)
  }
  const plan = planOutputs({
    flowName: config.flowName,
    tracked: outcomes,
    ...(config.qualifier ? { qualifier: config.qualifier.text } : {}),
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
      writeRegularFile(plan.values['output-file'], redactSecrets(plan.fileContent))
    } catch (error) {
      warn(`Could not write the output file ${plan.values['output-file']}: ${errorMessage(error)}`)
      plan.values['output-file'] = ''
    }
  }
  if (plan.outputCut) {
    warn(
      `The execution's output is too large for a step output (GitHub allows 1 MB per job); the "output" ` +
        `output is cut, and the whole output is in ${plan.values['output-file'] || 'no file (see above)'}.`
    )
  }
  if (plan.resultsCut) {
    const { file, content, shown, total } = plan.resultsCut
    let where = `in ${file}`
    try {
      writeRegularFile(file, redactSecrets(content))
    } catch (error) {
      where = `not written (${errorMessage(error)})`
    }
    warn(
      `Too many executions for the "results" output (GitHub allows 1 MB of outputs per job): it ` +
        `lists the ${shown} most severe of ${total}; the whole of it is ${where}.`
    )
  }
  if (plan.namesCut) {
    warn(
      `The "execution-name" output lists the first ${plan.namesCut.shown} of ` +
        `${plan.namesCut.total} executions, to stay inside GitHub's 1 MB of outputs per job.`
    )
  }
  // The one place outputs are written: a cause or output echoing a credential is redacted here.
  for (const [name, value] of Object.entries(plan.values))
    core.setOutput(name, redactSecrets(value))
}

/**
 * Creates or overwrites a regular file, and nothing else: opened without blocking (a FIFO with
 * no reader fails at once rather than hanging the step), and checked once open, since the path
 * may have changed since the inputs were read.
 */
export function writeRegularFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_NONBLOCK | constants.O_NOCTTY,
    0o644
  )
  try {
    const stats = fstatSync(fd)
    if (!stats.isFile()) throw new Error(`${path} is ${fileKind(stats)}, not a regular file`)
    ftruncateSync(fd, 0)
    const bytes = Buffer.from(content)
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at)
  } finally {
    closeSync(fd)
  }
}
