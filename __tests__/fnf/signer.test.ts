import { describe, expect, it } from '@jest/globals'
import UtilModule from '@alicloud/openapi-util'
import fc from 'fast-check'
import {
  canonicalQuery,
  percentEncode,
  rpcTimestamp,
  signRpc,
  stringToSign
} from '../../src/fnf/signer.js'

// A CJS module compiled from TS (`exports.default = Client`): the ESM default import is the
// whole exports object, so the class is its `default`.
const Util = UtilModule.default

const DOC_EXAMPLE = {
  AccessKeyId: 'testid',
  Action: 'DescribeRegions',
  Format: 'XML',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  Timestamp: '2016-02-23T12:46:24Z',
  Version: '2014-05-26'
}

const FNF_COMMON = {
  AccessKeyId: 'testid',
  Format: 'JSON',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
  SignatureVersion: '1.0',
  Timestamp: '2016-02-23T12:46:24Z',
  Version: '2019-03-15'
}

describe('signRpc vectors (fnf-api.md §2.5)', () => {
  it('A: the documented ECS DescribeRegions example', () => {
    expect(stringToSign('GET', DOC_EXAMPLE)).toBe(
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26'
    )
    expect(signRpc('GET', DOC_EXAMPLE, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=')
  })

  it('B: the SDK unit-test vector with an empty method', () => {
    expect(stringToSign('', { test: 'ok' })).toBe('&%2F&test%3Dok')
    expect(signRpc('', { test: 'ok' }, 'accessKeySecret')).toBe('jHx/oHoHNrbVfhncHEvPdHXZwHU=')
  })

  it('C1: FnF DescribeExecution (GET)', () => {
    const params = {
      ...FNF_COMMON,
      Action: 'DescribeExecution',
      FlowName: 'my_flow_name',
      ExecutionName: 'my_exec_name',
      WaitTimeSeconds: '20'
    }
    expect(signRpc('GET', params, 'testsecret')).toBe('3/jms3z9NuDzlRKCzGJijByL2x4=')
  })

  it('C2: FnF StartExecution (POST) with awkward characters and a token', () => {
    const input = '{"a":"b c*~!\'()","z":"é"}'
    const params = {
      ...FNF_COMMON,
      Action: 'StartExecution',
      FlowName: 'my_flow_name',
      ExecutionName: 'run-1',
      Input: input,
      SecurityToken: 'tok+/='
    }
    expect(percentEncode(input)).toBe(
      '%7B%22a%22%3A%22b%20c%2A~%21%27%28%29%22%2C%22z%22%3A%22%C3%A9%22%7D'
    )
    expect(signRpc('POST', params, 'testsecret')).toBe('4cBHwyWXqdC08h653RPhikDvKNQ=')
  })
})

describe('percentEncode', () => {
  it('leaves only RFC 3986 unreserved characters literal', () => {
    expect(percentEncode("AZaz09-_.~ !'()*+/=:&%")).toBe(
      'AZaz09-_.~%20%21%27%28%29%2A%2B%2F%3D%3A%26%25'
    )
    expect(percentEncode('😀')).toBe('%F0%9F%98%80')
  })

  it('throws on a lone surrogate, which has no UTF-8 form', () => {
    expect(() => percentEncode('\uD800')).toThrow(URIError)
  })
})

describe('canonicalQuery', () => {
  it('sorts keys by code point, not by UTF-16 unit', () => {
    // U+FF21 is one UTF-16 unit above the surrogates but a lower code point than U+1F600.
    expect(canonicalQuery({ '\u{1F600}': '1', '\uFF21': '2', b: '3', B: '4' })).toBe(
      'B=4&b=3&%EF%BC%A1=2&%F0%9F%98%80=1'
    )
  })

  it('keeps empty values', () => {
    expect(canonicalQuery({ b: '', a: 'x' })).toBe('a=x&b=')
  })
})

describe('rpcTimestamp', () => {
  it('is UTC without milliseconds', () => {
    expect(rpcTimestamp(Date.UTC(2016, 1, 23, 12, 46, 24, 987))).toBe('2016-02-23T12:46:24Z')
  })
})

describe('signRpc matches @alicloud/openapi-util getRPCSignature', () => {
  // unit 'binary' draws whole code points (astral ones as surrogate pairs) and never a lone
  // surrogate: both implementations throw URIError on those, and a thrown error is not a
  // signature to compare (the percentEncode test above pins that behaviour instead).
  const wellFormed = fc.string({ unit: 'binary', maxLength: 12 })
  const special = fc.constantFrom(' ', '*', '~', '!', "'", '(', ')', '+', '/', '=', '&', '%', '')
  const value = fc.oneof(
    wellFormed,
    fc.array(fc.oneof(special, wellFormed), { maxLength: 6 }).map((a) => a.join(''))
  )
  // getRPCSignature sorts with plain sort() (UTF-16 units); we sort by code point. The two
  // orders differ only when keys compare an astral character against U+E000..U+FFFF, so keys
  // avoid that range. Our keys are ASCII in practice; values carry the full Unicode range.
  // `__proto__` cannot be an own key of the plain object openapi-util builds.
  const key = fc
    .string({ unit: 'binary', minLength: 1, maxLength: 8 })
    .filter((k) => !/[\uE000-\uFFFF]/.test(k) && k !== '__proto__')
  const params = fc.dictionary(key, value, { maxKeys: 8, noNullPrototype: true })
  const method = fc.constantFrom('GET', 'POST')
  const secret = fc.string({ unit: 'grapheme', maxLength: 30 })

  it('for random parameter maps', () => {
    fc.assert(
      fc.property(params, method, secret, (p, m, s) => {
        expect(signRpc(m, p, s)).toBe(Util.getRPCSignature(p, m, s))
      }),
      { numRuns: 500 }
    )
  })
})
