import * as core from '@actions/core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Cancellation, CancelledError, runUrl } from './cancellation.js'
import { formatDuration } from './duration.js'
import { FnfClient } from './fnf/client.js'
import { resolveEndpoint } from './fnf/endpoint.js'
import { errorMessage, FnfError } from './fnf/errors.js'
import { createDispatcher } from './fnf/dispatcher.js'
import type { Execution } from './fnf/types.js'
import { isTerminal } from './fnf/types.js'
import { type Config, parseConfig } from './inputs.js'
import { planOutputs } from './outputs.js'
import { markMainStarted, saveDone, saveWaiting } from './state.js'
import { waitForExecution } from './wait.js'

type Env = Record<string, string | undefined>

/** What is known so far; outputs are written from it on every path. */
interface Progress {
  config?: Config
  execution?: Execution
  waitTimedOut: boolean
  /** A stop on cancel that did not go through: left for the post step to retry. */
  stopPending?: boolean
}

/** StopExecution must finish inside the runner's 7.5 s between SIGINT and SIGTERM. */
const STOP_BUDGET_MS = 6000

export async function run(env: Env = process.env): Promise<void> {
  markMainStarted()
  const cancellation = new Cancellation(process, (line) => core.info(line))
  const dispatcher = createDispatcher()
  const progress: Progress = { waitTimedOut: false }
  try {
    const config = parseConfig((name) => core.getInput(name), env)
    progress.config = config
    maskCredentials(config)
    const client = new FnfClient({
      endpoint: resolveEndpoint(config),
      credentials: () => config.credentials,
      dispatcher,
      log: (line) => core.info(line)
    })
    const failure = await waitStep(config, client, cancellation, progress, env)
    writeOutputs(progress)
    if (failure) core.setFailed(failure)
  } catch (error) {
    writeOutputs(progress)
    core.setFailed(error instanceof CancelledError ? error.message : `fnf-wait: ${errorMessage(error)}`)
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
  const startedAt = Date.now()
  const deadline = startedAt + config.timeoutMs
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
      core.info(`Execution ${executionName} of flow ${flowName} is ${execution.Status} (wait: false).`)
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
      const took = Date.now() - startedAt
      core.info(
        `Execution ${executionName} ended ${result.execution.Status}` +
          `${result.execution.StoppedTime ? ` at ${result.execution.StoppedTime}` : ''} ` +
          `(waited ${formatDuration(took)}).`
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
          cause: `fnf-wait stopped the execution after waiting ${formatDuration(config.timeoutMs)} (on-timeout: stop)${describeRun(env)}.`
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
      cause: `The GitHub Actions run was cancelled${describeRun(env)}.`
    })
    if (stopped === 'failed') progress.stopPending = true
    else if (stopped) progress.execution = stopped
    throw new CancelledError(cancelled.signal)
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
    return client.describeExecution({ flowName, executionName, waitTimeSeconds: 0 }, { deadline, signal })
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

function failureFor(config: Config, execution: Execution): string | undefined {
  if (!config.failOn.has(execution.Status)) return undefined
  if (!isTerminal(execution.Status)) return undefined
  return (
    `Execution ${config.executionName} of flow ${config.flowName} ended ${execution.Status} ` +
    `(fail-on: ${[...config.failOn].join(', ')}).`
  )
}

function describeRun(env: Env): string {
  const url = runUrl(env)
  return url ? `: ${url}` : ''
}

function maskCredentials(config: Config): void {
  const { accessKeyId, accessKeySecret, securityToken } = config.credentials
  core.setSecret(accessKeySecret)
  core.setSecret(accessKeyId)
  if (securityToken) core.setSecret(securityToken)
}

function writeOutputs(progress: Progress): void {
  const { config } = progress
  if (!config) return
  const plan = planOutputs({
    flowName: config.flowName,
    executionName: config.executionName,
    ...(progress.execution ? { execution: progress.execution } : {}),
    waitTimedOut: progress.waitTimedOut,
    ...(config.outputFile ? { outputFile: config.outputFile } : {}),
    defaultOutputFile: () =>
      join(process.env.RUNNER_TEMP || tmpdir(), 'fnf-wait', config.flowName, `${config.executionName}.output.json`)
  })
  if (plan.fileContent !== undefined) {
    try {
      mkdirSync(dirname(plan.values['output-file']), { recursive: true })
      writeFileSync(plan.values['output-file'], plan.fileContent)
    } catch (error) {
      core.warning(`Could not write the output file ${plan.values['output-file']}: ${errorMessage(error)}`)
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
