/**
 * The renewal logic of the OIDC credentials provider on a fake clock: when it renews, that
 * concurrent callers share one renewal, that a failed renewal keeps good credentials, and that
 * secrets are masked and never logged.
 */
import { describe, expect, it, jest } from '@jest/globals'
import type { OidcConfig } from '../../src/config/oidc.js'
import {
  createOidcCredentials,
  type AssumeRole,
  type OidcDeps
} from '../../src/auth/oidc-provider.js'
import type { AssumeRoleWithOidcParams, StsCredentials } from '../../src/auth/sts.js'

const CONFIG: OidcConfig = {
  roleArn: 'acs:ram::1234567890123456:role/fnf-waiter',
  oidcProviderArn: 'acs:ram::1234567890123456:oidc-provider/github',
  audience: 'sts.aliyuncs.com',
  roleSessionName: 'fnf-wait-1-1',
  durationSeconds: 3600,
  stsEndpoint: 'https://sts.aliyuncs.com',
  source: 'test'
}
const T0 = Date.parse('2026-01-01T00:00:00Z')
const MIN = 60_000

/** A provider on a fake clock, with an STS stub that issues `lifetimeMs` credentials. */
function setup(opts: { config?: Partial<OidcConfig>; lifetimeMs?: number; deps?: OidcDeps } = {}) {
  let clock = T0
  let serial = 0
  const lifetimeMs = opts.lifetimeMs ?? 3600_000
  const lines: string[] = []
  const masked: string[] = []
  const tokens: string[] = []
  const calls: { params: AssumeRoleWithOidcParams; options: { deadline?: number } }[] = []
  const failures: unknown[] = []
  const sts = jest.fn<AssumeRole>(async (params, options) => {
    calls.push({ params, options })
    const failure = failures.shift()
    if (failure !== undefined) throw failure
    serial++
    return issue(serial, clock + lifetimeMs)
  })
  const { provider, stats } = createOidcCredentials(
    { ...CONFIG, ...opts.config },
    {
      now: () => clock,
      log: (line) => lines.push(line),
      setSecret: (secret) => masked.push(secret),
      idToken: async () => {
        const token = `id-token-${tokens.length + 1}`
        tokens.push(token)
        return token
      },
      sts,
      ...opts.deps
    }
  )
  return {
    provider,
    stats,
    sts,
    calls,
    lines,
    masked,
    tokens,
    failNext: (error: unknown) => failures.push(error),
    at: (ms: number) => {
      clock = T0 + ms
    }
  }
}

function issue(n: number, expiration: number): StsCredentials {
  return {
    accessKeyId: `STS.key${n}`,
    accessKeySecret: `secret${n}`,
    securityToken: `token${n}`,
    expiration
  }
}

