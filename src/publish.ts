import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { errorMessage } from './fnf/errors.js'
import type { Config } from './inputs.js'
import {
  buildAnnotations,
  prCommentTarget,
  renderPrComment,
  renderSummary,
  upsertPrComment,
  type ReportContext
} from './report/index.js'

type Env = Record<string, string | undefined>

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
  context: ReportContext,
  stepFails: boolean,
  env: Env
): Promise<void> {
  const runUrl = workflowRunUrl(env)
  if (config.summary) {
    await guarded('write the job summary', async () => {
      await core.summary.addRaw(renderSummary(context), true).write()
    })
  }
  if (config.annotations) {
    await guarded('annotate the run', () => {
      const annotations = buildAnnotations(context.report, {
        ...context,
        max: stepFails ? ANNOTATIONS_BESIDE_SET_FAILED : 10
      })
      // A failure the step tolerates (fail-on, on-timeout: continue) is a warning, not an error.
      for (const { title, message } of annotations) {
        if (stepFails) core.error(message, { title })
        else core.warning(message, { title })
      }
    })
  }
  const wantsComment =
    config.prComment === 'always' || (config.prComment === 'on-failure' && stepFails)
  if (wantsComment) {
    await guarded('comment on the pull request', async () => {
      const target = prCommentTarget(env.GITHUB_EVENT_NAME ?? '', readEvent(env))
      if (!target) {
        core.info(
          `pr-comment: not a pull_request or pull_request_target event (${env.GITHUB_EVENT_NAME ?? 'none'}); no comment.`
        )
        return
      }
      const result = await upsertPrComment({
        token: config.githubToken,
        apiUrl: env.GITHUB_API_URL || 'https://api.github.com',
        ...target,
        flowName: config.flowName,
        body: renderPrComment(context.report, { ...context, ...(runUrl ? { runUrl } : {}) })
      })
      if (result.ok)
        core.info(`Pull request comment ${result.action}${result.url ? `: ${result.url}` : ''}.`)
      else core.warning(result.warning)
    })
  }
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

async function guarded(what: string, work: () => void | Promise<void>): Promise<void> {
  try {
    await work()
  } catch (error) {
    core.warning(`Could not ${what}: ${errorMessage(error)}`)
  }
}
