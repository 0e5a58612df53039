import * as core from '@actions/core'
import { mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expiredTokenAdvice } from './auth/expired-token.js'
import { Cancellation, CancelledError } from './step/cancellation.js'
import { connect } from './step/connect.js'
import { formatDuration } from './config/duration.js'
import type { FnfClient } from './fnf/client.js'
import { createDispatcher } from './http/dispatcher.js'
import { FnfError } from './fnf/errors.js'
import { errorMessage } from './http/errors.js'
import { isTerminal } from './fnf/types.js'
import { readOne, startOne, stopOne, waitOne, type FollowContext } from './step/follow-one.js'
import type { Config } from './config/inputs.js'
import { parseConfig } from './config/inputs.js'
import { planOutputs } from './step/outputs.js'
import { publishReport, workflowRunUrl, type ReportView } from './report/publish.js'
import { fetchHistory, type ReportContext } from './report/index.js'
import { markMainStarted, saveDone, saveWaiting } from './step/state.js'
import { bySeverity, isUnsuccessful, track, type Tracked } from './step/tracked.js'

type Env = Record<string, string | undefined>

/**
 * The history is read after the wait, which may have used the whole `timeout`; it gets this much
 * more so a timed-out wait still explains which steps were running.
 */
const HISTORY_BUDGET_MS = 120_000
/** Histories read at once; the rate limiter paces their pages anyway. */
const HISTORY_CONCURRENCY = 4
/** With several executions, one progress line at most this often replaces per-execution heartbeats. */
const PROGRESS_EVERY_MS = 60_000

class FailFast extends Error {
  constructor(readonly execution: string) {
    super(`Execution ${execution} failed (fail-fast).`)
  }
}

export async function run(env: Env = process.env): Promise<void> {
  markMainStarted()
  const cancellation = new Cancellation(process, (line) => core.info(line))
  const dispatcher = createDispatcher()
  const startedAt = Date.now()
  let tracked: Tracked[] = []
  try {
    const config = parseConfig((name) => core.getInput(name), env)
    const client = connect(config, dispatcher)
    tracked = config.executions.map((e) => track(e.name, e.input))
    let failure: string | undefined
    try {
      failure = await follow(config, client, tracked, cancellation, startedAt, env)
      await readHistories(config, client, tracked, cancellation.signal, startedAt)
    } catch (error) {
      // A token from configure-aliyun-credentials-action can expire mid-wait; ours are renewed.
      const advice = config.oidc ? undefined : expiredTokenAdvice(error)
      failure =
        error instanceof CancelledError
          ? error.message
          : `fnf-wait: ${errorMessage(error)}${advice ? ` ${advice}` : ''}`
    }
    await finish(config, tracked, failure, startedAt, env)
  } catch (error) {
    // A bad input lands here (nothing was sent, so there is nothing to report), or a failure to
    // write the outputs themselves.
    core.setFailed(`fnf-wait: ${errorMessage(error)}`)
  } finally {
    // A stop that did not go through is left for the post step to try again.
    if (!tracked.some((t) => t.stopFailed)) saveDone()
    cancellation.dispose()
    // The step has its outcome by now; closing the pool must not turn it into a crash.
    await dispatcher.close().catch(() => undefined)
  }
}

/**
 * Starts (if asked) and waits for every execution at once; returns the failure message when the
 * step must fail. Throws for what ends the step early: a bad start, a lost single execution,
 * cancellation (after stopping what it should).
 */
