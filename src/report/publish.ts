import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { errorMessage } from '../base/error-text.js'
import { redactSecrets } from '../base/secrets.js'
import { safeForSink, wireText } from '../base/wire-text.js'
import type { Config } from '../config/inputs.js'
import { upsertComment } from '../github/issue-comments.js'
import { isPullRequestEvent, prCommentTarget } from '../github/pr-target.js'
import {
  buildAnnotations,
  buildMultiAnnotations,
  commentMarker,
  markedComment,
  renderMultiSummary,
  renderPrComment,
  renderSummary,
  type ReportView
} from './index.js'

type Env = Record<string, string | undefined>

/** GitHub's PR comment limit is 65,536 characters; the multi summary is cut to fit well inside. */
const COMMENT_BYTES = 60_000

/**
 * setFailed makes one error annotation of its own; GitHub keeps 10 per step, so the per-step
 * failure annotations get the other 9.
 */
const ANNOTATIONS_BESIDE_SET_FAILED = 9

/**
 * Writes the job summary, the annotations and the PR comment. Each is a diagnostic: a failure to
 * write one is a warning and never replaces the step's own outcome.
 */
export async function publishReport(
  config: Config,
  view: ReportView,
  stepFails: boolean,
  env: Env,
  options: { budgetMs?: number } = {}
): Promise<void> {
  const runUrl = workflowRunUrl(env)
  if (config.summary) {
    await guarded('write the job summary', undefined, async () => {
      const text = view.kind === 'single' ? renderSummary(view.execution) : renderMultiSummary(view)
      // Each sink redacts what it writes: flow text (causes, outputs) can echo a credential too.
      await core.summary.addRaw(redactSecrets(text), true).write()
    })
  }
  if (config.annotations) {
    await guarded('annotate the run', undefined, () => {
      const max = stepFails ? ANNOTATIONS_BESIDE_SET_FAILED : 10
      const annotations =
        view.kind === 'single'
          ? buildAnnotations(view.execution, { max })
          : buildMultiAnnotations(view, { max })
      // A failure the step tolerates (fail-on, on-timeout: continue) is a warning, not an error.
      for (const { title, message } of annotations) {
        const safe = { title: safeForSink(title) }
        if (stepFails) core.error(safeForSink(message), safe)
        else core.warning(safeForSink(message), safe)
      }
    })
  }
  const wantsComment =
    config.prComment === 'always' || (config.prComment === 'on-failure' && stepFails)
  if (wantsComment) {
    // Cancelled: the runner kills the step soon; a GitHub API call must not outlast that.
    await guarded('comment on the pull request', options.budgetMs, async () => {
      const target = prCommentTarget(env.GITHUB_EVENT_NAME ?? '', readEvent(env))
      if (!target) {
        core.info(noPullRequest(env.GITHUB_EVENT_NAME ?? ''))
        return
      }
      const body =
        view.kind === 'single'
          ? renderPrComment(view.execution, runUrl ? { runUrl } : {})
          : renderMultiSummary(view, { budgetBytes: COMMENT_BYTES })
      const marker = commentMarker(config.flowName)
      const result = await upsertComment({
        token: config.githubToken,
        apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
        ...target,
        marker,
        body: markedComment(marker, redactSecrets(body))
      })
      // The URL comes from GitHub: printed only as safe text.
      const url = result.ok && result.url ? `: ${wireText(result.url, 500)}` : ''
      if (result.ok) core.info(`Pull request comment ${result.action}${url}.`)
      else core.warning(result.warning)
    })
  }
}

/** Why there is no pull request to comment on: the run's event, or a payload without one. */
function noPullRequest(event: string): string {
  // The event name comes from the environment: printed only as safe text.
  const name = wireText(event, 100) || 'not set'
  return isPullRequestEvent(event)
    ? `pr-comment: the ${name} event's payload (GITHUB_EVENT_PATH) names no pull request; no comment.`
    : `pr-comment: this run's event is ${name}, not pull_request or pull_request_target; no comment.`
}

function readEvent(env: Env): unknown {
  if (!env.GITHUB_EVENT_PATH) return undefined
  return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
}

export function workflowRunUrl(env: Env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: runId } = env
  if (!server || !repo || !runId) return undefined
  const attempt = env.GITHUB_RUN_ATTEMPT
  return `${server}/${repo}/actions/runs/${runId}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}`
}

async function guarded(
  what: string,
  budgetMs: number | undefined,
  work: () => void | Promise<void>
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const cut =
    budgetMs === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `no answer within ${Math.round(budgetMs / 100) / 10}s (the job is being cancelled)`
                )
              ),
            budgetMs
          )
          timer.unref?.()
        })
  try {
    await (cut ? Promise.race([work(), cut]) : work())
  } catch (error) {
    core.warning(`Could not ${what}: ${errorMessage(error)}`)
  } finally {
    clearTimeout(timer)
  }
}
