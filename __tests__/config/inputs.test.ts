import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/config/errors.js'
import { parseConfig } from '../../src/config/inputs.js'

const base: Record<string, string> = {
  'flow-name': 'deploy',
  'execution-name': 'run-1',
  region: 'cn-hangzhou',
  'access-key-id': 'LTAIexample',
  'access-key-secret': 'secret'
}

function parse(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return parseConfig((name) => inputs[name] ?? '', env)
}

function errorOf(inputs: Record<string, string>, env: Record<string, string> = {}): InputError {
  try {
    parse(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parse(base)
    expect(config).toMatchObject({
      flowName: 'deploy',
      executions: [{ name: 'run-1', input: '{}' }],
      start: false,
      wait: true,
      failFast: false,
      timeoutMs: 3_600_000,
      onTimeout: 'fail',
      stopOnCancel: 'auto',
      region: 'cn-hangzhou',
      credentials: { accessKeyId: 'LTAIexample', accessKeySecret: 'secret' }
    })
    expect([...config.failOn]).toEqual(['Failed', 'TimedOut', 'Stopped'])
    expect(config.outputFile).toBeUndefined()
  })

  it.each([
    ['flow-name', '', /"flow-name" is required/],
    ['flow-name', '9lives', /"flow-name" is "9lives".*letters, digits/],
    ['execution-name', 'has space', /"execution-name" is "has space"/],
    ['execution-name', 'x'.repeat(129), /"execution-name"/],
    ['timeout', '10 minutes', /"timeout" is "10 minutes"/],
    ['timeout', '0', /"timeout" is "0"/],
    ['fail-on', 'Failed,Crashed', /"fail-on" has "Crashed"/],
    ['on-timeout', 'explode', /"on-timeout" is "explode"/],
    ['stop-on-cancel', 'maybe', /"stop-on-cancel" is "maybe"/],
    ['wait', 'yes', /"wait" is "yes".*"true" or "false"/],
    ['start', '1', /"start" is "1"/]
  ])('rejects %s = %j', (name, value, message) => {
    expect(errorOf({ ...base, [name]: value }).message).toMatch(message)
  })

  it('waits on a name the service gave (a UUID, an express run), and starts only by the rule', () => {
    const uuid = '397aba96-4d85-11ef-8f9a-00163e0a1b2c'
    const express = 'checkout:7d3f1c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b'
    expect(parse({ ...base, 'execution-name': `${uuid}\n${express}` }).executions).toEqual([
      { name: uuid, input: '{}' },
      { name: express, input: '{}' }
    ])
    expect(errorOf({ ...base, 'execution-name': uuid, start: 'true' }).message).toBe(
      `Input "execution-name" is "${uuid}", which is not a valid name: use letters, digits, "_" ` +
        'and "-" only, starting with a letter or "_", 1 to 128 characters.'
    )
    expect(errorOf({ ...base, 'execution-name': 'a:b c' }).message).toMatch(
      /"execution-name" is "a:b c", which is not the name of an execution/
    )
  })

  it('requires execution-name unless start is true', () => {
    expect(errorOf({ ...base, 'execution-name': '' }).message).toMatch(
      /"execution-name" is required unless "start" is true/
    )
  })

  it('rejects an input that is not a JSON object', () => {
    const start = { ...base, start: 'true' }
    expect(errorOf({ ...start, input: '{"a":' }).message).toMatch(/"input" is not valid JSON/)
    expect(errorOf({ ...start, input: '[1,2]' }).message).toMatch(/must be a JSON object/)
    expect(errorOf({ ...start, input: '"text"' }).message).toMatch(/must be a JSON object/)
  })

  it('rejects an input given without start', () => {
    expect(errorOf({ ...base, input: '{"a":1}' }).message).toMatch(/only used when "start" is true/)
  })

  it('parses durations, fail-on lists and choices case-insensitively', () => {
    const config = parse({
      ...base,
      timeout: '1h30m',
      'fail-on': 'failed\n timedout ',
      'on-timeout': 'STOP',
      'stop-on-cancel': 'true'
    })
    expect(config.timeoutMs).toBe(5_400_000)
    expect([...config.failOn]).toEqual(['Failed', 'TimedOut'])
    expect(config.onTimeout).toBe('stop')
    expect(config.stopOnCancel).toBe('true')
    expect(parse({ ...base, timeout: '600' }).timeoutMs).toBe(600_000)
  })

  describe('several executions', () => {
    it('takes one name per line, in order', () => {
      const config = parse({ ...base, 'execution-name': 'eu-1\n  us-1  \n\nap-1\n' })
      expect(config.executions.map((e) => e.name)).toEqual(['eu-1', 'us-1', 'ap-1'])
    })

    it('rejects a name given twice, or an invalid one among them', () => {
      expect(errorOf({ ...base, 'execution-name': 'a\nb\na' }).message).toMatch(/lists "a" twice/)
      expect(errorOf({ ...base, 'execution-name': 'a\nb c' }).message).toMatch(/"b c"/)
    })

    it('gives each its input when the input is keyed by execution name', () => {
      const config = parse({
        ...base,
        start: 'true',
        'execution-name': 'eu\nus',
        input: '{"eu": {"region": "eu"}, "us": {"region": "us"}}'
      })
      expect(config.executions).toEqual([
        { name: 'eu', input: '{"region":"eu"}' },
        { name: 'us', input: '{"region":"us"}' }
      ])
    })

    it('gives all of them the one input otherwise', () => {
      const config = parse({
        ...base,
        start: 'true',
        'execution-name': 'eu\nus',
        input: '{"v": 2}'
      })
      expect(config.executions.map((e) => e.input)).toEqual(['{"v":2}', '{"v":2}'])
    })

    it('names an execution missing from a keyed input', () => {
      const error = errorOf({
        ...base,
        start: 'true',
        'execution-name': 'eu\nus\nap',
        input: '{"eu": {}, "us": {}}'
      })
      expect(error.message).toMatch(/no entry for "ap"/)
    })

    it('reads fail-fast', () => {
      expect(parse({ ...base, 'fail-fast': 'true' }).failFast).toBe(true)
      expect(errorOf({ ...base, 'fail-fast': 'soon' }).message).toMatch(/"fail-fast"/)
    })

    it('reads progress (on unless turned off)', () => {
      expect(parse(base).progress).toBe(true)
      expect(parse({ ...base, progress: 'false' }).progress).toBe(false)
      expect(errorOf({ ...base, progress: 'sometimes' }).message).toMatch(/"progress"/)
    })
  })

  it('needs a region or an endpoint', () => {
    expect(errorOf({ ...base, region: '' }).message).toMatch(/ALIBABA_CLOUD_REGION_ID/)
    expect(parse({ ...base, region: '' }, { ALIBABA_CLOUD_REGION_ID: 'cn-beijing' }).region).toBe(
      'cn-beijing'
    )
    expect(parse({ ...base, region: '', endpoint: 'http://127.0.0.1:1' }).endpoint).toBe(
      'http://127.0.0.1:1'
    )
  })

  describe('credentials', () => {
    const noKeys = { ...base, 'access-key-id': '', 'access-key-secret': '' }

    it('takes the inputs first', () => {
      const config = parse(base, {
        ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-id',
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret'
      })
      expect(config.credentials?.accessKeyId).toBe('LTAIexample')
      expect(config.credentialSource).toMatch(/inputs/)
    })

    it('falls back to ALIBABA_CLOUD_*, then ALIBABACLOUD_*, then ALICLOUD_*', () => {
      expect(
        parse(noKeys, {
          ALIBABA_CLOUD_ACCESS_KEY_ID: 'a',
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'b',
          ALIBABA_CLOUD_SECURITY_TOKEN: 'c',
          ALICLOUD_ACCESS_KEY: 'x',
          ALICLOUD_SECRET_KEY: 'y'
        }).credentials
      ).toEqual({ accessKeyId: 'a', accessKeySecret: 'b', securityToken: 'c' })
      expect(
        parse(noKeys, { ALIBABACLOUD_ACCESS_KEY_ID: 'd', ALIBABACLOUD_ACCESS_KEY_SECRET: 'e' })
          .credentials
      ).toEqual({ accessKeyId: 'd', accessKeySecret: 'e' })
      expect(
        parse(noKeys, {
          ALICLOUD_ACCESS_KEY: 'x',
          ALICLOUD_SECRET_KEY: 'y',
          ALICLOUD_SECURITY_TOKEN: 'z'
        }).credentials
      ).toEqual({ accessKeyId: 'x', accessKeySecret: 'y', securityToken: 'z' })
    })

    it('names what is missing, and never echoes a secret', () => {
      const half = errorOf({ ...base, 'access-key-secret': '' })
      expect(half.message).toMatch(/"access-key-secret" is empty/)
      // A GitHub-hosted job (no ECS role to ask) whose home holds no credentials file.
      const nowhere = { RUNNER_ENVIRONMENT: 'github-hosted', HOME: '/nonexistent-fnf-wait-home' }
      expect(errorOf(noKeys, nowhere).message).toMatch(/No credentials/)
      const envHalf = errorOf(noKeys, { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'super-secret-value' })
      expect(envHalf.message).toMatch(/ALIBABA_CLOUD_ACCESS_KEY_ID is empty/)
      expect(envHalf.message).not.toContain('super-secret-value')
      expect(errorOf({ ...noKeys, 'security-token': 'tok' }).message).toMatch(/"security-token"/)
    })
  })
})

describe('knobs that change request rates', () => {
  const KNOBS = { FNF_WAIT_PROGRESS_INTERVAL_MS: '1', FNF_WAIT_INTERNAL_STATUS_READS: 'long-poll' }

  it('are not read from a job environment against a real endpoint', () => {
    for (const where of [{ region: 'cn-hangzhou' }, { endpoint: 'https://fnf.example.com' }]) {
      const config = parse({ ...base, endpoint: '', region: '', ...where }, KNOBS)
      expect(config.progressIntervalMs).toBeUndefined()
      expect(config.longPollsOnly).toBeUndefined()
    }
  })

  it('count against the emulator on loopback (the tests and benchmarks)', () => {
    const config = parse({ ...base, endpoint: 'http://127.0.0.1:4010' }, KNOBS)
    expect(config.progressIntervalMs).toBe(1)
    expect(config.longPollsOnly).toBe(true)
  })
})
