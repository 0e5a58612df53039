/**
 * An FnF RPC attempt as it goes on the wire (src/fnf/rpc-request.ts): the darabonba layout for GET
 * and POST, the common parameters, and a signature the official SDK agrees with.
 */
import { describe, expect, it } from '@jest/globals'
import { signedRpc, type AttemptCall } from '../../src/fnf/rpc-request.js'
import { percentEncode } from '../../src/fnf/signer.js'
import {
  closeAgentsAfterEach,
  CREDS,
  describeRun,
  EXECUTION,
  harness,
  ok,
  T0,
  TOKEN,
  verifySignature
} from '../support/fnf-mock.js'

closeAgentsAfterEach()

describe('request layout and signature', () => {
  it('GET puts every parameter and the signature in the query', async () => {
    const h = harness({ credentials: () => ({ ...CREDS, securityToken: TOKEN }) })
    h.reply(ok())
    const exec = await h.client.describeExecution({ ...describeRun, waitTimeSeconds: 20 })
    expect(exec.Status).toBe('Running')

    const [s] = h.seen
    expect(s).toBeDefined()
    if (!s) return
    expect(s.method).toBe('GET')
    expect(s.body).toBeUndefined()
    expect(s.query).toMatchObject({
      Action: 'DescribeExecution',
      Version: '2019-03-15',
      Format: 'JSON',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      AccessKeyId: 'LTAIkeyid',
      SecurityToken: TOKEN,
      Timestamp: '2024-01-02T03:04:05Z',
      FlowName: 'my_flow',
      ExecutionName: 'run-1',
      WaitTimeSeconds: '20'
    })
    expect(s.query['SignatureNonce']).toMatch(/^[0-9a-f-]{36}$/)
    // Strictly RFC 3986: nothing that a form decoder would read differently.
    expect(s.path).not.toMatch(/[+*!'()]/)
    expect(s.headers['user-agent']).toMatch(/^fnf-wait\//)
    verifySignature(s)
  })

  it('POST puts common parameters in the query and API parameters in a form body', async () => {
    const h = harness()
    h.reply(ok({ ...EXECUTION, Status: 'Starting' }))
    const input = '{"a":"b c*~!\'()","z":"é 😀"}'
    await h.client.startExecution({ flowName: 'my_flow', executionName: 'run-1', input })

    const [s] = h.seen
    if (!s) throw new Error('no request')
    expect(s.method).toBe('POST')
    expect(s.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.keys(s.query).sort()).toEqual([
      'AccessKeyId',
      'Action',
      'Format',
      'Signature',
      'SignatureMethod',
      'SignatureNonce',
      'SignatureVersion',
      'Timestamp',
      'Version'
    ])
    expect(s.query['Action']).toBe('StartExecution')
    expect(s.form).toEqual({ FlowName: 'my_flow', ExecutionName: 'run-1', Input: input })
    expect(s.body).toContain(`Input=${percentEncode(input)}`)
    verifySignature(s)
  })
})

describe('signedRpc', () => {
  const call: AttemptCall = {
    action: 'DescribeExecution',
    method: 'GET',
    params: { FlowName: 'my_flow', ExecutionName: 'run-1', NextToken: undefined },
    capBytes: 1024,
    context: {}
  }

  it('signs the hold it is given, and says what it sent', () => {
    const signed = signedRpc({ ...call, waitTimeSeconds: 30 }, CREDS, T0, 'ua/1')
    const query = new URLSearchParams(signed.path.slice(2))
    expect(query.get('WaitTimeSeconds')).toBe('30')
    expect(query.has('NextToken')).toBe(false)
    expect(signed).toMatchObject({
      method: 'GET',
      waitTimeSeconds: 30,
      headers: { 'user-agent': 'ua/1' }
    })
    expect(signed.body).toBeUndefined()
  })

  it('signs the same call twice with two nonces', () => {
    const nonce = (): string | null =>
      new URLSearchParams(signedRpc(call, CREDS, T0, 'ua').path.slice(2)).get('SignatureNonce')
    expect(nonce()).not.toBe(nonce())
  })
})
