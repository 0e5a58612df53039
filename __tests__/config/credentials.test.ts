/**
 * Where the keys come from (src/config/credentials.ts): the inputs first, then one environment
 * spelling taken whole, then the credentials file and the runner's machine, and a clear error
 * naming what is missing.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

const emptyHome = mkdtempSync(join(tmpdir(), 'fnf-wait-credentials-'))
afterAll(() => rmSync(emptyHome, { recursive: true, force: true }))

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
    // A GitHub-hosted job (never an ECS instance) with no credentials file: every way to give them.
    const message = errorOf(inputs(), { RUNNER_ENVIRONMENT: 'github-hosted', HOME: emptyHome })
    expect(message).toMatch(/^No credentials: give the "role-to-assume" and "oidc-provider-arn"/)
    for (const named of [
      '"access-key-id"',
      'ALIBABA_CLOUD_CREDENTIALS_FILE',
      'ECS instance RAM role'
    ]) {
      expect(message).toContain(named)
    }
  })

  it('then the credentials file, then the runner machine, in the official chain order', () => {
    const file = join(emptyHome, 'credentials.ini')
    writeFileSync(
      file,
      '[default]\ntype = access_key\naccess_key_id = LTAIf\naccess_key_secret = sf\n'
    )
    expect(resolveCredentials(inputs(), { ALIBABA_CLOUD_CREDENTIALS_FILE: file })).toEqual({
      auth: { credentials: { accessKeyId: 'LTAIf', accessKeySecret: 'sf' } },
      source: `the profile "default" of ${file} (ALIBABA_CLOUD_CREDENTIALS_FILE)`
    })
    // Keys in the environment come before the file.
    const env = {
      ALIBABA_CLOUD_CREDENTIALS_FILE: file,
      ALICLOUD_ACCESS_KEY: 'a',
      ALICLOUD_SECRET_KEY: 'b'
    }
    expect(resolveCredentials(inputs(), env).source).toBe('the ALICLOUD_* environment variables')
    // No file: a self-hosted runner asks its machine.
    expect(
      resolveCredentials(inputs(), { RUNNER_ENVIRONMENT: 'self-hosted', HOME: emptyHome })
    ).toEqual({
      auth: { machine: { ecs: { imdsV1: true } } },
      source: "the runner's machine: the ECS instance RAM role"
    })
  })
})