async function follow(
  config: Config,
  client: FnfClient,
  tracked: Tracked[],
  cancellation: Cancellation,
  startedAt: number,
  env: Env
): Promise<string | undefined> {
  const multi = tracked.length > 1
  const stopOnCancel =
    config.stopOnCancel === 'true' || (config.stopOnCancel === 'auto' && config.start)
  // Ends every wait early: fail-fast, or an error that no execution can get past.
  const stopWaiting = new AbortController()
  let fatal: unknown
  const ctx: FollowContext = {
    config,
    client,
    deadline: startedAt + config.timeoutMs,
    signal: AbortSignal.any([cancellation.signal, stopWaiting.signal]),
    single: !multi
  }
  core.info(`Credentials from ${config.credentialSource}.`)

  try {
    if (config.start) await settleAll(tracked, (t) => startOne(ctx, t))
    saveWaiting(
      config.flowName,
      tracked.map((t) => t.name),
      stopOnCancel
    )
    if (!config.wait) {
      await settleAll(tracked, (t) => readOne(ctx, t))
      return failureMessage(config, tracked)
    }

    const what = multi ? `${tracked.length} executions` : `execution ${tracked[0]!.name}`
    core.info(
      `Waiting for ${what} of flow ${config.flowName} until ` +
        `${new Date(ctx.deadline).toISOString()} (timeout ${formatDuration(config.timeoutMs)}).`
    )
    const progress = multi
      ? setInterval(() => logProgress(tracked, startedAt), PROGRESS_EVERY_MS)
      : undefined
    try {
      await Promise.all(
        tracked.map((t) =>
          waitOne(ctx, t, startedAt).then(
            () => {
              if (config.failFast && failsStep(config, t) && !stopWaiting.signal.aborted) {
                core.info(
                  `Execution ${t.name} ended ${t.execution?.Status}: not waiting for the others (fail-fast).`
                )
                stopWaiting.abort(new FailFast(t.name))
              }
            },
            (error: unknown) => {
              if (cancellation.reason) return
              // Stopped on purpose (fail-fast, or another execution's fatal error).
              if (stopWaiting.signal.aborted) {
                t.abandoned = fatal === undefined
                return
              }
              // Among several, a missing execution is its own problem and the others go on;
              // anything else (credentials, permissions, the flow) would fail them all alike.
              if (multi && error instanceof FnfError && error.code === 'ExecutionNotExists') {
                t.error = error
                core.warning(`Execution ${t.name}: ${errorMessage(error)}`)
                return
              }
              fatal ??= error
              stopWaiting.abort(new Error('stopped waiting after an error'))
            }
          )
        )
      )
    } finally {
      clearInterval(progress)
    }
    if (cancellation.reason) throw new CancelledError(cancellation.reason)
    if (fatal !== undefined) throw fatal

    const abandoned = tracked.filter((t) => t.abandoned)
    if (abandoned.length > 0 && stopOnCancel) {
      await Promise.all(
        abandoned.map((t) =>
          stopOne(client, config, t, {
            error: 'FnfWaitFailFast',
            cause: `Another execution waited on by the same GitHub Actions step failed (fail-fast)${linkToRun(env)}.`
          })
        )
      )
    }
    const timedOut = tracked.filter((t) => t.waitTimedOut)
    if (timedOut.length > 0 && config.onTimeout === 'continue') {
      core.warning(
        `Gave up waiting after ${formatDuration(config.timeoutMs)} (timeout input) on ` +
          `${names(timedOut)}; on-timeout is "continue", so the step passes.`
      )
    }
    if (timedOut.length > 0 && config.onTimeout === 'stop') {
      await Promise.all(
        timedOut.map((t) =>
          stopOne(client, config, t, {
            error: 'FnfWaitTimeout',
            cause: `fnf-wait stopped the execution after waiting ${formatDuration(config.timeoutMs)} (on-timeout: stop)${linkToRun(env)}.`
          })
        )
      )
    }
    return failureMessage(config, tracked)
  } catch (error) {
    if (!(error instanceof CancelledError) && !cancellation.reason) throw error
    const cancelled = new CancelledError(cancellation.reason ?? 'SIGINT')
    const running = tracked.filter((t) => !t.execution || !isTerminal(t.execution.Status))
    if (!stopOnCancel) {
      core.info(
        `Leaving ${running.map((t) => t.name).join(', ') || 'the execution'} running (stop-on-cancel: ${config.stopOnCancel}` +
          `${config.stopOnCancel === 'auto' ? ', and this step did not start it' : ''}).`
      )
      throw cancelled
    }
    await Promise.all(
      running.map((t) =>
        stopOne(client, config, t, {
          error: 'GitHubRunCancelled',
          cause: `The GitHub Actions run was cancelled${linkToRun(env)}.`
        })
      )
    )
    throw cancelled
  }
}