describe('createOidcCredentials', () => {
  it('assumes on first use and reuses until max(5 min, 20%) of the lifetime is left', async () => {
    const t = setup()
    expect(await t.provider()).toEqual({
      accessKeyId: 'STS.key1',
      accessKeySecret: 'secret1',
      securityToken: 'token1'
    })
    // 1 h session: 20% is 12 min, so renewal starts at 48 min.
    t.at(48 * MIN - 1)
    expect((await t.provider()).accessKeyId).toBe('STS.key1')
    expect(t.sts).toHaveBeenCalledTimes(1)
    t.at(48 * MIN)
    expect((await t.provider()).accessKeyId).toBe('STS.key2')
    expect(t.stats.assumes).toBe(2)
    // Each assume got its own ID token.
    expect(t.calls.map((c) => c.params.oidcToken)).toEqual(['id-token-1', 'id-token-2'])
    expect(t.calls[0]?.params).toEqual({
      endpoint: 'https://sts.aliyuncs.com',
      roleArn: CONFIG.roleArn,
      oidcProviderArn: CONFIG.oidcProviderArn,
      oidcToken: 'id-token-1',
      roleSessionName: 'fnf-wait-1-1',
      durationSeconds: 3600
    })
  })

  it('keeps at least 5 minutes in reserve on short sessions', async () => {
    const t = setup({ config: { durationSeconds: 900 }, lifetimeMs: 900_000 })
    await t.provider()
    t.at(10 * MIN - 1)
    expect((await t.provider()).accessKeyId).toBe('STS.key1')
    t.at(10 * MIN)
    expect((await t.provider()).accessKeyId).toBe('STS.key2')
  })

  it('shares one renewal among concurrent callers', async () => {
    const t = setup()
    let release: (value: StsCredentials) => void = () => {}
    t.sts.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)))
    const pending = Promise.all([t.provider(), t.provider(), t.provider(), t.provider()])
    await new Promise((resolve) => setImmediate(resolve))
    release(issue(7, T0 + 3600_000))
    const all = await pending
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['STS.key7']))
    expect(t.sts).toHaveBeenCalledTimes(1)
    expect(t.tokens).toHaveLength(1)
    expect(t.stats.assumes).toBe(1)
  })

  it('keeps valid credentials when a renewal fails, logs it and retries on the next call', async () => {
    const t = setup()
    await t.provider()
    t.at(50 * MIN)
    t.failNext(new Error('AssumeRoleWithOIDC at https://sts.aliyuncs.com failed: HTTP 503'))
    expect((await t.provider()).accessKeyId).toBe('STS.key1')
    expect(t.stats).toEqual({ assumes: 1, failedRenewals: 1 })
    expect(t.lines.at(-1)).toBe(
      'Could not renew the STS credentials (AssumeRoleWithOIDC at https://sts.aliyuncs.com ' +
        'failed: HTTP 503); the current ones stay in use until 2026-01-01T00:59:00Z, and the ' +
        'next request tries again.'
    )
    // The renewal's STS retries may not run past the 30 s budget.
    expect(t.calls[1]?.options).toEqual({ deadline: T0 + 50 * MIN + 30_000 })

    t.at(51 * MIN)
    expect((await t.provider()).accessKeyId).toBe('STS.key2')
    expect(t.stats).toEqual({ assumes: 2, failedRenewals: 1 })
    expect(t.tokens).toHaveLength(3)
  })

  it('fails once the current credentials are too close to expiry, and on the first assume', async () => {
    const t = setup()
    const refused = new Error('GitHub did not give this job an ID token')
    t.failNext(refused)
    await expect(t.provider()).rejects.toBe(refused)

    await t.provider()
    // Expires at 60:00; the last minute is not usable.
    t.at(60 * MIN)
    const down = new Error('STS down')
    t.failNext(down)
    await expect(t.provider()).rejects.toBe(down)
    expect(t.stats.failedRenewals).toBe(0)
  })

  it('masks every secret before use and never logs one', async () => {
    const t = setup()
    await t.provider()
    t.at(49 * MIN)
    await t.provider()
    for (const secret of ['id-token-1', 'secret1', 'token1', 'STS.key1', 'id-token-2', 'secret2']) {
      expect(t.masked).toContain(secret)
    }
    expect(t.masked).toContain('token2')
    expect(t.lines).toHaveLength(2)
    expect(t.lines[0]).toBe(
      `Got STS credentials for role ${CONFIG.roleArn} (session fnf-wait-1-1): valid until ` +
        '2026-01-01T01:00:00Z, renewed after 2026-01-01T00:48:00Z.'
    )
    expect(t.lines[1]).toMatch(/^Renewed STS credentials for role/)
    const log = t.lines.join('\n')
    for (const secret of t.masked) expect(log).not.toContain(secret)
  })

  it('never trusts an Expiration beyond the requested duration, nor one in the past', async () => {
    // Runner clock 2 h behind STS: Expiration looks 3 h away, the session still lasts 1 h.
    const behind = setup({ lifetimeMs: 3 * 3600_000 })
    await behind.provider()
    behind.at(48 * MIN)
    expect((await behind.provider()).accessKeyId).toBe('STS.key2')

    // Runner clock 2 h ahead: Expiration looks past; go by the requested duration.
    const ahead = setup({ lifetimeMs: -3600_000 })
    await ahead.provider()
    ahead.at(47 * MIN)
    expect((await ahead.provider()).accessKeyId).toBe('STS.key1')
    expect(ahead.stats.assumes).toBe(1)
  })
})
