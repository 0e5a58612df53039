/**
 * The longest a job on a GitHub-hosted runner runs: 6 hours, whatever `timeout` or
 * `timeout-minutes` say (GitHub's usage limits for GitHub-hosted runners). A longer `timeout` is
 * warned of at the start, with the README's way to wait longer.
 */
import { compactDuration } from './duration.js'
import type { Env } from './errors.js'

export const HOSTED_JOB_LIMIT_MS = 6 * 3_600_000
/** The README section on waits longer than a job. */
export const LONG_WAITS_URL = 'https://github.com/fnf-wait/fnf-wait#waits-longer-than-a-job'

/**
 * Whether the job runs on a GitHub-hosted runner. The runner says which kind it is:
 * RUNNER_ENVIRONMENT is `github-hosted` there, `self-hosted` on one's own machines (whose jobs
 * may run 5 days), and unset on runners too old to say (taken as not hosted).
 */
export function isGitHubHosted(env: Env): boolean {
  return env.RUNNER_ENVIRONMENT?.trim() === 'github-hosted'
}

/** The warning for a `timeout` a GitHub-hosted job cannot give, or undefined. */
export function hostedTimeoutWarning(timeoutMs: number, env: Env): string | undefined {
  if (!isGitHubHosted(env)) return undefined
  if (timeoutMs <= HOSTED_JOB_LIMIT_MS) return undefined
  return (
    `Input "timeout" is ${compactDuration(timeoutMs)}, but a job on a GitHub-hosted runner is ` +
    'stopped after 6 hours whatever "timeout" or "timeout-minutes" say: the wait would be cut ' +
    'off, with no outputs, report or stop. To wait longer, start the execution with "wait: ' +
    `false" and wait in turns of at most 5h30m, one job each: ${LONG_WAITS_URL}`
  )
}
