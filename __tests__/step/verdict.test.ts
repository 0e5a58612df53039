/**
 * Which executions fail the step, and the one message it fails with (src/step/verdict.ts, pure).
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import { CancelledError } from '../../src/step/cancellation.js'
import {
  errorFailure,
  failsStep,
  failureMessage,
  names,
  withRootCause
} from '../../src/step/verdict.js'
import { reportView } from '../../src/step/build-view.js'
import { track, type Tracked } from '../../src/step/execution-outcome.js'
import { FnfError } from '../../src/fnf/errors.js'
import { configOf } from '../support/config.js'

function ended(name: string, status: ExecutionStatus, more: Record<string, unknown> = {}): Tracked {
  const execution = { Name: name, FlowName: 'deploy', Status: status } as Execution
  return { ...track(name, '{}'), execution, ...more } as Tracked
}

describe('failsStep', () => {
  it('fails on a terminal status fail-on lists, never on one still running', () => {
    const config = configOf({ 'fail-on': 'Failed' })
    expect(failsStep(config, ended('a', 'Failed'))).toBe(true)
    expect(failsStep(config, ended('a', 'TimedOut'))).toBe(false)
    const everything = configOf({ 'fail-on': 'Succeeded, Failed, TimedOut, Stopped' })
    expect(failsStep(everything, ended('a', 'Running'))).toBe(false)
    expect(failsStep(everything, ended('a', 'Succeeded'))).toBe(true)
    expect(failsStep(config, track('a', '{}'))).toBe(false)
  })
})

describe('failureMessage', () => {
  it('passes when every execution succeeded', () => {
    expect(failureMessage(configOf(), [ended('a', 'Succeeded')])).toBeUndefined()
  })

  it('one execution: its status and the fail-on list', () => {
    expect(failureMessage(configOf(), [ended('run-1', 'Failed')])).toMatch(
      /^Execution run-1 of flow deploy ended Failed \(fail-on: [^)]*Failed[^)]*\)\.$/
    )
  })

  it('several: how many did not succeed, worst first, ten named and a count of the rest', () => {
    const tracked = [
      ended('ok', 'Succeeded'),
      ended('stopped', 'Stopped'),
      ended('failed', 'Failed'),
      ...Array.from({ length: 11 }, (_, i) => ended(`f${i}`, 'Failed'))
    ]
    const message = failureMessage(configOf({ 'fail-on': 'Failed, Stopped' }), tracked)!
    expect(message).toMatch(
      /^13 of 14 executions of flow deploy did not succeed: failed \(Failed\)/
    )
    expect(message).toMatch(/, and 3 more\.$/)
    expect(message).not.toContain('stopped (Stopped)') // past the first ten, the worst come first
  })

  it('an execution that could not be followed is named with its error', () => {
    const lost: Tracked = {
      ...track('lost', '{}'),
      state: 'lost',
      error: new Error('ExecutionNotExists')
    }
    expect(failureMessage(configOf(), [ended('ok', 'Succeeded'), lost])).toBe(
      '1 of 2 executions of flow deploy did not succeed: lost (ExecutionNotExists).'
    )
  })

  it('our own timeout: the way out for each on-timeout, and nothing for continue', () => {
    const waiting = ended('run-1', 'Running', { state: 'wait-timed-out' })
    expect(failureMessage(configOf({ timeout: '90s' }), [waiting])).toBe(
      'Gave up waiting after 1m30s (timeout input): execution run-1 is still Running. ' +
        'Raise "timeout", or set "on-timeout: stop" to stop it or "continue" to pass.'
    )
    const stopped = ended('run-1', 'Stopped', { state: 'wait-timed-out' })
    expect(failureMessage(configOf({ timeout: '1m', 'on-timeout': 'stop' }), [stopped])).toMatch(
      /It was stopped \(on-timeout: stop\)\.$/
    )
    const stuck = ended('run-1', 'Running', { state: 'wait-timed-out', stop: 'failed' })
    expect(failureMessage(configOf({ timeout: '1m', 'on-timeout': 'stop' }), [stuck])).toMatch(
      /Stopping run-1 failed \(see the warnings above\)\.$/
    )
    expect(
      failureMessage(configOf({ timeout: '1m', 'on-timeout': 'continue' }), [waiting])
    ).toBeUndefined()
  })
})

describe('failureMessage: a qualifier and express executions', () => {
  const express = (name: string, over: Record<string, unknown>): Tracked =>
    ({ ...track(name, '{}'), express: true, ...over }) as Tracked

  it('names the version or alias the step started', () => {
    const config = configOf({ start: 'true', qualifier: 'canary' })
    expect(failureMessage(config, [ended('run-1', 'Failed')])).toMatch(
      /^Execution run-1 of flow deploy @ canary ended Failed/
    )
  })

  it('an express execution that failed says it was one', () => {
    const tracked = [ended('run-1', 'Failed', { express: true, state: 'ended' })]
    expect(failureMessage(configOf({ start: 'true' }), tracked)).toMatch(
      /^Express execution run-1 of flow deploy ended Failed \(fail-on: /
    )
  })

  it('an express answer that did not end it: the error, not a status', () => {
    const error = new Error('StartSyncExecution answered before express execution run-1 ended')
    const tracked = [express('run-1', { state: 'lost', error })]
    expect(failureMessage(configOf({ start: 'true' }), tracked)).toBe(
      `Express execution run-1 of flow deploy: ${error.message}`
    )
  })

  it('our timeout cut an express execution: only a longer timeout helps, no stop is claimed', () => {
    const tracked = [express('run-1', { state: 'wait-timed-out' })]
    const fail = failureMessage(configOf({ start: 'true', timeout: '2m' }), tracked)
    expect(fail).toBe(
      'Gave up waiting after 2m (timeout input): execution run-1 is still running. Raise ' +
        '"timeout" above 5 minutes, the longest an express execution runs, or set ' +
        '"on-timeout: continue" to pass.'
    )
    const stop = failureMessage(
      configOf({ start: 'true', timeout: '2m', 'on-timeout': 'stop' }),
      tracked
    )
    expect(stop).toMatch(/No API stops an express execution: run-1 may run on until it ends/)
    expect(stop).not.toMatch(/stopped \(on-timeout/)
  })
})

describe('errorFailure', () => {
  it('a cancellation is its own message; anything else is prefixed and made safe', () => {
    expect(errorFailure(configOf(), new CancelledError('SIGTERM'))).toBe(
      'The job was cancelled (SIGTERM).'
    )
    expect(errorFailure(configOf(), new Error('::error::boom'))).toMatch(/^fnf-wait: (?!::)/)
  })

  it('an expired STS token from the inputs gets the advice, OIDC credentials do not', () => {
    const expired = new FnfError({
      action: 'DescribeExecution',
      status: 400,
      code: 'InvalidSecurityToken.Expired',
      detail: 'Specified SecurityToken is expired.',
      retryable: false
    })
    const keys = errorFailure(configOf({ 'security-token': 'CAIS.token' }), expired)
    const oidc = errorFailure(
      configOf({
        'access-key-id': '',
        'access-key-secret': '',
        'role-to-assume': 'acs:ram::1234567890123456:role/r',
        'oidc-provider-arn': 'acs:ram::1234567890123456:oidc-provider/github'
      }),
      expired
    )
    expect(keys.length).toBeGreaterThan(oidc.length)
    expect(keys.startsWith(oidc)).toBe(true)
  })
})

describe('withRootCause', () => {
  const failure = 'The step failed.'
  const withRoot = (name: string, pathText: string, error: string, cause: string): Tracked => {
    const path = pathText ? pathText.split(' › ') : []
    const root = { kind: 'failure' as const, path, pathText, error, cause, attempts: 0 }
    return ended(name, 'Failed', {
      report: { status: 'Failed', rootCause: root, rootCauses: [root] } as NonNullable<
        Tracked['report']
      >
    })
  }
  const view = (tracked: Tracked[]) => reportView(configOf(), tracked, 0)

  it('adds the worst execution’s root cause, naming it when there are several', () => {
    expect(withRootCause(failure, view([withRoot('a', 'x › y', 'E', 'c')]))).toBe(
      'The step failed. Root cause: step x › y failed with E: c.'
    )
    expect(
      withRootCause(failure, view([ended('ok', 'Succeeded'), withRoot('b', '', 'E', '')]))
    ).toBe('The step failed. Root cause (b): the execution failed with E.')
  })

  it('a cause that ends its own sentence does not double the closing period', () => {
    expect(withRootCause(failure, view([withRoot('a', 'x', 'E', 'column exists.')]))).toBe(
      'The step failed. Root cause: step x failed with E: column exists.'
    )
  })

  it('leaves the message alone without a failure root cause', () => {
    expect(withRootCause(failure, view([ended('a', 'Failed')]))).toBe(failure)
  })

  it("an express execution's error code and message are its root cause", () => {
    const t = ended('a', 'Failed', {
      state: 'ended',
      express: true,
      execution: {
        Name: 'a:0d5b',
        FlowName: 'deploy',
        Status: 'Failed',
        ErrorCode: 'Smoke.Down',
        ErrorMessage: '503'
      }
    })
    expect(withRootCause(failure, view([t]))).toBe(
      'The step failed. Root cause: the execution failed with Smoke.Down: 503.'
    )
  })
})

describe('names', () => {
  it('shows ten names, then how many more', () => {
    const many = Array.from({ length: 12 }, (_, i) => track(`n${i}`, '{}'))
    expect(names(many)).toBe('n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, and 2 more')
    expect(names(many.slice(0, 2))).toBe('n0, n1')
  })
})
