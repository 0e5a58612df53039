/**
 * `input` within the service's 1,024 KiB a request (src/config/request-size.ts): counted as the
 * signer sends it, refused before any request with the input and the limit named, and the largest
 * input it lets through accepted by the emulator, which enforces the limit on the whole request.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { InputError } from '../../src/config/errors.js'
import {
  BODY_LIMIT_BYTES,
  checkStartRequestSize,
  percentEncodedLength,
  QUERY_ALLOWANCE_BYTES,
  REQUEST_LIMIT_BYTES,
  startBodyBytes
} from '../../src/config/request-size.js'
import { parseConfig } from '../../src/config/inputs.js'
import { signedRpc } from '../../src/fnf/rpc-request.js'
import { percentEncode } from '../../src/fnf/signer.js'
import { FnfClient } from '../../src/fnf/client.js'
import { FnfError } from '../../src/fnf/errors.js'
import { DEMO_CREDENTIAL, startEmulator } from '../../emulator/index.js'

/** The form body the signer writes for a StartExecution. */
function sentBody(flowName: string, executionName: string, input: string): string {
  const signed = signedRpc(
    {
      action: 'StartExecution',
      method: 'POST',
      params: { FlowName: flowName, ExecutionName: executionName, Input: input },
      capBytes: 1,
      context: {}
    },
    { accessKeyId: 'LTAIexample', accessKeySecret: 'secret' },
    Date.now(),
    'test'
  )
  return signed.body!
}

/** An input (compact JSON, as the step sends it) whose body is exactly `bytes`. */
function inputOfBody(flowName: string, executionName: string, bytes: number): string {
  const empty = startBodyBytes(flowName, executionName, JSON.stringify({ pad: '' }))
  // `é` is %C3%A9 (6 bytes), `a` 1: fill with the first, finish with the second.
  const room = bytes - empty
  const value = 'é'.repeat(Math.floor(room / 6)) + 'a'.repeat(room % 6)
  return JSON.stringify({ pad: value })
}

describe('what is counted', () => {
  it('percent-encodes as the signer does, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(percentEncodedLength(text)).toBe(percentEncode(text).length)
      })
    )
    expect(percentEncodedLength(`!'()*`)).toBe(15)
    expect(percentEncodedLength('😀')).toBe(12)
  })

  it('is the form body as sent: the flow name, the execution name and the input', () => {
    const input = JSON.stringify({ text: "it's (a) 'test' *!", emoji: '😀', nested: { a: [1, 2] } })
    expect(startBodyBytes('deploy', 'run-1', input)).toBe(sentBody('deploy', 'run-1', input).length)
    expect(BODY_LIMIT_BYTES).toBe(REQUEST_LIMIT_BYTES - QUERY_ALLOWANCE_BYTES)
  })
})

describe('checkStartRequestSize', () => {
  it('lets through a body of exactly the limit and refuses one byte more', () => {
    const fits = inputOfBody('deploy', 'run-1', BODY_LIMIT_BYTES)
    expect(startBodyBytes('deploy', 'run-1', fits)).toBe(BODY_LIMIT_BYTES)
    expect(() => checkStartRequestSize('deploy', [{ name: 'run-1', input: fits }])).not.toThrow()
    const over = inputOfBody('deploy', 'run-1', BODY_LIMIT_BYTES + 1)
    expect(() => checkStartRequestSize('deploy', [{ name: 'run-1', input: over }])).toThrow(
      new InputError(
        'Input "input" is too large: StartExecution would send a form body of 1,044,481 bytes ' +
          '(the flow name, execution name and input percent-encoded as sent), over the ' +
          "1,044,480 bytes that fit in the service's limit of 1,024 KiB per request beside the " +
          'signed query (4,096 bytes kept for it). Make the input smaller, or pass large data by ' +
          'reference (an object key or a URL) instead.'
      )
    )
  })

  it('names the execution whose own input is too large', () => {
    const over = inputOfBody('deploy', 'b', BODY_LIMIT_BYTES + 10)
    expect(() =>
      checkStartRequestSize('deploy', [
        { name: 'a', input: '{}' },
        { name: 'b', input: over }
      ])
    ).toThrow(/^Input "input" for execution "b" is too large/)
  })

  it('is checked by parseConfig with `start`, so before any request', () => {
    // Mostly characters that JSON keeps and percent-encoding triples: 400 KiB of text, 1.2 MB sent.
    const input = JSON.stringify({ text: ' '.repeat(400 * 1024) })
    const read = (extra: Record<string, string>) => (name: string) =>
      ({
        'flow-name': 'deploy',
        region: 'cn-hangzhou',
        'access-key-id': 'LTAIexample',
        'access-key-secret': 'secret',
        input,
        ...extra
      })[name] ?? ''
    expect(() => parseConfig(read({ start: 'true' }), {})).toThrow(/^Input "input" is too large/)
    expect(() =>
      parseConfig(read({ start: 'true', input: inputOfBody('deploy', 'x', 1000) }), {})
    ).not.toThrow()
  })
})

describe('against the emulator, which refuses a request over 1,024 KiB', () => {
  it('the largest input let through starts; a request a few bytes larger is EntityTooLarge', async () => {
    const emulator = await startEmulator({
      rateLimit: null,
      flows: [{ name: 'deploy', steps: [{ type: 'pass', name: 'p' }] }]
    })
    try {
      const client = new FnfClient({
        endpoint: emulator.url,
        credentials: () => DEMO_CREDENTIAL,
        maxAttempts: 1
      })
      const fits = inputOfBody('deploy', 'largest', BODY_LIMIT_BYTES)
      const started = await client.startExecution({
        flowName: 'deploy',
        executionName: 'largest',
        input: fits
      })
      expect(started.Name).toBe('largest')
      // The whole request must fit: the signed query's allowance is what keeps it under.
      const over = inputOfBody('deploy', 'over', REQUEST_LIMIT_BYTES)
      const refused = await client
        .startExecution({ flowName: 'deploy', executionName: 'over', input: over })
        .catch((error: unknown) => error)
      expect(refused).toBeInstanceOf(FnfError)
      expect(refused).toMatchObject({ status: 400, code: 'EntityTooLarge' })
      expect((refused as FnfError).hint).toMatch(/1,024 KiB per request.*`input` smaller/)
    } finally {
      await emulator.close()
    }
  })
})
