import { resolveCredentials, type CredentialsConfig } from './credentials.js'
import { isLoopback, resolveEndpoint } from './endpoint.js'
import { InputError, type Env, type InputReader } from './errors.js'
import { checkExistingName, checkName, executionNameFromRun } from './names.js'
import { checkStartRequestSize } from './request-size.js'
import { parseOidcInputs } from './oidc.js'
import { compactDuration, parseDuration } from './duration.js'
import { inputFor, parseExecutionInput } from './execution-input.js'
import { checkOutputFile } from './output-file.js'
import { parseDefinitionInput } from './definition.js'
import { parseQualifier, type Qualifier } from './qualifier.js'
import { workflowRunUrl } from './run-url.js'
import type { ExecutionStatus } from '../fnf/types.js'
import { TERMINAL_STATUSES } from '../fnf/types.js'

export type OnTimeout = 'fail' | 'stop' | 'continue'
export type StopOnCancel = 'true' | 'false' | 'auto'
export type HistoryMode = 'on-failure' | 'always' | 'never'
export type PrCommentMode = 'never' | 'on-failure' | 'always'

/** Everything the action needs, validated. Built before any request is made. */
export type Config = Settings & CredentialsConfig

export interface Settings {
  flowName: string
  /**
   * The executions to wait for, in the order given (one per line of `execution-name`); with
   * `start` and no name, one named from the run. Each has its input (used with `start`).
   */
  executions: ExecutionTarget[]
  /** True when the name came from the run (no `execution-name` input). */
  generatedName: boolean
  start: boolean
  /** The version or alias `start` runs (`qualifier`); absent: the flow's latest definition. */
  qualifier?: Qualifier
  wait: boolean
  /** With several executions: stop waiting as soon as one fails. */
  failFast: boolean
  region?: string
  endpoint?: string
  /** The FnF base URL those two give, checked with the other inputs (see config/endpoint.ts). */
  fnfEndpoint: string
  /** Where the credentials came from, for the log (never the values). */
  credentialSource: string
  timeoutMs: number
  failOn: ReadonlySet<ExecutionStatus>
  onTimeout: OnTimeout
  stopOnCancel: StopOnCancel
  /** `stop-on-cancel` resolved: `auto` stops what this step started. */
  stopsOnCancel: boolean
  /** This workflow run's page (undefined outside a runner): stop causes and the PR comment name it. */
  runUrl: string | undefined
  outputFile?: string
  history: HistoryMode
  /** While waiting, log which steps run (one history page a minute per execution, first 10). */
  progress: boolean
  /**
   * Undocumented knobs read from the environment, for tests and benchmarks only, and only when
   * the endpoint is a loopback address (the emulator):
   * FNF_WAIT_PROGRESS_INTERVAL_MS shortens live progress's one-minute interval on the same code
   * path; FNF_WAIT_INTERNAL_STATUS_READS=long-poll long-polls every execution however many there
   * are (the benchmark's baseline, the strategy before batch reads).
   */
  progressIntervalMs?: number
  longPollsOnly?: true
  summary: boolean
  annotations: boolean
  prComment: PrCommentMode
  githubToken: string
  /** The `definition` input ('' to look for it) and the workspace it is in (config/definition.ts). */
  definition: string
  workspace: string
}

export interface ExecutionTarget {
  name: string
  /** The execution input, as a compact JSON object string. */
  input: string
}

