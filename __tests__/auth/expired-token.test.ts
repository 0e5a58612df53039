/**
 * Fixed STS credentials that expire mid-wait: the failure must name the cause and both fixes.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Dispatcher } from 'undici'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { expiredTokenAdvice } from '../../src/auth/expired-token.js'
import { FnfClient } from '../../src/fnf/client.js'
import { createDispatcher } from '../../src/http/dispatcher.js'
import { FnfError } from '../../src/fnf/errors.js'
import { Deadline } from '../../src/step/deadline.js'
import { waitForExecution } from '../../src/step/wait.js'

let dispatcher: Dispatcher
let emu: Emulator

beforeAll(async () => {
  dispatcher = createDispatcher()
  emu = await startEmulator({
    credentials: [],
    rateLimit: null,
    // Held: it outlives the 1.5 s token whatever the machine's speed.
    flows: [{ name: 'long', hold: true, steps: [{ type: 'wait', name: 'hold', durationMs: 0 }] }]
  })
})

afterAll(async () => {
  await emu.close()
  await dispatcher.close()
})

function fnfError(code: string, status = 403): FnfError {
  return new FnfError({ action: 'DescribeExecution', status, code, detail: '', retryable: false })
}

describe('expiredTokenAdvice', () => {
  it('explains a token that expired during the wait, with both fixes', async () => {
    // What configure-aliyun-credentials-action would export, about to run out.
    const credential = {
      accessKeyId: 'STS.NExported',
      accessKeySecret: 'exported-secret',
      securityToken: 'exported-token'
    }
    emu.addCredential({ ...credential, expiresAt: Date.now() + 1500 })
    emu.createExecution('long', 'outlived')
    const client = new FnfClient({ endpoint: emu.url, credentials: () => credential, dispatcher })

    const error = await waitForExecution(
      {
        // Short holds so the wait is still polling when the token runs out.
        describeExecution: ({ flowName, executionName }, options) =>
          client.describeExecution({ flowName, executionName, waitTimeSeconds: 1 }, options)
      },
      { flowName: 'long', executionName: 'outlived', deadline: Deadline.after(30_000) }
    ).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(FnfError)
    expect((error as FnfError).code).toBe('InvalidSecurityToken.Expired')

    const advice = expiredTokenAdvice(error)
    expect(advice).toMatch(/^The STS security token expired during the wait/)
    expect(advice).toContain(
      'raise "role-session-expiration" in configure-aliyun-credentials-action'
    )
    expect(advice).toContain('give fnf-wait "role-to-assume" and "oidc-provider-arn"')
    expect(advice).toContain('"permissions: id-token: write"')
  })

  it('recognises the expired-token codes, also as a cause', () => {
    for (const code of ['InvalidSecurityToken.Expired', 'SecurityTokenExpired']) {
      expect(expiredTokenAdvice(fnfError(code))).toBeDefined()
    }
    const wrapped = new Error('fnf-wait: DescribeExecution failed', {
      cause: fnfError('InvalidSecurityToken.Expired')
    })
    expect(expiredTokenAdvice(wrapped)).toBeDefined()
  })

  it('says nothing for other failures', () => {
    for (const code of [
      'InvalidSecurityToken.MismatchWithAccessKey',
      'InvalidSecurityToken.Malformed',
      'AccessDenied',
      'InvalidAccessKeyId.NotFound'
    ]) {
      expect(expiredTokenAdvice(fnfError(code))).toBeUndefined()
    }
    expect(expiredTokenAdvice(new Error('InvalidSecurityToken.Expired'))).toBeUndefined()
    expect(expiredTokenAdvice(undefined)).toBeUndefined()
    expect(expiredTokenAdvice('InvalidSecurityToken.Expired')).toBeUndefined()
  })
})
