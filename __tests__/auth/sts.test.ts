/**
 * assumeRoleWithOidc against the local fake STS: the request as the official library sends it,
 * retries of transient failures only, and messages that say what to fix.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Dispatcher } from 'undici'
import {
  assumeRoleWithOidc,
  StsError,
  type AssumeRoleWithOidcParams,
  type StsOptions
} from '../../src/auth/sts.js'
import { createDispatcher } from '../../src/http/dispatcher.js'
import { githubJwt, makeJwt } from '../../emulator/id-token.js'
import { startStsFake, type StsFake } from '../../emulator/sts.js'

const ROLE = 'acs:ram::1234567890123456:role/fnf-waiter'
const PROVIDER = 'acs:ram::1234567890123456:oidc-provider/github'
const SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main'

let dispatcher: Dispatcher
let sts: StsFake

beforeAll(async () => {
  dispatcher = createDispatcher()
  sts = await startStsFake({
    providers: [{ arn: PROVIDER }],
    roles: [{ arn: ROLE, providerArn: PROVIDER, subject: SUBJECT, maxSessionDuration: 3600 }],
    expiresInMs: 60_000
  })
})

afterAll(async () => {
  await sts.close()
  await dispatcher.close()
})

function params(over: Partial<AssumeRoleWithOidcParams> = {}): AssumeRoleWithOidcParams {
  return {
    endpoint: sts.url,
    roleArn: ROLE,
    oidcProviderArn: PROVIDER,
    oidcToken: githubJwt({ audience: 'sts.aliyuncs.com', subject: SUBJECT }),
    roleSessionName: 'fnf-wait-1-1',
    durationSeconds: 900,
    ...over
  }
}

/** No real sleeping: the backoff delays are recorded instead. */
function options(over: StsOptions = {}): StsOptions & { slept: number[]; lines: string[] } {
  const slept: number[] = []
  const lines: string[] = []
  return {
    dispatcher,
    sleep: async (ms) => {
      slept.push(ms)
    },
    log: (line) => lines.push(line),
    random: () => 0.5,
    slept,
    lines,
    ...over
  }
}

async function rejection(promise: Promise<unknown>): Promise<StsError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(StsError)
    return error as StsError
  }
  throw new Error('expected an StsError')
}

