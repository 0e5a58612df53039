import * as core from '@actions/core'
import * as log from '../base/log.js'
import { readFileSync } from 'node:fs'
import { errorMessage } from '../base/error-text.js'
import { redactSecrets } from '../base/secrets.js'
import { wireText } from '../base/wire-text.js'
import type { Config } from '../config/inputs.js'
import { upsertComment } from '../github/issue-comments.js'
import { isPullRequestEvent, prCommentTarget } from '../github/pr-target.js'
import { buildAnnotations, buildCaughtAnnotations, buildMultiAnnotations } from './annotations.js'
import { renderMultiSummary } from './multi-summary.js'
import { commentMarker, markedComment, renderPrComment } from './pr-comment.js'
import { renderSummary } from './summary.js'
import type { ReportView } from './view.js'

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
  /**
   * `window` aborts when the runner's cancel window closes (main.ts: a cancel before or during
   * the report): the PR comment, cut at once, gets no time of its own past it.
   */
  options: { window?: AbortSignal } = {}
): Promise<void> {
  const { runUrl } = config
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
      for (const { message, ...properties } of annotations) {
        // base/log.ts makes the message, title and file inert.
        if (stepFails) log.error(message, properties)
        else log.warning(message, properties)
      }
      // GitHub keeps 10 warnings per step too: caught failures get what the failures left.
      const views = view.kind === 'single' ? [view.execution] : view.executions
      const room = stepFails ? 10 : 10 - annotations.length
      for (const { message, ...properties } of buildCaughtAnnotations(views, { max: room })) {
        log.warning(message, properties)
      }
    })
  }
  const wantsComment =
    config.prComment === 'always' || (config.prComment === 'on-failure' && stepFails)
  if (wantsComment) {
    // Cancelled: the runner kills the step soon; a GitHub API call must not outlast that.
    await guarded('comment on the pull request', options.window, async () => {
      const target = prCommentTarget(env.GITHUB_EVENT_NAME ?? '', readEvent(env))
      if (!target) {
        log.info(noPullRequest(env.GITHUB_EVENT_NAME ?? ''))
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
        body: markedComment(marker, redactSecrets(body)),
        ...(options.window ? { signal: options.window } : {})
      })
      // The URL comes from GitHub: printed only as safe text.
      const url = result.ok && result.url ? `: ${wireText(result.url, 500)}` : ''
      if (result.ok) log.info(`Pull request comment ${result.action}${url}.`)
      else log.warning(result.warning)
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

/** The event payload of `GITHUB_EVENT_PATH`; throws when it cannot be read. */
export function readEvent(env: Env): unknown {
  if (!env.GITHUB_EVENT_PATH) return undefined
  return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'))
}

async function guarded(
  what: string,
  window: AbortSignal | undefined,
  work: () => void | Promise<void>
): Promise<void> {
  let onAbort: (() => void) | undefined
  const cut =
    window === undefined
      ? undefined
      : new Promise<never>((_, reject) => {
          onAbort = () => reject(window.reason)
          if (window.aborted) onAbort()
          else window.addEventListener('abort', onAbort, { once: true })
        })
  try {
    await (cut ? Promise.race([work(), cut]) : work())
  } catch (error) {
    log.warning(`Could not ${what}: ${errorMessage(error)}`)
  } finally {
    if (onAbort) window?.removeEventListener('abort', onAbort)
  }
}