/** Reads every input and fails on the first bad one. `read` returns '' for an unset input. */
export function parseConfig(read: InputReader, env: Env): Config {
  const get = (name: string): string => read(name).trim()

  const flowName = get('flow-name')
  if (flowName === '') throw new InputError('Input "flow-name" is required: the name of the flow.')
  checkName('flow-name', flowName)

  const start = parseBoolean('start', get('start'), false)
  const wait = parseBoolean('wait', get('wait'), true)

  const names = get('execution-name')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  if (names.length === 0 && !start) {
    throw new InputError(
      'Input "execution-name" is required unless "start" is true: name the execution to wait for, ' +
        'or set "start: true" to start one.'
    )
  }
  const seen = new Set<string>()
  for (const name of names) {
    // The documented rule binds the names the step gives StartExecution; waiting takes any name.
    if (start) checkName('execution-name', name)
    else checkExistingName('execution-name', name)
    if (seen.has(name)) {
      throw new InputError(
        `Input "execution-name" lists "${name}" twice: give each execution once.`
      )
    }
    seen.add(name)
  }
  const generatedName = names.length === 0
  const input = parseExecutionInput(read('input'), start)
  const qualifier = parseQualifier(get('qualifier'), start)
  if (generatedName) names.push(executionNameFromRun(env, flowName, input, qualifier?.text))
  const executions = names.map((name) => ({ name, input: inputFor(name, names, input) }))
  if (start) checkStartRequestSize(flowName, executions)
  const failFast = parseBoolean('fail-fast', get('fail-fast'), false)

  const timeoutText = get('timeout') || '1h'
  const timeoutMs = parseDuration(timeoutText)
  if (timeoutMs === undefined || timeoutMs <= 0) {
    throw new InputError(
      `Input "timeout" is "${timeoutText}", which is not a duration: use seconds ("600") or a ` +
        'duration such as "90s", "30m", "2h" or "1h30m", greater than zero.'
    )
  }
  if (timeoutMs > MAX_TIMEOUT_MS) {
    throw new InputError(
      `Input "timeout" is "${timeoutText}", longer than ${compactDuration(MAX_TIMEOUT_MS)} ` +
        '(the longest a GitHub Actions workflow run may last): give a shorter duration.'
    )
  }

  const failOn = parseFailOn(read('fail-on'))
  const onTimeout = parseChoice('on-timeout', get('on-timeout') || 'fail', [
    'fail',
    'stop',
    'continue'
  ] as const)
  const stopOnCancel = parseChoice('stop-on-cancel', get('stop-on-cancel') || 'auto', [
    'true',
    'false',
    'auto'
  ] as const)

  const endpoint = get('endpoint') || undefined
  const regionFrom = get('region')
    ? { value: get('region'), source: 'Input "region"' }
    : firstEnv(env, ['ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID'])
  const region = regionFrom?.value
  if (!endpoint && !region) {
    throw new InputError(
      'No region: set the "region" input (e.g. "cn-hangzhou") or the ALIBABA_CLOUD_REGION_ID ' +
        'environment variable, or give an "endpoint".'
    )
  }

  const history = parseChoice('history', get('history') || 'on-failure', [
    'on-failure',
    'always',
    'never'
  ] as const)
  const progress = parseBoolean('progress', get('progress'), true)
  const summary = parseBoolean('summary', get('summary'), true)
  const annotations = parseBoolean('annotations', get('annotations'), true)
  const prComment = parseChoice('pr-comment', get('pr-comment') || 'never', [
    'never',
    'on-failure',
    'always'
  ] as const)
  const githubToken = get('github-token')
  if (prComment !== 'never' && githubToken === '') {
    throw new InputError(
      `Input "github-token" is empty but "pr-comment" is "${prComment}": pass a token that may ` +
        'comment on pull requests (the default, ${{ github.token }}, does with ' +
        '"permissions: pull-requests: write").'
    )
  }

  // Precedence: the key inputs, then OIDC (inputs or env), then keys from the environment.
  const oidc = parseOidcInputs(read, env)
  const { auth, source }: { auth: CredentialsConfig; source: string } = oidc
    ? { auth: { oidc }, source: oidc.source }
    : resolveCredentials(get, env)
  const outputFile = get('output-file') || undefined
  if (outputFile) checkOutputFile(outputFile)
  const definition = parseDefinitionInput(read('definition'), env)
  // Last, so a bad endpoint is reported after the credentials, as when it was checked on connecting.
  const fnfEndpoint = resolveEndpoint({
    region,
    endpoint,
    ...(regionFrom ? { regionSource: regionFrom.source } : {})
  })

  return {
    flowName,
    executions,
    generatedName,
    start,
    ...(qualifier ? { qualifier } : {}),
    wait,
    failFast,
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    fnfEndpoint,
    ...auth,
    credentialSource: source,
    timeoutMs,
    failOn,
    onTimeout,
    stopOnCancel,
    stopsOnCancel: stopOnCancel === 'true' || (stopOnCancel === 'auto' && start),
    runUrl: workflowRunUrl(env),
    ...(outputFile ? { outputFile } : {}),
    history,
    progress,
    ...internalKnobs(env, fnfEndpoint),
    summary,
    annotations,
    prComment,
    githubToken,
    ...definition
  }
}

/**
 * The longest `timeout`: a GitHub Actions workflow run may last 35 days. It also keeps every
 * deadline well inside what the timers can express (see src/base/timers.ts).
 */
export const MAX_TIMEOUT_MS = 35 * 86_400_000

/** YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts; anything else is an error. */
export function parseBoolean(input: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(
    `Input "${input}" is "${value}", which is not a boolean: use "true" or "false".`
  )
}

function parseChoice<T extends string>(input: string, value: string, choices: readonly T[]): T {
  const normalized = value.toLowerCase()
  const found = choices.find((choice) => choice === normalized)
  if (found === undefined) {
    throw new InputError(
      `Input "${input}" is "${value}", which is not one of: ${choices.map((c) => `"${c}"`).join(', ')}.`
    )
  }
  return found
}

export function parseFailOn(raw: string): ReadonlySet<ExecutionStatus> {
  const text = raw.trim() === '' ? 'Failed,TimedOut,Stopped' : raw
  const statuses = new Set<ExecutionStatus>()
  for (const item of text.split(/[,\n]/)) {
    const value = item.trim()
    if (value === '') continue
    const status = TERMINAL_STATUSES.find((s) => s.toLowerCase() === value.toLowerCase())
    if (status === undefined) {
      throw new InputError(
        `Input "fail-on" has "${value}", which is not a terminal status: use any of ` +
          `${TERMINAL_STATUSES.join(', ')}, separated by commas or newlines.`
      )
    }
    statuses.add(status)
  }
  // Only separators: an empty set would let every execution pass, whatever its end.
  if (statuses.size === 0) {
    throw new InputError(
      `Input "fail-on" is "${raw.trim()}", which names no status: list at least one of ` +
        `${TERMINAL_STATUSES.join(', ')}, or leave it empty for the default (Failed, TimedOut, Stopped).`
    )
  }
  return statuses
}

/** The first variable set, and its name (an error about the value must name where it came from). */
function firstEnv(env: Env, names: string[]): { value: string; source: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim()
    if (value) return { value, source: `Environment variable ${name}` }
  }
  return undefined
}

/**
 * The tests' knobs change how often the step sends requests, so they count only against an
 * endpoint on this machine (the emulator): a job's environment cannot make the step read a real
 * service's history every millisecond.
 */
function internalKnobs(
  env: Env,
  endpoint: string
): Pick<Settings, 'progressIntervalMs' | 'longPollsOnly'> {
  if (!isLoopback(new URL(endpoint).hostname)) return {}
  const interval = Number(env.FNF_WAIT_PROGRESS_INTERVAL_MS)
  return {
    ...(Number.isInteger(interval) && interval > 0 ? { progressIntervalMs: interval } : {}),
    ...(env.FNF_WAIT_INTERNAL_STATUS_READS === 'long-poll' ? { longPollsOnly: true as const } : {})
  }
}
