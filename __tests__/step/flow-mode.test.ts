/**
 * Standard or Express (src/step/flow-mode.ts): which refusals may mean "not in this mode", the one
 * DescribeFlow a step asks, what a start does after a refusal, and the explanation of an execution
 * that cannot be found by name on an express flow.
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { FnfError } from '../../src/fnf/errors.js'
import type { Flow } from '../../src/fnf/types.js'
import { track, type Tracked } from '../../src/step/execution-outcome.js'

jest.unstable_mockModule('@actions/core', () => core)
const { ExpressNotFollowableError, explainNotFound, FlowModes, mayBeModeRefusal } =
  await import('../../src/step/flow-mode.js')
beforeEach(() => core.resetCore())

const refusal = (status: number, code: string): FnfError =>
  new FnfError({ action: 'StartExecution', status, code, detail: '', retryable: false })

/** A client whose DescribeFlow answers `mode` (or fails with `error`), counting its calls. */
function describing(answer: { mode?: string; error?: unknown }) {
  const calls: string[] = []
  const client = {
    describeFlow: async (p: { name: string }): Promise<Flow> => {
      calls.push(p.name)
      if (answer.error) throw answer.error
      return { Name: p.name, ExecutionMode: answer.mode ?? '' }
    }
  }
  return { calls, modes: new FlowModes(client, { flowName: 'f', wait: true }, {}) }
}

describe('mayBeModeRefusal', () => {
  it.each([
    [400, 'ActionNotSupported', true],
    [400, 'InvalidArgument', true],
    [403, 'Forbidden.RAM', true],
    [412, 'PreconditionFailed', true],
    [404, 'FlowNotExists', false],
    [404, 'FlowAliasNotExists', false],
    [429, 'ResourceThrottled', false],
    [400, 'ExecutionAlreadyExists', false],
    [403, 'InvalidAccessKeyId.NotFound', false],
    [403, 'SignatureNotMatch', false],
    [403, 'InvalidSecurityToken.Expired', false],
    [500, 'InternalServerError', false],
    [0, 'ECONNRESET', false]
  ])('HTTP %i %s: %s', (status, code, expected) => {
    expect(mayBeModeRefusal(refusal(status, code))).toBe(expected)
  })

  it('is never a plain error', () => {
    expect(mayBeModeRefusal(new Error('ActionNotSupported'))).toBe(false)
  })
})

describe('FlowModes', () => {
  it('asks DescribeFlow once for the whole step, and only after a refusal that may mean it', async () => {
    const { calls, modes } = describing({ mode: 'Express' })
    expect(modes.known).toBeUndefined()
    expect(await modes.afterRefusal(refusal(404, 'FlowNotExists'))).toBe('standard')
    expect(calls).toEqual([])
    const both = await Promise.all([
      modes.afterRefusal(refusal(400, 'ActionNotSupported')),
      modes.afterRefusal(refusal(400, 'ActionNotSupported'))
    ])
    expect(both).toEqual(['express', 'express'])
    expect(calls).toEqual(['f'])
    expect(modes.known).toBe('Express')
    expect(core.fake.log).toEqual([
      'info: Flow f is an Express flow: each execution runs with StartSyncExecution, one request ' +
        'the service answers when the execution ends (at most 5 minutes).'
    ])
  })

  it.each([
    ['Standard', 'standard'],
    ['', 'standard']
  ])('ExecutionMode %j: the refusal stands', async (mode, expected) => {
    const { modes } = describing({ mode })
    expect(await modes.afterRefusal(refusal(400, 'InvalidArgument'))).toBe(expected)
    expect(modes.known).toBe('Standard')
  })

  it('DescribeFlow denied: one debug line, and StartSyncExecution is to be tried', async () => {
    const denied = new FnfError({
      action: 'DescribeFlow',
      status: 403,
      code: 'Forbidden.RAM',
      detail: 'denied',
      retryable: false
    })
    const { modes } = describing({ error: denied })
    expect(await modes.afterRefusal(refusal(400, 'ActionNotSupported'))).toBe('try-express')
    expect(modes.known).toBeUndefined()
    expect(core.fake.log).toEqual([
      expect.stringMatching(
        /^debug: DescribeFlow of f could not be read, so its mode is not known: /
      )
    ])
    modes.learnExpress()
    expect(modes.known).toBe('Express')
    expect(await modes.afterRefusal(refusal(400, 'ActionNotSupported'))).toBe('express')
  })
})

describe('explainNotFound', () => {
  const notFound = refusal(404, 'ExecutionNotExists')

  it('an express flow: every execution not found gets the reason there is nothing to wait on', async () => {
    const { calls, modes } = describing({ mode: 'Express' })
    const outcomes: Tracked[] = [
      { ...track('a', '{}'), state: 'lost', error: notFound },
      track('b', '{}')
    ]
    const { outcomes: explained } = await explainNotFound(modes, 'f', outcomes, {
      why: 'all-ended'
    })
    const error = (explained[0] as { error: unknown }).error
    expect(error).toBeInstanceOf(ExpressNotFollowableError)
    expect((error as Error).message).toMatch(
      /^Flow f is an Express flow: .*ExecutionNotExists for a\), so there is nothing to wait on\./
    )
    expect((error as Error).cause).toBe(notFound)
    expect(explained[1]).toBe(outcomes[1])
    expect(calls).toEqual(['f'])
  })

  it('a fatal not-found of the one execution', async () => {
    const { modes } = describing({ mode: 'Express' })
    const { end } = await explainNotFound(modes, 'f', [track('a', '{}')], {
      why: 'fatal',
      error: notFound
    })
    expect((end.error as Error).message).toContain('ExecutionNotExists for a)')
  })

  it('a standard flow, or nothing missing: as it was, and no DescribeFlow when nothing is missing', async () => {
    const standard = describing({ mode: 'Standard' })
    const end = { why: 'fatal', error: notFound }
    expect((await explainNotFound(standard.modes, 'f', [track('a', '{}')], end)).end).toBe(end)
    const none = describing({ mode: 'Express' })
    await explainNotFound(none.modes, 'f', [track('a', '{}')], { why: 'all-ended' })
    expect(none.calls).toEqual([])
  })
})
