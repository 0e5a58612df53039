/** This workflow run's page, from the runner's variables (src/config/run-url.ts). */
import { describe, expect, it } from '@jest/globals'
import { workflowRunUrl } from '../../src/config/run-url.js'

describe('workflowRunUrl', () => {
  const env = {
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_RUN_ID: '42'
  }
  it('links the run, and the attempt past the first', () => {
    expect(workflowRunUrl(env)).toBe('https://github.com/octo/app/actions/runs/42')
    expect(workflowRunUrl({ ...env, GITHUB_RUN_ATTEMPT: '1' })).toBe(
      'https://github.com/octo/app/actions/runs/42'
    )
    expect(workflowRunUrl({ ...env, GITHUB_RUN_ATTEMPT: '3' })).toBe(
      'https://github.com/octo/app/actions/runs/42/attempts/3'
    )
  })
  it('is undefined outside a runner', () => {
    expect(workflowRunUrl({ ...env, GITHUB_RUN_ID: undefined })).toBeUndefined()
  })
})
