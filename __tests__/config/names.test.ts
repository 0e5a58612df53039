/**
 * Execution names (src/config/names.ts): the name made from the run when none is given, within the
 * service's rule, the same for a retried step and new for a re-run.
 */
import { describe, expect, it } from '@jest/globals'
import { executionNameFromRun, isValidName } from '../../src/config/names.js'

describe('executionNameFromRun', () => {
  const env = { GITHUB_RUN_ID: '9876543210', GITHUB_RUN_ATTEMPT: '2', GITHUB_JOB: 'deploy.prod' }

  it('is valid, stable for a retried step, and new for a re-run', () => {
    const name = executionNameFromRun(env, 'flow', '{}')
    expect(isValidName(name)).toBe(true)
    expect(name).toMatch(/^github-9876543210-2-deploy-prod-[0-9a-f]{8}$/)
    expect(executionNameFromRun(env, 'flow', '{}')).toBe(name)
    expect(executionNameFromRun({ ...env, GITHUB_RUN_ATTEMPT: '3' }, 'flow', '{}')).not.toBe(name)
  })

  it('keeps matrix legs with different inputs apart', () => {
    expect(executionNameFromRun(env, 'flow', '{"region":"a"}')).not.toBe(
      executionNameFromRun(env, 'flow', '{"region":"b"}')
    )
  })

  it('keeps the qualifiers of one job apart, and leaves the name alone without one', () => {
    const plain = executionNameFromRun(env, 'flow', '{}')
    expect(executionNameFromRun(env, 'flow', '{}', undefined)).toBe(plain)
    expect(executionNameFromRun(env, 'flow', '{}', 'canary')).not.toBe(plain)
    expect(executionNameFromRun(env, 'flow', '{}', 'canary')).not.toBe(
      executionNameFromRun(env, 'flow', '{}', '2')
    )
  })

  it('stays within 128 characters for a long job id', () => {
    const name = executionNameFromRun({ ...env, GITHUB_JOB: 'j'.repeat(300) }, 'flow', '{}')
    expect(name.length).toBe(128)
    expect(isValidName(name)).toBe(true)
  })

  it('falls back to a random valid name outside Actions', () => {
    const name = executionNameFromRun({}, 'flow', '{}')
    expect(isValidName(name)).toBe(true)
    expect(executionNameFromRun({}, 'flow', '{}')).not.toBe(name)
  })
})
