import * as core from '@actions/core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Cancellation, CancelledError } from './cancellation.js'
import { formatDuration } from './duration.js'
import { expiredTokenAdvice } from './auth/expired-token.js'
import { connect } from './connect.js'
import type { FnfClient } from './fnf/client.js'
import { createDispatcher } from './fnf/dispatcher.js'
import { errorMessage, FnfError } from './fnf/errors.js'
import type { Execution } from './fnf/types.js'
import { isTerminal } from './fnf/types.js'
import { type Config, parseConfig } from './inputs.js'
import { planOutputs } from './outputs.js'
import { publishReport, workflowRunUrl } from './publish.js'
import { fetchHistory, type ExecutionReport, type ReportContext } from './report/index.js'
import { markMainStarted, saveDone, saveWaiting } from './state.js'
import { waitForExecution } from './wait.js'

type Env = Record<string, string | undefined>

/** What is known so far; outputs and the report are written from it on every path. */
interface Progress {
  execution?: Execution
  waitTimedOut: boolean
  startedAt: number
  /** A stop on cancel that did not go through: left for the post step to retry. */
  stopPending?: boolean
}

/** StopExecution must finish inside the runner's 7.5 s between SIGINT and SIGTERM. */
const STOP_BUDGET_MS = 6000
/**
 * The history is read after the wait, which may have used the whole `timeout`; it gets this much
 * more so a timed-out wait still explains which steps were running.
 */
const HISTORY_BUDGET_MS = 120_000

export async function run(env: Env = process.env): Promise<void> {
  markMainStarted()
  const cancellation = new Cancellation(process, (line) => core.info(line))
  const dispatcher = createDispatcher()
  const progress: Progress = { waitTimedOut: false, startedAt: Date.now() }
  let config: Config | undefined
  try {
    config = parseConfig((name) => core.getInput(name), env)
    const { client, usesOidc } = connect(config, dispatcher)
    let failure: string | undefined
    let report: ExecutionReport | undefined
    try {
      failure = await waitStep(config, client, cancellation, progress, env)
      report = await readHistory(config, client, progress, cancellation.signal)
    } catch (error) {
      // A token from configure-aliyun-credentials-action can expire mid-wait; ours are renewed.
      const advice = usesOidc ? undefined : expiredTokenAdvice(error)
      failure =
        error instanceof CancelledError
          ? error.message
          : `fnf-wait: ${errorMessage(error)}${advice ? ` ${advice}` : ''}`
    }
    await finish(config, progress, report, failure, env)
  } catch (error) {
    // Only a bad input lands here: nothing was sent, so there is nothing to report.
    core.setFailed(`fnf-wait: ${errorMessage(error)}`)
  } finally {
    if (!progress.stopPending) saveDone()
    cancellation.dispose()
    await dispatcher.close()
  }
}

