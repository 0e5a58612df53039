/**
 * This workflow run's page, from the runner's variables: the PR comment links it, and every stop's
 * cause names it. Read once, with the rest of the Config.
 */
import type { Env } from './errors.js'

/** Undefined outside a runner (a variable missing). */
export function workflowRunUrl(env: Env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: runId } = env
  if (!server || !repo || !runId) return undefined
  const attempt = env.GITHUB_RUN_ATTEMPT
  return `${server}/${repo}/actions/runs/${runId}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}`
}
