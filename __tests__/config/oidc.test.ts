import { describe, expect, it } from '@jest/globals'
import { parseOidcInputs, sessionNameFromRun } from '../../src/config/oidc.js'
import { InputError } from '../../src/config/errors.js'

const ROLE = 'acs:ram::1234567890123456:role/fnf-waiter'
const PROVIDER = 'acs:ram::1234567890123456:oidc-provider/github'

function reader(inputs: Record<string, string>): (name: string) => string {
  return (name) => inputs[name] ?? ''
}

function parse(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return parseOidcInputs(reader(inputs), env)
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('parseOidcInputs', () => {
  it('is off without either ARN', () => {
    expect(parse({})).toBeUndefined()
    expect(parse({ audience: 'x' }, { GITHUB_RUN_ID: '1' })).toBeUndefined()
  })

  it('takes both ARNs from inputs, with the documented defaults', () => {
    const config = parse(
      { 'role-to-assume': ROLE, 'oidc-provider-arn': PROVIDER },
      { GITHUB_RUN_ID: '987654', GITHUB_RUN_ATTEMPT: '2' }
    )
    expect(config).toEqual({
      roleArn: ROLE,
      oidcProviderArn: PROVIDER,
      audience: 'sts.aliyuncs.com',
      roleSessionName: 'fnf-wait-987654-2',
      durationSeconds: 3600,
      stsEndpoint: 'https://sts.aliyuncs.com',
      source: expect.stringContaining(`role ${ROLE} (input "role-to-assume")`)
    })
  })

  it('falls back to the official chain variables, inputs first', () => {
    const env = {
      ALIBABA_CLOUD_ROLE_ARN: ROLE,
      ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER,
      ALIBABA_CLOUD_OIDC_TOKEN_FILE: '/var/run/token',
      ALIBABA_CLOUD_STS_REGION: 'cn-shanghai',
      ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED: 'true'
    }
    const config = parse({}, env)
    expect(config).toMatchObject({
      roleArn: ROLE,
      oidcProviderArn: PROVIDER,
      tokenFile: '/var/run/token',
      stsEndpoint: 'https://sts-vpc.cn-shanghai.aliyuncs.com'
    })
    expect(config?.source).toContain('ALIBABA_CLOUD_OIDC_TOKEN_FILE (/var/run/token)')
    const other = 'acs:ram::1234567890123456:role/other'
    expect(parse({ 'role-to-assume': other }, env)?.roleArn).toBe(other)
  })

  it('names the missing ARN when only one is given', () => {
    expect(errorOf(() => parse({ 'role-to-assume': ROLE })).message).toMatch(
      /^Input "oidc-provider-arn" \(or ALIBABA_CLOUD_OIDC_PROVIDER_ARN\) is empty but input "role-to-assume" is set/
    )
    expect(errorOf(() => parse({}, { ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER })).message).toMatch(
      /^Input "role-to-assume" \(or ALIBABA_CLOUD_ROLE_ARN\) is empty but environment variable ALIBABA_CLOUD_OIDC_PROVIDER_ARN is set/
    )
  })

  it('rejects malformed ARNs and spots swapped ones', () => {
    expect(
      errorOf(() => parse({ 'role-to-assume': 'fnf-waiter', 'oidc-provider-arn': PROVIDER }))
        .message
    ).toBe(
      'Input "role-to-assume" is "fnf-waiter", which is not a RAM role ARN: use the form ' +
        '"acs:ram::<account>:role/<name>", as shown in the RAM console.'
    )
    const swapped = errorOf(() =>
      parse({ 'role-to-assume': PROVIDER, 'oidc-provider-arn': ROLE })
    ).message
    expect(swapped).toContain('did you swap "role-to-assume" and "oidc-provider-arn"?')
  })

  it('checks role-duration-seconds against 900..43200', () => {
    const base = { 'role-to-assume': ROLE, 'oidc-provider-arn': PROVIDER }
    expect(parse({ ...base, 'role-duration-seconds': '900' })?.durationSeconds).toBe(900)
    expect(parse({ ...base, 'role-duration-seconds': '43200' })?.durationSeconds).toBe(43200)
    for (const bad of ['899', '43201', '1h', '3600.5', '-900']) {
      expect(errorOf(() => parse({ ...base, 'role-duration-seconds': bad })).message).toMatch(
        new RegExp(
          `^Input "role-duration-seconds" is "${bad}", which is not a whole number of seconds from 900 to 43200`
        )
      )
    }
  })

  it('checks role-session-name and derives one from the run', () => {
    const base = { 'role-to-assume': ROLE, 'oidc-provider-arn': PROVIDER }
    expect(parse({ ...base, 'role-session-name': 'deploy@prod.1' })?.roleSessionName).toBe(
      'deploy@prod.1'
    )
    for (const bad of ['a', 'has space', 'x'.repeat(65), 'ünïcode']) {
      expect(errorOf(() => parse({ ...base, 'role-session-name': bad })).message).toContain(
        `Input "role-session-name" is "${bad}", which is not a valid STS session name: use 2 to 64 characters`
      )
    }
    expect(sessionNameFromRun({}, () => 1700000000000)).toBe('fnf-wait-1700000000000')
    expect(sessionNameFromRun({ GITHUB_RUN_ID: '9'.repeat(80) })).toHaveLength(64)
    expect(sessionNameFromRun({ GITHUB_RUN_ID: '42' })).toBe('fnf-wait-42-1')
  })

  it('accepts https STS endpoints and plain http only on loopback', () => {
    const base = { 'role-to-assume': ROLE, 'oidc-provider-arn': PROVIDER }
    const endpoint = (value: string) => parse({ ...base, 'sts-endpoint': value })?.stsEndpoint
    expect(endpoint('sts.cn-hangzhou.aliyuncs.com')).toBe('https://sts.cn-hangzhou.aliyuncs.com')
    expect(endpoint('https://sts-vpc.cn-beijing.aliyuncs.com/')).toBe(
      'https://sts-vpc.cn-beijing.aliyuncs.com'
    )
    expect(endpoint('http://127.0.0.1:8123')).toBe('http://127.0.0.1:8123')
    expect(errorOf(() => endpoint('http://sts.aliyuncs.com')).message).toContain(
      'plain http is only allowed for a local fake'
    )
    expect(errorOf(() => endpoint('https://sts.aliyuncs.com/v1')).message).toContain(
      'bare host without user, path or query'
    )
    expect(errorOf(() => endpoint('ftp://sts.aliyuncs.com')).message).toContain(
      'the scheme must be https'
    )
  })

  it('lets explicit key inputs win over OIDC from the environment, and refuses both as inputs', () => {
    const env = { ALIBABA_CLOUD_ROLE_ARN: ROLE, ALIBABA_CLOUD_OIDC_PROVIDER_ARN: PROVIDER }
    expect(parse({ 'access-key-id': 'LTAI', 'access-key-secret': 's' }, env)).toBeUndefined()
    expect(
      errorOf(() =>
        parse({ 'access-key-id': 'LTAI', 'access-key-secret': 's', 'role-to-assume': ROLE })
      ).message
    ).toBe(
      'Inputs "access-key-id" and "role-to-assume" are both set: use either an access key or ' +
        '"role-to-assume" with "oidc-provider-arn", not both.'
    )
  })

  it('rejects an audience with white space', () => {
    const base = { 'role-to-assume': ROLE, 'oidc-provider-arn': PROVIDER }
    expect(parse({ ...base, audience: 'github-actions' })?.audience).toBe('github-actions')
    expect(errorOf(() => parse({ ...base, audience: 'a b' })).message).toContain(
      'Input "audience" is "a b", which contains white space'
    )
  })
})