/** Starts (if asked) and waits; returns the failure message when the step must fail. */
async function waitStep(
  config: Config,
  client: FnfClient,
  cancellation: Cancellation,
  progress: Progress,
  env: Env
): Promise<string | undefined> {
  const { flowName, executionName } = config
  const signal = cancellation.signal
  const deadline = progress.startedAt + config.timeoutMs
  const stopOnCancel =
    config.stopOnCancel === 'true' || (config.stopOnCancel === 'auto' && config.start)
  core.info(`Credentials from ${config.credentialSource}.`)

  try {
    if (config.start) {
      progress.execution = await startExecution(config, client, deadline, signal)
    }
    saveWaiting(flowName, executionName, stopOnCancel)

    if (!config.wait) {
      const execution = await client.describeExecution(
        { flowName, executionName, waitTimeSeconds: 0 },
        { deadline, signal }
      )
      progress.execution = execution
      core.info(
        `Execution ${executionName} of flow ${flowName} is ${execution.Status} (wait: false).`
      )
      return failureFor(config, execution)
    }

    core.info(
      `Waiting for execution ${executionName} of flow ${flowName} until ` +
        `${new Date(deadline).toISOString()} (timeout ${formatDuration(config.timeoutMs)}).`
    )
    const result = await waitForExecution(client, {
      flowName,
      executionName,
      deadline,
      signal,
      onStatus: (execution, previous) => {
        progress.execution = execution
        core.info(
          previous
            ? `Status: ${previous} → ${execution.Status}.`
            : `Status: ${execution.Status}${execution.StartedTime ? ` (started ${execution.StartedTime})` : ''}.`
        )
      },
      onHeartbeat: (execution, waited) => {
        progress.execution = execution
        core.info(`Still ${execution.Status} after ${formatDuration(waited)}.`)
      }
    })
    progress.execution = result.execution

    if (result.kind === 'ended') {
      core.info(
        `Execution ${executionName} ended ${result.execution.Status}` +
          `${result.execution.StoppedTime ? ` at ${result.execution.StoppedTime}` : ''} ` +
          `(waited ${formatDuration(Date.now() - progress.startedAt)}).`
      )
      return failureFor(config, result.execution)
    }

    progress.waitTimedOut = true
    const gaveUp =
      `Gave up waiting after ${formatDuration(config.timeoutMs)} (timeout input): execution ` +
      `${executionName} is still ${result.execution.Status}.`
    switch (config.onTimeout) {
      case 'continue':
        core.warning(`${gaveUp} on-timeout is "continue", so the step passes.`)
        return undefined
      case 'stop': {
        const stopped = await stopExecution(client, config, {
          error: 'FnfWaitTimeout',
          cause: `fnf-wait stopped the execution after waiting ${formatDuration(config.timeoutMs)} (on-timeout: stop)${linkToRun(env)}.`
        })
        if (stopped === 'failed') return `${gaveUp} Stopping it failed (see the warning above).`
        if (stopped) progress.execution = stopped
        return `${gaveUp} It was stopped (on-timeout: stop).`
      }
      case 'fail':
        return `${gaveUp} Raise "timeout", or set "on-timeout: stop" to stop it or "continue" to pass.`
    }
  } catch (error) {
    if (!(error instanceof CancelledError) && !cancellation.reason) throw error
    const cancelled = new CancelledError(cancellation.reason ?? 'SIGINT')
    if (!stopOnCancel) {
      core.info(
        `Leaving execution ${executionName} running (stop-on-cancel: ${config.stopOnCancel}` +
          `${config.stopOnCancel === 'auto' ? ', and this step did not start it' : ''}).`
      )
      throw cancelled
    }
    const stopped = await stopExecution(client, config, {
      error: 'GitHubRunCancelled',
      cause: `The GitHub Actions run was cancelled${linkToRun(env)}.`
    })
    if (stopped === 'failed') progress.stopPending = true
    else if (stopped) progress.execution = stopped
    throw cancelled
  }
}

async function startExecution(
  config: Config,
  client: FnfClient,
  deadline: number,
  signal: AbortSignal
): Promise<Execution> {
  const { flowName, executionName } = config
  try {
    const execution = await client.startExecution(
      { flowName, executionName, input: config.input },
      { deadline, signal }
    )
    core.info(`Started execution ${executionName} of flow ${flowName}.`)
    return execution
  } catch (error) {
    if (!(error instanceof FnfError) || error.code !== 'ExecutionAlreadyExists') throw error
    if (!config.generatedName) {
      throw new Error(
        `An execution named "${executionName}" of flow ${flowName} already ended; execution names are ` +
          'unique within a flow. Use a new "execution-name", or leave it empty so each run gets its own.',
        { cause: error }
      )
    }
    // A retried step: the name is this run's own, so the ended execution is the one to report.
    core.info(`Execution ${executionName} was already started by this run; reading how it ended.`)
    return client.describeExecution(
      { flowName, executionName, waitTimeSeconds: 0 },
      { deadline, signal }
    )
  }
}

/** Stops the execution within the cancel window; a failure to stop is logged and returned, never thrown. */
async function stopExecution(
  client: FnfClient,
  config: Config,
  reason: { error: string; cause: string }
): Promise<Execution | 'failed' | undefined> {
  const { flowName, executionName } = config
  try {
    const execution = await client.stopExecution(
      { flowName, executionName, error: reason.error, cause: reason.cause.slice(0, 4096) },
      { deadline: Date.now() + STOP_BUDGET_MS }
    )
    core.info(`Stopped execution ${executionName} of flow ${flowName}.`)
    return execution
  } catch (error) {
    if (error instanceof FnfError && error.code === 'ExecutionAlreadyCompleted') {
      core.info(`Execution ${executionName} had already ended; nothing to stop.`)
      return undefined
    }
    core.warning(`Could not stop execution ${executionName}: ${errorMessage(error)}`)
    return 'failed'
  }
}