describe('assumeRoleWithOidc', () => {
  it('sends the official request shape and returns the credentials', async () => {
    const before = sts.requests.length
    const p = params()
    const creds = await assumeRoleWithOidc(p, options())
    const minted = sts.minted.at(-1)
    expect(creds).toEqual({
      accessKeyId: minted?.accessKeyId,
      accessKeySecret: minted?.accessKeySecret,
      securityToken: minted?.securityToken,
      expiration: minted?.expiresAt
    })
    const [request] = sts.requests.slice(before)
    expect(request?.method).toBe('POST')
    expect(request?.query).toEqual({
      Version: '2015-04-01',
      Action: 'AssumeRoleWithOIDC',
      Format: 'JSON',
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    })
    expect(request?.form).toEqual({
      OIDCProviderArn: PROVIDER,
      OIDCToken: p.oidcToken,
      RoleArn: ROLE,
      RoleSessionName: 'fnf-wait-1-1',
      DurationSeconds: '900'
    })
    expect(sts.requests.slice(before)).toHaveLength(1)
  })

  it('retries throttling, 5xx and resets with backoff, then succeeds', async () => {
    const before = sts.requests.length
    sts.fail({ status: 503, code: 'ServiceUnavailable' })
    sts.fail({
      status: 400,
      code: 'Throttling.User',
      message: 'Request was denied due to user flow control.'
    })
    sts.fail({ kind: 'reset' })
    const o = options()
    const creds = await assumeRoleWithOidc(params(), o)
    expect(creds.accessKeyId).toBe(sts.minted.at(-1)?.accessKeyId)
    expect(sts.requests.slice(before).map((r) => r.code ?? r.status)).toEqual([
      'ServiceUnavailable',
      'Throttling.User',
      'reset',
      200
    ])
    // Full jitter at random() = 0.5: half of 500, 1000, 2000 ms.
    expect(o.slept).toEqual([250, 500, 1000])
    expect(o.lines).toHaveLength(3)
    expect(o.lines[0]).toMatch(
      /^AssumeRoleWithOIDC: HTTP 503 ServiceUnavailable: injected \(request id [0-9A-F-]+\); retry 1 of 4 in 0\.3s$/
    )
  })

  it('gives up after maxAttempts and within the deadline', async () => {
    let before = sts.requests.length
    sts.fail({ status: 500, code: 'InternalError', count: 3 })
    const error = await rejection(assumeRoleWithOidc(params(), options({ maxAttempts: 3 })))
    expect(error.code).toBe('InternalError')
    expect(sts.requests.length - before).toBe(3)

    before = sts.requests.length
    sts.fail({ status: 500, code: 'InternalError', count: 2 })
    let clock = 1_000_000
    const o = options({
      now: () => clock,
      deadline: clock + 600,
      sleep: async (ms) => {
        clock += ms
      }
    })
    // 250 ms fits before the deadline, the next 500 ms does not.
    await expect(assumeRoleWithOidc(params(), o)).rejects.toMatchObject({ code: 'InternalError' })
    expect(sts.requests.length - before).toBe(2)
  })

  it('explains an audience the provider does not accept', async () => {
    const token = githubJwt({ audience: 'github-actions', subject: SUBJECT })
    const before = sts.requests.length
    const error = await rejection(assumeRoleWithOidc(params({ oidcToken: token }), options()))
    expect(sts.requests.length - before).toBe(1)
    expect(error.code).toBe('AuthenticationFail.OIDCToken.AudienceNotMatch')
    expect(error.message).toContain(
      'HTTP 401 AuthenticationFail.OIDCToken.AudienceNotMatch: Invalid audience (request id'
    )
    expect(error.message).toContain(
      `The ID token's audience ("github-actions") is not a Client ID of OIDC provider ${PROVIDER}: the "audience" input must match one of the provider's Client IDs`
    )
    expect(error.message).not.toContain(token)
  })

  it('explains a role that does not trust this repository, showing the sub claim', async () => {
    const sub = 'repo:octo-org/fork:pull_request'
    const token = githubJwt({ audience: 'sts.aliyuncs.com', subject: sub })
    const error = await rejection(assumeRoleWithOidc(params({ oidcToken: token }), options()))
    expect(error.code).toBe('AuthenticationFail.NoPermission')
    expect(error.message).toContain('AuthenticationFail.NoPermission: There is no permission')
    expect(error.message).toContain(`Role ${ROLE} cannot be assumed with this token`)
    expect(error.message).toContain(
      `condition on "oidc:sub" that matches this token's sub claim "${sub}"`
    )
    expect(error.message).not.toContain(token)
  })

  it('explains an unknown role and an unknown provider', async () => {
    const missing = 'acs:ram::1234567890123456:role/nope'
    const role = await rejection(assumeRoleWithOidc(params({ roleArn: missing }), options()))
    expect(role.status).toBe(404)
    expect(role.message).toContain(`EntityNotExist.Role: The role not exists: ${missing}`)
    expect(role.message).toContain('Check that "role-to-assume" names an existing role')

    const provider = await rejection(
      assumeRoleWithOidc(
        params({ oidcProviderArn: 'acs:ram::1234567890123456:oidc-provider/gone' }),
        options()
      )
    )
    expect(provider.message).toContain('No such OIDC Provider registered')
    expect(provider.message).toContain('check "oidc-provider-arn"')
  })

  it('explains a duration over the role maximum and an expired or malformed token', async () => {
    const duration = await rejection(
      assumeRoleWithOidc(params({ durationSeconds: 7200 }), options())
    )
    expect(duration.code).toBe('InvalidParameter.DurationSeconds')
    expect(duration.message).toContain('Lower "role-duration-seconds"')

    const expired = makeJwt({
      sub: SUBJECT,
      aud: 'sts.aliyuncs.com',
      iss: 'https://token.actions.githubusercontent.com',
      exp: Math.floor(Date.now() / 1000) - 60
    })
    const stale = await rejection(assumeRoleWithOidc(params({ oidcToken: expired }), options()))
    expect(stale.code).toBe('AuthenticationFail.OIDCToken.Expired')
    expect(stale.message).toContain('ID token had expired')

    const garbage = await rejection(
      assumeRoleWithOidc(params({ oidcToken: 'not-a-jwt' }), options())
    )
    expect(garbage.code).toBe('AuthenticationFail.OIDCToken.Invalid')
    expect(garbage.retryable).toBe(false)
  })

  it('reports something that is not STS without echoing a success body', async () => {
    let body = ''
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    const { port } = server.address() as AddressInfo
    const endpoint = `http://127.0.0.1:${port}`
    try {
      body = '<html>proxy login</html>'
      const html = await rejection(assumeRoleWithOidc(params({ endpoint }), options()))
      expect(html.code).toBe('InvalidResponse')
      expect(html.message).toContain('the response is not JSON')

      body = JSON.stringify({ Credentials: { AccessKeySecret: 'leaky-secret' } })
      const half = await rejection(assumeRoleWithOidc(params({ endpoint }), options()))
      expect(half.code).toBe('InvalidResponse')
      expect(half.message).toContain('the response has no complete Credentials')
      expect(half.message).not.toContain('leaky-secret')
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