/** Runs `work` for every execution; after all have settled, throws the first error, if any. */
async function settleAll(tracked: Tracked[], work: (t: Tracked) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(tracked.map(work))
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (rejected) throw rejected.reason
}

function failsStep(config: Config, t: Tracked): boolean {
  const status = t.execution?.Status
  return status !== undefined && isTerminal(status) && config.failOn.has(status)
}

function logProgress(tracked: readonly Tracked[], startedAt: number): void {
  const counts = new Map<string, number>()
  for (const t of tracked) {
    const status = t.execution?.Status ?? 'unknown'
    counts.set(status, (counts.get(status) ?? 0) + 1)
  }
  core.info(
    `After ${formatDuration(Date.now() - startedAt)}: ` +
      [...counts].map(([status, n]) => `${n} ${status}`).join(', ') +
      '.'
  )
}

/** Why the step fails, or undefined when it passes. */
function failureMessage(config: Config, tracked: readonly Tracked[]): string | undefined {
  const timedOut = tracked.filter((t) => t.waitTimedOut)
  const gaveUp =
    timedOut.length === 0
      ? undefined
      : `Gave up waiting after ${formatDuration(config.timeoutMs)} (timeout input): ` +
        (tracked.length === 1
          ? `execution ${timedOut[0]!.name} is still ${timedOut[0]!.execution?.Status ?? 'running'}.`
          : `${timedOut.length} of ${tracked.length} executions still running: ${names(timedOut)}.`)
  const failed = tracked.filter((t) => failsStep(config, t) || t.error !== undefined)

  const problems: string[] = []
  if (failed.length > 0) {
    if (tracked.length === 1) {
      const t = failed[0]!
      problems.push(
        `Execution ${t.name} of flow ${config.flowName} ended ${t.execution?.Status} ` +
          `(fail-on: ${[...config.failOn].join(', ')}).`
      )
    } else {
      const list = bySeverity(failed).map(
        (t) => `${t.name} (${t.execution?.Status ?? errorMessage(t.error)})`
      )
      problems.push(
        `${failed.length} of ${tracked.length} executions of flow ${config.flowName} did not succeed: ` +
          `${list.slice(0, 10).join(', ')}${list.length > 10 ? `, and ${list.length - 10} more` : ''}.`
      )
    }
  }
  if (gaveUp && config.onTimeout !== 'continue') {
    if (config.onTimeout === 'fail') {
      problems.push(
        `${gaveUp} Raise "timeout", or set "on-timeout: stop" to stop ` +
          `${tracked.length === 1 ? 'it' : 'them'} or "continue" to pass.`
      )
    } else {
      const notStopped = timedOut.filter((t) => t.stopFailed)
      problems.push(
        notStopped.length === 0
          ? `${gaveUp} ${tracked.length === 1 ? 'It was' : 'They were'} stopped (on-timeout: stop).`
          : `${gaveUp} Stopping ${names(notStopped)} failed (see the warnings above).`
      )
    }
  }
  return problems.length > 0 ? problems.join(' ') : undefined
}

function names(tracked: readonly Tracked[]): string {
  const shown = tracked.slice(0, 10).map((t) => t.name)
  return `${shown.join(', ')}${tracked.length > 10 ? `, and ${tracked.length - 10} more` : ''}`
}

/**
 * Reads the history where `history` asks for it: always, or for each execution that did not
 * succeed (our own timeout included, to show what was still running). A history that cannot be
 * read leaves that report out, with a warning: it never changes the step's outcome.
 */