/**
 * Reads the history when `history` asks for it: always, or when the execution did not succeed
 * (including our own timeout, to show what was still running). A history that cannot be read
 * leaves the report out, with a warning: it never changes the step's outcome.
 */
async function readHistory(
  config: Config,
  client: FnfClient,
  progress: Progress,
  signal: AbortSignal
): Promise<ExecutionReport | undefined> {
  const { execution } = progress
  if (!execution || config.history === 'never') return undefined
  const unsuccessful = execution.Status !== 'Succeeded'
  if (config.history === 'on-failure' && !unsuccessful) return undefined
  try {
    const deadline = Math.max(progress.startedAt + config.timeoutMs, Date.now() + HISTORY_BUDGET_MS)
    const history = await fetchHistory(
      client,
      { flowName: config.flowName, executionName: config.executionName },
      { deadline, signal, execution }
    )
    core.info(`Read ${history.events} history events in ${history.pages} page(s).`)
    if (!history.complete) {
      core.warning(`The history was read only in part: ${errorMessage(history.error)}`)
    }
    return history.report
  } catch (error) {
    if (error instanceof CancelledError || signal.aborted) throw error
    core.warning(`Could not read the execution history: ${errorMessage(error)}`)
    return undefined
  }
}

/** Outputs first, then the summary, annotations and PR comment, then the step's outcome. */
async function finish(
  config: Config,
  progress: Progress,
  report: ExecutionReport | undefined,
  failure: string | undefined,
  env: Env
): Promise<void> {
  writeOutputs(config, progress, report)
  const context: ReportContext = {
    flowName: config.flowName,
    executionName: config.executionName,
    ...(progress.execution ? { execution: progress.execution } : {}),
    ...(report ? { report } : {}),
    waitTimedOut: progress.waitTimedOut,
    waitedMs: Date.now() - progress.startedAt
  }
  await publishReport(config, context, failure !== undefined, env)
  if (failure) core.setFailed(withRootCause(failure, report))
}

function withRootCause(failure: string, report: ExecutionReport | undefined): string {
  const root = report?.rootCause
  if (!root || root.kind !== 'failure') return failure
  const where = root.pathText ? `step ${root.pathText} failed` : 'the execution failed'
  const what = [root.error, root.cause].filter(Boolean).join(': ')
  return `${failure} Root cause: ${where}${what ? ` with ${what}` : ''}.`
}

function failureFor(config: Config, execution: Execution): string | undefined {
  if (!isTerminal(execution.Status) || !config.failOn.has(execution.Status)) return undefined
  return (
    `Execution ${config.executionName} of flow ${config.flowName} ended ${execution.Status} ` +
    `(fail-on: ${[...config.failOn].join(', ')}).`
  )
}

function linkToRun(env: Env): string {
  const url = workflowRunUrl(env)
  return url ? `: ${url}` : ''
}

function writeOutputs(
  config: Config,
  progress: Progress,
  report: ExecutionReport | undefined
): void {
  const plan = planOutputs({
    flowName: config.flowName,
    executionName: config.executionName,
    ...(progress.execution ? { execution: progress.execution } : {}),
    ...(report ? { report } : {}),
    waitTimedOut: progress.waitTimedOut,
    ...(config.outputFile ? { outputFile: config.outputFile } : {}),
    defaultOutputFile: () =>
      join(
        process.env.RUNNER_TEMP || tmpdir(),
        'fnf-wait',
        config.flowName,
        `${config.executionName}.output.json`
      )
  })
  if (plan.fileContent !== undefined) {
    try {
      mkdirSync(dirname(plan.values['output-file']), { recursive: true })
      writeFileSync(plan.values['output-file'], plan.fileContent)
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
  for (const [name, value] of Object.entries(plan.values)) core.setOutput(name, value)
}
