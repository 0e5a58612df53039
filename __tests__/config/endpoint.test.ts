import { describe, expect, it } from '@jest/globals'
import { resolveEndpoint } from '../../src/config/endpoint.js'

describe('resolveEndpoint', () => {
  it.each(['cn-hangzhou', 'ap-southeast-1', 'cn-heyuan-acdr-1', 'us-west-1'])(
    'builds the documented host for region %s',
    (region) => {
      expect(resolveEndpoint({ region })).toBe(`https://${region}.fnf.aliyuncs.com`)
    }
  )

  it('trims whitespace around the region', () => {
    expect(resolveEndpoint({ region: ' cn-shanghai\n' })).toBe(
      'https://cn-shanghai.fnf.aliyuncs.com'
    )
  })

  it.each([
    'CN-HANGZHOU',
    'hangzhou',
    'cn_hangzhou',
    'cn-hangzhou-',
    '-cn',
    '1cn-x',
    'cn hangzhou'
  ])('rejects region %j, naming the input, the value and the rule', (region) => {
    expect(() => resolveEndpoint({ region })).toThrow(/"region"/)
    expect(() => resolveEndpoint({ region })).toThrow(region)
    expect(() => resolveEndpoint({ region })).toThrow(/lowercase letters, digits and hyphens/)
  })

  it('points a host given as region at the endpoint input', () => {
    expect(() => resolveEndpoint({ region: 'cn-hangzhou.fnf.aliyuncs.com' })).toThrow(
      /use the `endpoint` input/
    )
  })

  it('says how to fix it when neither is given', () => {
    for (const input of [{}, { region: '', endpoint: '  ' }]) {
      expect(() => resolveEndpoint(input)).toThrow(/`region`.*ALIBABA_CLOUD_REGION_ID.*`endpoint`/)
    }
  })

  it('lets an explicit endpoint override the region', () => {
    expect(resolveEndpoint({ region: 'cn-hangzhou', endpoint: 'https://fnf.example.com' })).toBe(
      'https://fnf.example.com'
    )
    // A bad region is irrelevant once an endpoint is given.
    expect(resolveEndpoint({ region: 'BAD', endpoint: 'fnf.example.com' })).toBe(
      'https://fnf.example.com'
    )
  })

  it.each([
    ['cn-hangzhou.fnf.aliyuncs.com', 'https://cn-hangzhou.fnf.aliyuncs.com'],
    ['https://cn-hangzhou.fnf.aliyuncs.com/', 'https://cn-hangzhou.fnf.aliyuncs.com'],
    ['HTTPS://CN-Hangzhou.FNF.aliyuncs.com', 'https://cn-hangzhou.fnf.aliyuncs.com'],
    ['fnf.example.com:8443', 'https://fnf.example.com:8443'],
    ['https://fnf.example.com:443', 'https://fnf.example.com'],
    ['http://localhost:9000', 'http://localhost:9000'],
    ['http://127.0.0.1:9000/', 'http://127.0.0.1:9000'],
    ['http://127.5.6.7', 'http://127.5.6.7'],
    ['http://[::1]:9000', 'http://[::1]:9000']
  ])('normalizes endpoint %s', (endpoint, expected) => {
    expect(resolveEndpoint({ endpoint })).toBe(expected)
  })

  it.each([
    ['http://cn-hangzhou.fnf.aliyuncs.com', /plain http is only allowed.*query string/],
    ['http://10.0.0.1:9000', /plain http is only allowed/],
    ['http://localhost.evil.com', /plain http is only allowed/],
    ['https://fnf.example.com/api', /without path/],
    ['https://fnf.example.com/?x=1', /without path, query/],
    ['https://fnf.example.com/#frag', /fragment/],
    ['ftp://fnf.example.com', /scheme must be https/],
    ['https://user:pw@fnf.example.com', /user name or password/],
    ['https://', /not a valid host/],
    ['fnf example.com', /not a valid host/]
  ])('rejects endpoint %s', (endpoint, rule) => {
    let message = ''
    try {
      resolveEndpoint({ endpoint })
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/^Input "endpoint" is/)
    if (!endpoint.includes('@')) expect(message).toContain(endpoint)
    expect(message).toMatch(rule)
  })

  it('does not echo a password pasted into the endpoint', () => {
    expect(() => resolveEndpoint({ endpoint: 'https://user:hunter2@fnf.example.com' })).toThrow(
      'Input "endpoint" is "https://***@fnf.example.com"'
    )
  })
})
