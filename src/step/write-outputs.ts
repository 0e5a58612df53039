import * as core from '@actions/core'
import * as log from '../base/log.js'
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
    if (!options.again) log.warning(message)
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
  if (plan.filePieces) {
    try {
      writeRegularFile(plan.values['output-file'], redactedChunks(plan.filePieces()))
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
    const { file, pieces, shown, total } = plan.resultsCut
    let where = `in ${file}`
    try {
      writeRegularFile(file, redactedChunks(pieces()))
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
  setOutputs(plan.values)
}

/**
 * The one place outputs are written: a cause or output echoing a credential is redacted here. A
 * GITHUB_OUTPUT that cannot be written (a directory, read-only, gone, a full disk) fails with
 * the file's name and what to check, not a bare EISDIR.
 */
export function setOutputs(values: object): void {
  try {
    for (const [name, value] of Object.entries(values) as Array<[string, string]>)
      core.setOutput(name, redactSecrets(value))
  } catch (error) {
    const file = process.env.GITHUB_OUTPUT
    // @actions/core checks the file exists first and says so in words, without a code.
    const code =
      (error as NodeJS.ErrnoException).code ??
      (/^Missing file at path/.test(errorMessage(error)) ? 'ENOENT' : undefined)
    throw new Error(
      `Could not write the step's outputs to GITHUB_OUTPUT (${file ? file : 'not set'}): ` +
        `${errorMessage(error)}. ${OUTPUT_ADVICE[code ?? ''] ?? OUTPUT_ADVICE.default}`,
      { cause: error }
    )
  }
}

const OUTPUT_ADVICE: Record<string, string> = {
  EISDIR:
    'It is a directory: the runner sets GITHUB_OUTPUT to a file; check that no earlier step or the job env overrides it.',
  EACCES:
    'The job may not write it: check the file and its folder belong to the user the step runs as (a container step running as another user, or a chmod in an earlier step).',
  EPERM:
    'The job may not write it: check the file and its folder belong to the user the step runs as.',
  ENOENT:
    'The file or its folder is gone: check that no earlier step deleted the runner temp folder or overrides GITHUB_OUTPUT.',
  ENOSPC: 'The disk is full: free space on the runner (RUNNER_TEMP) and run the job again.',
  EROFS: 'It is on a read-only file system: check the volume mounts of the job or container.',
  default: 'Check that GITHUB_OUTPUT names a regular file the job can write, as the runner sets it.'
}

/** A file's text is written in chunks of about this many UTF-16 code units. */
const CHUNK_UNITS = 1 << 20

/**
 * The pieces of a large text, joined into chunks of about CHUNK_UNITS and each redacted: never
 * the whole as one string, nor its redacted copy. A chunk ends only where a piece does, and the
 * pieces of the step's JSON end between two entries (before `,"name":`), where no credential
 * (letters, digits, `+/=_.-`) in any encoding can be split between two chunks.
 */
export function* redactedChunks(pieces: Iterable<string>): Iterable<string> {
  let chunk = ''
  for (const piece of pieces) {
    chunk += piece
    if (chunk.length < CHUNK_UNITS) continue
    yield redactSecrets(chunk)
    chunk = ''
  }
  if (chunk !== '') yield redactSecrets(chunk)
}

/**
 * Creates or overwrites a regular file, and nothing else: opened without blocking (a FIFO with
 * no reader fails at once rather than hanging the step), and checked once open, since the path
 * may have changed since the inputs were read. The content may come in chunks, each written
 * before the next is made.
 */
export function writeRegularFile(path: string, content: string | Iterable<string>): void {
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
    for (const chunk of typeof content === 'string' ? [content] : content) {
      const bytes = Buffer.from(chunk)
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at)
    }
  } finally {
    closeSync(fd)
  }
}
