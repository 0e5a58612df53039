/**
 * Pure: which executions fail the step, and the message the step fails with. The only place
 * that words a failing step (main.ts hands the message to log.fail).
 */
import { expiredTokenAdvice } from '../auth/expired-token.js'
import type { Config } from '../config/inputs.js'
import { compactDuration } from '../config/duration.js'
import { isTerminal } from '../fnf/types.js'
import { errorMessage } from '../base/error-text.js'
import { blameFields } from '../history/blame.js'
import { flowLabel } from '../report/format.js'
import type { ReportView } from '../report/view.js'
import { CancelledError } from './cancellation.js'
import {
  bySeverity,
  followError,
  isStoppable,
  stopFailed,
  type Tracked
} from './execution-outcome.js'

/** Ended in a status `fail-on` lists. */
export function failsStep(config: Config, t: Tracked): boolean {
  const status = t.execution?.Status
  return status !== undefined && isTerminal(status) && config.failOn.has(status)
}

/** Why the step fails, or undefined when it passes. */
export function failureMessage(config: Config, tracked: readonly Tracked[]): string | undefined {
  const timedOut = tracked.filter((t) => t.state === 'wait-timed-out')
  const gaveUp =
    timedOut.length === 0
      ? undefined
      : `Gave up waiting after ${compactDuration(config.timeoutMs)} (timeout input): ` +
        (tracked.length === 1
          ? `execution ${timedOut[0]!.name} ${stillRunning(timedOut[0]!)}.`
          : `${timedOut.length} of ${tracked.length} executions still running: ${names(timedOut)}.`)
  // One our own timeout stopped says so below, not as an execution that ended Stopped.
  const failed = tracked.filter(
    (t) => t.state !== 'wait-timed-out' && (failsStep(config, t) || followError(t) !== undefined)
  )

  const problems: string[] = []
  if (failed.length > 0) {
    if (tracked.length === 1) {
      const t = failed[0]!
      const what = `${t.express ? 'Express execution' : 'Execution'} ${t.name} of flow ${flowOf(config)}`
      problems.push(
        failsStep(config, t)
          ? `${what} ended ${t.execution?.Status} (fail-on: ${[...config.failOn].join(', ')}).`
          : `${what}: ${errorMessage(followError(t))}`
      )
    } else {
      const list = bySeverity(failed).map(
        (t) => `${t.name} (${t.execution?.Status ?? errorMessage(followError(t))})`
      )
      problems.push(
        `${failed.length} of ${tracked.length} executions of flow ${flowOf(config)} did not succeed: ` +
          `${upToTen(list)}.`
      )
    }
  }
  // Express executions cannot be stopped: only a longer timeout helps.
  const express = timedOut.filter((t) => t.express)
  if (gaveUp && config.onTimeout !== 'continue') {
    if (config.onTimeout === 'fail') {
      problems.push(
        express.length > 0
          ? `${gaveUp} Raise "timeout" above 5 minutes, the longest an express execution runs, ` +
              'or set "on-timeout: continue" to pass.'
          : `${gaveUp} Raise "timeout", or set "on-timeout: stop" to stop ` +
              `${tracked.length === 1 ? 'it' : 'them'} or "continue" to pass.`
      )
    } else {
      const notStopped = timedOut.filter(stopFailed)
      problems.push(
        express.length > 0
          ? `${gaveUp} No API stops an express execution: ${names(express)} may run on until ` +
              'it ends, at most 5 minutes after it started (on-timeout: stop).'
          : notStopped.length === 0
            ? `${gaveUp} ${tracked.length === 1 ? 'It was' : 'They were'} stopped (on-timeout: stop).`
            : `${gaveUp} Stopping ${names(notStopped)} failed (see the warnings above).`
      )
    }
  }
  return problems.length > 0 ? problems.join(' ') : undefined
}

/** How it stood when our wait gave up: its status then, before any stop of ours changed it. */
function stillRunning(t: Tracked): string {
  if (isStoppable(t) && t.stop === 'stopped') return 'was still running'
  return `is still ${t.execution?.Status ?? 'running'}`
}

/** The message for what ended following early: cancellation, or an error no execution got past. */
export function errorFailure(config: Config, error: unknown): string {
  if (error instanceof CancelledError) return error.message
  // A token from configure-aliyun-credentials-action can expire mid-wait; ours are renewed.
  const advice = config.oidc ? undefined : expiredTokenAdvice(error)
  return `fnf-wait: ${errorMessage(error)}${advice ? ` ${advice}` : ''}`
}

/** The failure message, with the worst execution's root cause when its history was read. */
export function withRootCause(failure: string, view: ReportView): string {
  const views = view.kind === 'single' ? [view.execution] : view.executions
  const worst = views.find(
    (v) => v.status !== 'Succeeded' || v.waitTimedOut || v.problem !== undefined
  )
  if (worst?.blame.kind !== 'failed' || worst.blame.step === undefined) return failure
  const { step, error, cause } = blameFields(worst.blame)
  const where = step ? `step ${step} failed` : 'the execution failed'
  // A flow's cause often ends its own sentence: the one closing the message is not doubled.
  const what = [error, cause?.replace(/\.+$/, '')].filter(Boolean).join(': ')
  const nameIt = view.kind === 'multi'
  return `${failure} Root cause${nameIt ? ` (${worst.executionName})` : ''}: ${where}${what ? ` with ${what}` : ''}.`
}

/** `release-pipeline @ canary` when the step started a version or an alias. */
function flowOf(config: Config): string {
  return flowLabel(config.flowName, config.qualifier?.text)
}

/** At most ten names, then how many more. */
export function names(tracked: ReadonlyArray<{ readonly name: string }>): string {
  return upToTen(tracked.map((t) => t.name))
}

/** At most ten items, then how many more. */
function upToTen(items: readonly string[]): string {
  const more = items.length > 10 ? `, and ${items.length - 10} more` : ''
  return `${items.slice(0, 10).join(', ')}${more}`
}