async function readHistories(
  config: Config,
  client: FnfClient,
  tracked: readonly Tracked[],
  signal: AbortSignal,
  startedAt: number
): Promise<void> {
  if (config.history === 'never') return
  const wanted = bySeverity(tracked).filter(
    (t) => t.execution && !t.abandoned && (config.history === 'always' || isUnsuccessful(t))
  )
  const deadline = Math.max(startedAt + config.timeoutMs, Date.now() + HISTORY_BUDGET_MS)
  const queue = [...wanted]
  const worker = async (): Promise<void> => {
    for (let t = queue.shift(); t; t = queue.shift()) {
      try {
        const history = await fetchHistory(
          client,
          { flowName: config.flowName, executionName: t.name },
          { deadline, signal, ...(t.execution ? { execution: t.execution } : {}) }
        )
        t.report = history.report
        core.info(`Read ${history.events} history events of ${t.name} in ${history.pages} page(s).`)
        if (!history.complete) {
          core.warning(
            `The history of ${t.name} was read only in part: ${errorMessage(history.error)}`
          )
        }
      } catch (error) {
        if (error instanceof CancelledError || signal.aborted) throw error
        core.warning(`Could not read the history of ${t.name}: ${errorMessage(error)}`)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(HISTORY_CONCURRENCY, wanted.length) }, worker))
}

/** Outputs first, then the summary, annotations and PR comment, then the step's outcome. */
async function finish(
  config: Config,
  tracked: readonly Tracked[],
  failure: string | undefined,
  startedAt: number,
  env: Env
): Promise<void> {
  writeOutputs(config, tracked)
  const waitedMs = Date.now() - startedAt
  const contextOf = (t: Tracked): ReportContext & { problem?: string } => ({
    flowName: config.flowName,
    executionName: t.name,
    ...(t.execution ? { execution: t.execution } : {}),
    ...(t.report ? { report: t.report } : {}),
    waitTimedOut: t.waitTimedOut,
    waitedMs,
    ...(t.error !== undefined ? { problem: errorMessage(t.error) } : {}),
    ...(t.abandoned
      ? { historyNote: 'Not waited for to the end: another execution failed first (fail-fast).' }
      : {})
  })
  const ordered = bySeverity(tracked)
  const view: ReportView =
    tracked.length === 1
      ? { kind: 'single', context: contextOf(tracked[0]!) }
      : {
          kind: 'multi',
          flowName: config.flowName,
          executions: ordered.map(contextOf),
          // Not those never read (an error that stopped every wait says it once, itself).
          failed: ordered
            .filter((t) => isUnsuccessful(t) && !t.abandoned && (t.execution || t.error))
            .map(contextOf)
        }
  await publishReport(config, view, failure !== undefined, env)
  if (failure) {
    core.setFailed(withRootCause(failure, ordered.find(isUnsuccessful), tracked.length > 1))
  }
}

/** The failure message, with the worst execution's root cause when its history was read. */
function withRootCause(failure: string, t: Tracked | undefined, nameIt: boolean): string {
  const root = t?.report?.rootCause
  if (!t || !root || root.kind !== 'failure') return failure
  const where = root.pathText ? `step ${root.pathText} failed` : 'the execution failed'
  const what = [root.error, root.cause].filter(Boolean).join(': ')
  return `${failure} Root cause${nameIt ? ` (${t.name})` : ''}: ${where}${what ? ` with ${what}` : ''}.`
}

function linkToRun(env: Env): string {
  const url = workflowRunUrl(env)
  return url ? `: ${url}` : ''
}

function writeOutputs(config: Config, tracked: readonly Tracked[]): void {
  const plan = planOutputs({
    flowName: config.flowName,
    tracked,
    ...(config.outputFile ? { outputFile: config.outputFile } : {}),
    defaultOutputFile: () =>
      join(
        process.env.RUNNER_TEMP || tmpdir(),
        'fnf-wait',
        config.flowName,
        `${tracked.length === 1 ? tracked[0]!.name : 'executions'}.output.json`
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
