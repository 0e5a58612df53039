/**
 * Where the keys come from (src/config/credentials.ts): the inputs first, then one environment
 * spelling taken whole, and a clear error naming what is missing.
 */
import { describe, expect, it } from '@jest/globals'
import { resolveCredentials } from '../../src/config/credentials.js'
import { InputError } from '../../src/config/errors.js'

const inputs =
  (values: Record<string, string> = {}) =>
  (name: string) =>
    values[name] ?? ''

function errorOf(get: (name: string) => string, env: Record<string, string> = {}): string {
  try {
    resolveCredentials(get, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

describe('resolveCredentials', () => {
  it('takes the inputs over the environment, with the STS token', () => {
    const get = inputs({
      'access-key-id': 'LTAIin',
      'access-key-secret': 's',
      'security-token': 't'
    })
    expect(resolveCredentials(get, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIenv' })).toEqual({
      auth: { credentials: { accessKeyId: 'LTAIin', accessKeySecret: 's', securityToken: 't' } },
      source: 'the access-key-id and access-key-secret inputs'
    })
  })

  it('takes one environment spelling whole, in order, trimmed', () => {
    const env = {
      ALIBABACLOUD_ACCESS_KEY_ID: ' LTAIb ',
      ALIBABACLOUD_ACCESS_KEY_SECRET: 'sb',
      ALICLOUD_ACCESS_KEY: 'LTAIc',
      ALICLOUD_SECRET_KEY: 'sc',
      ALICLOUD_SECURITY_TOKEN: 'tc'
    }
    expect(resolveCredentials(inputs(), env)).toEqual({
      auth: { credentials: { accessKeyId: 'LTAIb', accessKeySecret: 'sb' } },
      source: 'the ALIBABACLOUD_* environment variables'
    })
  })

  it('half a pair is an error naming the half that is missing', () => {
    expect(errorOf(inputs({ 'access-key-id': 'LTAI' }))).toMatch(
      /^Input "access-key-secret" is empty but "access-key-id" is set/
    )
    expect(errorOf(inputs(), { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 's' })).toMatch(
      /^Environment variable ALIBABA_CLOUD_ACCESS_KEY_ID is empty but ALIBABA_CLOUD_ACCESS_KEY_SECRET is set/
    )
  })

  it('a token without its key pair, or nothing at all, says what to set', () => {
    expect(errorOf(inputs({ 'security-token': 't' }))).toMatch(
      /^Input "security-token" is set without "access-key-id" and "access-key-secret"/
    )
    expect(errorOf(inputs())).toMatch(/^No credentials: set the "access-key-id"/)
  })
})
