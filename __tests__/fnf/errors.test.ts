/**
 * FnF errors (src/fnf/errors.ts): the message of a failed call, the hint for the codes a user
 * must fix, and which codes mean a RAM policy refused the call.
 */
import { describe, expect, it } from '@jest/globals'
import { FnfError, hintFor, isDenied } from '../../src/fnf/errors.js'

describe('error helpers', () => {
  it('hintFor has nothing to say about codes it does not know', () => {
    expect(hintFor('InvalidArgument', { action: 'DescribeExecution' })).toBeUndefined()
  })

  it('formats the message without request id or hint when there are none', () => {
    const e = new FnfError({
      action: 'DescribeFlow',
      status: 500,
      code: 'InternalServerError',
      detail: '',
      retryable: true
    })
    expect(e.message).toBe('DescribeFlow failed: HTTP 500 InternalServerError')
    expect(e.name).toBe('FnfError')
    expect(e).toBeInstanceOf(Error)
  })

  it.each([
    ['AccessDenied', true],
    ['Forbidden.RAM', true],
    ['NoPermission', true],
    ['NotAuthorized', true],
    ['ResourceThrottled', false],
    ['ExecutionNotExists', false]
  ])('isDenied(%s) is %s: a RAM policy refused, and asking again cannot help', (code, denied) => {
    const e = new FnfError({
      action: 'DescribeMapRun',
      status: 403,
      code,
      detail: '',
      retryable: false
    })
    expect(isDenied(e)).toBe(denied)
  })

  it('isDenied is false for anything but an FnfError', () => {
    expect(isDenied(new Error('AccessDenied'))).toBe(false)
  })
})

describe('the hint for an unknown qualifier', () => {
  it.each(['FlowVersionNotExists', 'FlowAliasNotExists', 'InvalidQualifier'])(
    '%s with a qualifier names it and the way out',
    (code) => {
      expect(
        hintFor(code, { action: 'StartExecution', flowName: 'deploy', qualifier: 'canary' })
      ).toBe(
        '"canary" is not a published version or an alias of flow "deploy". Check `qualifier` ' +
          "against the flow's versions and aliases (the console, or ListFlowVersions and " +
          'ListFlowAliases), or leave it empty to run the latest definition.'
      )
    }
  )

  it('says nothing of a qualifier the call did not carry, or of a code about something else', () => {
    expect(hintFor('FlowVersionNotExists', { action: 'DescribeFlow' })).toBeUndefined()
    expect(
      hintFor('FlowNotExists', { action: 'StartExecution', flowName: 'd', qualifier: '2' })
    ).toMatch(/^Flow "d" was not found/)
  })
})

describe('hints for the codes the API reference documents', () => {
  const context = {
    action: 'StopExecution',
    flowName: 'deploy',
    endpoint: 'https://cn-hangzhou.fnf.aliyuncs.com'
  }

  it('AccessDenied: the documented meaning, the account, and grants on "*" (not "on this flow")', () => {
    const hint = hintFor('AccessDenied', context)!
    expect(hint).toContain(`"the resource doesn't belong to you"`)
    expect(hint).toMatch(/a flow of the account the credentials belong to/)
    expect(hint).toContain('"fnf:StopExecution"')
    expect(hint).toContain('"Resource": "*"')
    expect(hint).not.toMatch(/on this flow/)
    expect(hintFor('Forbidden.RAM', context)).toMatch(/"fnf:StopExecution" on "Resource": "\*"/)
    expect(hintFor('Forbidden.RAM', context)).not.toMatch(/on this flow/)
  })

  it.each([
    ['EntityTooLarge', /1,024 KiB per request.*`input` smaller/],
    ['ConcurrentUpdateError', /"Update conflict, please retry\.".*retried/],
    ['PreconditionFailed', /precondition of fnf:StopExecution was not met/],
    ['UnsupportedMediaType', /application\/x-www-form-urlencoded.*proxy/]
  ])('%s', (code, hint) => {
    expect(hintFor(code, context)).toMatch(hint)
  })
})
