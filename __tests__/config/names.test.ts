/**
 * Execution names (src/config/names.ts): the name made from the run when none is given, within the
 * service's rule, the same for a retried step and new for a re-run; and the wider set of names the
 * service gives, which waiting accepts.
 */
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/config/errors.js'
import {
  checkExistingName,
  executionNameFromRun,
  isExistingName,
  isValidName
} from '../../src/config/names.js'

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

describe('names of executions that exist', () => {
  // The zh ListExecutions example's token, an express execution, plain names (fnf-api.md §10).
  const generated = [
    '397aba96-4d85-11ef-8f9a-00163e0a1b2c',
    'checkout:7d3f1c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b',
    '0',
    '_x',
    'a'.repeat(128)
  ]

  it.each(generated)('waits on %s, a name the service gives', (name) => {
    expect(isExistingName(name)).toBe(true)
    expect(() => checkExistingName('execution-name', name)).not.toThrow()
  })

  it('keeps the documented rule for names given to StartExecution', () => {
    expect(isValidName(generated[0]!)).toBe(false)
    expect(isValidName(generated[1]!)).toBe(false)
  })

  it.each(['', 'has space', 'a'.repeat(129), 'dot.ted', 'slash/ed', 'ünï', 'new\nline'])(
    'refuses %j, naming the input and what names are',
    (name) => {
      expect(() => checkExistingName('execution-name', name)).toThrow(
        new InputError(
          `Input "execution-name" is "${name}", which is not the name of an execution: names ` +
            'are letters, digits, "_", "-" and ":", 1 to 128 characters.'
        )
      )
    }
  )
})
