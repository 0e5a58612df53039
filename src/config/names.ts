/**
 * Flow and execution names: the service's rule for names a caller gives, the wider set of names
 * the service itself gives executions, and the name a run gives the execution it starts.
 */
import { createHash, randomUUID } from 'node:crypto'
import { InputError, type Env } from './errors.js'

export const NAME_RULE =
  'letters, digits, "_" and "-" only, starting with a letter or "_", 1 to 128 characters'
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/

export function isValidName(name: string): boolean {
  return NAME_PATTERN.test(name)
}

export function checkName(input: string, value: string): void {
  if (!isValidName(value)) {
    throw new InputError(
      `Input "${input}" is "${value}", which is not a valid name: use ${NAME_RULE}.`
    )
  }
}

/**
 * Names of executions that exist: the rule above is documented for names a caller gives
 * (fnf-api.md §10), and the service gives its own names outside it (a UUID that starts with a
 * digit for an execution started without a name, `{name}:{UUID}` for an express one). Waiting
 * accepts every name the API reads executions by.
 */
export const EXISTING_NAME_RULE = 'letters, digits, "_", "-" and ":", 1 to 128 characters'
const EXISTING_NAME_PATTERN = /^[A-Za-z0-9_:-]{1,128}$/

export function isExistingName(name: string): boolean {
  return EXISTING_NAME_PATTERN.test(name)
}

export function checkExistingName(input: string, value: string): void {
  if (!isExistingName(value)) {
    throw new InputError(
      `Input "${input}" is "${value}", which is not the name of an execution: names are ` +
        `${EXISTING_NAME_RULE}.`
    )
  }
}

/**
 * One name per job run: a re-run (new GITHUB_RUN_ATTEMPT) starts a new execution, while a step
 * retried within the same attempt finds the execution it started. The hash of flow and input keeps
 * matrix legs of one job (same GITHUB_JOB) apart when their inputs (or qualifiers) differ.
 */
export function executionNameFromRun(
  env: Env,
  flowName: string,
  input: string,
  qualifier?: string
): string {
  const runId = env.GITHUB_RUN_ID
  if (!runId) return `fnf-wait-${randomUUID()}`
  const attempt = env.GITHUB_RUN_ATTEMPT || '1'
  const job = (env.GITHUB_JOB || 'job').replace(/[^A-Za-z0-9_-]/g, '-')
  // Without a qualifier the hash is what it always was, so a retried step still finds its own.
  const keyed = `${flowName}\n${input}${qualifier ? `\n${qualifier}` : ''}`
  const hash = createHash('sha256').update(keyed).digest('hex').slice(0, 8)
  const head = `github-${runId.replace(/[^0-9]/g, '')}-${attempt.replace(/[^0-9]/g, '')}-`
  const tail = `-${hash}`
  return head + job.slice(0, 128 - head.length - tail.length) + tail
}
