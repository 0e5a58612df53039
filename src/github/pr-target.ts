/** Which pull request a run belongs to, read from the event that started it. Pure. */

export interface PrTarget {
  owner: string
  repo: string
  issueNumber: number
}

/** The events whose payload names the pull request to comment on. */
export function isPullRequestEvent(eventName: string): boolean {
  return eventName === 'pull_request' || eventName === 'pull_request_target'
}

/** Where to comment: the PR of a `pull_request`/`pull_request_target` event, else undefined. */
export function prCommentTarget(eventName: string, payload: unknown): PrTarget | undefined {
  if (!isPullRequestEvent(eventName)) return undefined
  const p = payload as
    | {
        number?: unknown
        pull_request?: { number?: unknown }
        repository?: { name?: unknown; owner?: { login?: unknown } }
      }
    | undefined
  const issueNumber = p?.pull_request?.number ?? p?.number
  const owner = p?.repository?.owner?.login
  const repo = p?.repository?.name
  if (typeof issueNumber !== 'number' || !Number.isSafeInteger(issueNumber) || issueNumber <= 0) {
    return undefined
  }
  if (typeof owner !== 'string' || owner === '' || typeof repo !== 'string' || repo === '') {
    return undefined
  }
  return { owner, repo, issueNumber }
}
