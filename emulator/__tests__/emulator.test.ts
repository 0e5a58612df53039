/**
 * The FnF emulator, driven with raw requests signed by Alibaba's own @alicloud/openapi-util
 * (emulator/raw-rpc.ts), never by the action's signer.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type EmulatorCredential,
  type FlowScript
} from '../index.js'
import { DEFAULT_RATE_LIMITS, RateLimiter } from '../rate-limit.js'
import { NIGHTLY_ETL, RELEASE_PIPELINE } from '../demo-flows.js'
import { rawCall, rpcTimestamp, type RawCallOptions, type RawResponse } from '../raw-rpc.js'
import type { HistoryEvent } from '../../src/fnf/types.js'
import { COMMON_PARAMS } from '../auth.js'

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

function call(
  emu: Emulator,
  action: string,
  params: Record<string, string> = {},
  opts: RawCallOptions = {}
): Promise<RawResponse> {
  return rawCall(emu.url, action, params, { credential: DEMO_CREDENTIAL, ...opts })
}

function describeExec(
  emu: Emulator,
  flow: string,
  name: string,
  wait: number | string = 0
): Promise<RawResponse> {
  return call(emu, 'DescribeExecution', {
    FlowName: flow,
    ExecutionName: name,
    WaitTimeSeconds: String(wait)
  })
}

/** Waits (long polling) until the execution has ended. */
async function untilEnded(emu: Emulator, flow: string, name: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const r = await describeExec(emu, flow, name, 5)
    if (!['Starting', 'Running'].includes(String(r.json?.Status))) return
  }
  throw new Error(`${flow}/${name} did not end`)
}

interface Paged {
  events: HistoryEvent[]
  pages: RawResponse[]
}

async function fullHistory(
  emu: Emulator,
  flow: string,
  name: string,
  limit?: number
): Promise<Paged> {
  const events: HistoryEvent[] = []
  const pages: RawResponse[] = []
  let token: string | undefined
  do {
    const params: Record<string, string> = { FlowName: flow, ExecutionName: name }
    if (limit !== undefined) params.Limit = String(limit)
    if (token !== undefined) params.NextToken = token
    const r = await call(emu, 'GetExecutionHistory', params)
    expect(r.status).toBe(200)
    pages.push(r)
    events.push(...(r.json?.Events as HistoryEvent[]))
    token = r.json?.NextToken as string | undefined
  } while (token !== undefined)
  return { events, pages }
}

function detail(e: HistoryEvent | undefined): Record<string, unknown> {
  return JSON.parse(e?.EventDetail ?? 'null') as Record<string, unknown>
}

function expectError(r: RawResponse, status: number, code: string): void {
  expect({ status: r.status, code: r.json?.Code }).toEqual({ status, code })
  expect(r.json).toEqual({
    RequestId: expect.any(String),
    HostId: expect.any(String),
    Code: code,
    Message: expect.any(String)
  })
}

const QUICK: FlowScript = {
  name: 'quick',
  steps: [{ type: 'task', name: 'work', durationMs: 300 }],
  output: (input: unknown) => ({ echoed: input, ok: true })
}
const SLOW: FlowScript = {
  name: 'slow',
  steps: [{ type: 'wait', name: 'sleep', durationMs: 600_000 }]
}
const INSTANT: FlowScript = { name: 'instant', steps: [{ type: 'pass', name: 'p' }] }
/** Runs until the test releases it (a 10 ms task first, so a release sees its events). */
const HELD: FlowScript = {
  name: 'held',
  hold: true,
  steps: [{ type: 'task', name: 'work', durationMs: 10 }],
  output: (input: unknown) => ({ echoed: input, ok: true })
}

/** parallel › foreach › task with retries then failure; a caught failure; a choice. */
const NESTED: FlowScript = {
  name: 'nested',
  steps: [
    { type: 'task', name: 'prepare', durationMs: 20 },
    {
      type: 'task',
      name: 'validate',
      durationMs: 10,
      catch: true,
      fail: { error: 'Validation.Soft', cause: 'a soft problem' }
    },
    {
      type: 'choice',
      name: 'route',
      pick: 1,
      branches: [
        [{ type: 'pass', name: 'route-a' }],
        [{ type: 'pass', name: 'route-b', durationMs: 5 }]
      ]
    },
    {
      type: 'parallel',
      name: 'fan-out',
      branches: [
        [{ type: 'task', name: 'slow-branch', durationMs: 500 }],
        [
          {
            type: 'foreach',
            name: 'per-item',
            iterations: 3,
            steps: [{ type: 'task', name: 'process', durationMs: 50 }],
            failAt: {
              iteration: 1,
              step: 'process',
              retries: 2,
              error: { error: 'FC.Boom', cause: { errorMessage: 'boom', errorType: 'Error' } }
            }
          }
        ]
      ]
    },
    { type: 'task', name: 'never', durationMs: 10 }
  ]
}

const BIG: FlowScript = {
  name: 'big',
  steps: [
    {
      type: 'foreach',
      name: 'many',
      iterations: 40,
      concurrency: 4,
      steps: [{ type: 'task', name: 'item', durationMs: 0 }]
    }
  ]
}

const PADDED: FlowScript = {
  name: 'padded',
  padBytes: 32 * 1024,
  steps: [{ type: 'foreach', name: 'f', iterations: 20, steps: [{ type: 'pass', name: 'p' }] }]
}

const TIMEOUTS: FlowScript = {
  name: 'timeouts',
  timeoutMs: 300,
  steps: [
    { type: 'task', name: 'slow-fn', durationMs: 500, timeoutMs: 100, catch: true },
    { type: 'wait', name: 'long-wait', durationMs: 10_000 }
  ]
}

const CUSTOM: FlowScript = {
  name: 'custom',
  steps: [
    {
      type: 'custom',
      name: 'map',
      events: [
        { type: 'MapRunStarted', detail: { mapRunName: 'run-1' } },
        { type: 'SomethingNew', afterMs: 5, rawDetail: '{not json' }
      ]
    }
  ]
}

const INTERLEAVE: FlowScript = {
  name: 'interleave',
  steps: [
    {
      type: 'parallel',
      name: 'both',
      branches: [
        [
          { type: 'task', name: 'a1', durationMs: 100 },
          { type: 'task', name: 'a2', durationMs: 100 }
        ],
        [{ type: 'task', name: 'b1', durationMs: 150 }]
      ]
    }
  ]
}

const HUGE_OUTPUT: FlowScript = {
  name: 'huge-output',
  steps: [{ type: 'pass', name: 'p' }],
  output: () => ({ blob: 'x'.repeat(3 * 1024 * 1024) })
}

const STARTING: FlowScript = { name: 'starting', startingMs: 600_000, steps: [] }

const FLOWS = [
  HELD,
  QUICK,
  SLOW,
  INSTANT,
  NESTED,
  BIG,
  PADDED,
  TIMEOUTS,
  CUSTOM,
  INTERLEAVE,
  HUGE_OUTPUT,
  STARTING
]

describe('FnF emulator', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await startEmulator({ flows: FLOWS, rateLimit: null })
  })
  afterAll(() => emu.close())

  describe('request checks, in the gateway order', () => {
    beforeAll(() => emu.createExecution('slow', 'auth-target'))
    const target = { FlowName: 'slow', ExecutionName: 'auth-target' }

    it('accepts a well-signed GET and answers JSON with a RequestId and a Date header', async () => {
      const r = await call(emu, 'DescribeExecution', target)
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toMatch(/^application\/json/)
      expect(r.json?.RequestId).toMatch(/^[0-9A-F-]{36}$/)
      expect(Math.abs(Date.parse(r.headers.get('date') ?? '') - Date.now())).toBeLessThan(5000)
    })

    it('uses the RequestId parameter when the caller gives one', async () => {
      const r = await call(emu, 'DescribeExecution', { ...target, RequestId: 'my-request-1' })
      expect(r.json?.RequestId).toBe('my-request-1')
    })

    it.each([...COMMON_PARAMS])('400 MissingRequiredParams without %s', async (name) => {
      const r = await call(emu, 'DescribeExecution', target, { omit: [name] })
      expectError(r, 400, 'MissingRequiredParams')
      expect(r.json?.Message).toBe(`The HTTP query '${name}' must be specified.`)
    })

    it('names the first missing parameter for an unsigned probe', async () => {
      const res = await fetch(`${emu.url}/`)
      expect(res.status).toBe(400)
      expect(((await res.json()) as { Message: string }).Message).toContain("'Action'")
    })

    it('400 APIVersionNotSupported for another Version', async () => {
      const r = await call(emu, 'DescribeExecution', target, {
        override: { Version: '2020-01-01' }
      })
      expectError(r, 400, 'APIVersionNotSupported')
    })

    it('400 ActionNotSupported for an unknown Action', async () => {
      expectError(await call(emu, 'DeleteEverything', target), 400, 'ActionNotSupported')
    })

    it('403 InvalidAccessKeyID for an unknown key', async () => {
      const r = await call(emu, 'DescribeExecution', target, {
        credential: { accessKeyId: 'LTAInobody', accessKeySecret: 'x' }
      })
      expectError(r, 403, 'InvalidAccessKeyID')
      expect(r.json?.Message).toBe('The AccessKey ID LTAInobody is invalid.')
    })

    it('403 SignatureNotMatch for a wrong secret, a changed parameter or the wrong method', async () => {
      expectError(
        await call(emu, 'DescribeExecution', target, { signWith: 'wrong' }),
        403,
        'SignatureNotMatch'
      )
      const tampered = await call(emu, 'DescribeExecution', target, {
        tamper: { ExecutionName: 'other' }
      })
      expectError(tampered, 403, 'SignatureNotMatch')
      // Signed for POST, sent as GET.
      const params = { ...target }
      const { signedParams } = await import('../raw-rpc.js')
      const p = signedParams('DescribeExecution', params, {
        credential: DEMO_CREDENTIAL,
        method: 'POST'
      })
      const res = await fetch(`${emu.url}/?${new URLSearchParams(p)}`)
      expect(res.status).toBe(403)
    })

    it('signs the query and the form body together for POST, in both SDK layouts', async () => {
      for (const layout of ['split', 'body'] as const) {
        const r = await call(emu, 'DescribeExecution', target, { method: 'POST', layout })
        expect(r.status).toBe(200)
      }
    })

    it("handles awkward characters in values (space * ~ ! ' ( ) é + / =)", async () => {
      const r = await call(
        emu,
        'StartExecution',
        { FlowName: 'slow', ExecutionName: 'awkward', Input: `{"a":"b c*~!'()","z":"é+/="}` },
        { method: 'POST' }
      )
      expect(r.status).toBe(200)
      expect(r.json?.Input).toBe(`{"a":"b c*~!'()","z":"é+/="}`)
    })

    it('403 RequestTimeTooSkewed beyond 15 minutes; 400 InvalidArgument for an unreadable time', async () => {
      const old = await call(emu, 'DescribeExecution', target, { time: Date.now() - 16 * 60_000 })
      expectError(old, 403, 'RequestTimeTooSkewed')
      expect(old.json?.Message).toMatch(/request time \S+Z and the current time \S+Z is too large/)
      const future = await call(emu, 'DescribeExecution', target, {
        time: Date.now() + 16 * 60_000
      })
      expectError(future, 403, 'RequestTimeTooSkewed')
      const near = await call(emu, 'DescribeExecution', target, { time: Date.now() - 10 * 60_000 })
      expect(near.status).toBe(200)
      const junk = await call(emu, 'DescribeExecution', target, {
        override: { Timestamp: 'yesterday' }
      })
      expectError(junk, 400, 'InvalidArgument')
    })

    it('400 SignatureNonceUsed when a nonce is replayed', async () => {
      const nonce = 'fixed-nonce-1'
      expect((await call(emu, 'DescribeExecution', target, { nonce })).status).toBe(200)
      expectError(
        await call(emu, 'DescribeExecution', target, { nonce }),
        400,
        'SignatureNonceUsed'
      )
      // A rejected signature does not burn the nonce.
      await call(emu, 'DescribeExecution', target, { nonce: 'fixed-nonce-2', signWith: 'bad' })
      expect(
        (await call(emu, 'DescribeExecution', target, { nonce: 'fixed-nonce-2' })).status
      ).toBe(200)
    })

    it('checks STS security tokens: missing, mismatched, expired, right', async () => {
      const sts: EmulatorCredential = {
        accessKeyId: 'STS.NTest1',
        accessKeySecret: 'sts-secret',
        securityToken: 'token+/=abc'
      }
      emu.addCredential(sts)
      const noToken = { accessKeyId: sts.accessKeyId, accessKeySecret: sts.accessKeySecret }
      expectError(
        await call(emu, 'DescribeExecution', target, { credential: noToken }),
        403,
        'InvalidSecurityToken.Malformed'
      )
      expectError(
        await call(emu, 'DescribeExecution', target, {
          credential: { ...sts, securityToken: 'other' }
        }),
        403,
        'InvalidSecurityToken.MismatchWithAccessKey'
      )
      expect((await call(emu, 'DescribeExecution', target, { credential: sts })).status).toBe(200)
      emu.addCredential({ ...sts, expiresAt: Date.now() - 1 })
      expectError(
        await call(emu, 'DescribeExecution', target, { credential: sts }),
        403,
        'InvalidSecurityToken.Expired'
      )
    })

    it('a token credential expires while in use', async () => {
      const cred = { accessKeyId: 'STS.NTest2', accessKeySecret: 's2', securityToken: 't2' }
      emu.addCredential({ ...cred, expiresAt: Date.now() + 1000 })
      expect((await call(emu, 'DescribeExecution', target, { credential: cred })).status).toBe(200)
      await new Promise((r) => setTimeout(r, 1100))
      const r = await call(emu, 'DescribeExecution', target, { credential: cred })
      expectError(r, 403, 'InvalidSecurityToken.Expired')
    })

    it('records every request with its outcome', async () => {
      const before = emu.requests.length
      await call(emu, 'DescribeFlow', { Name: 'nope' })
      await call(emu, 'DescribeFlow', { Name: 'quick' })
      const [a, b] = emu.requests.slice(before)
      expect(a).toMatchObject({
        action: 'DescribeFlow',
        method: 'GET',
        status: 404,
        code: 'FlowNotExists'
      })
      expect(a?.params.Name).toBe('nope')
      expect(b).toMatchObject({ action: 'DescribeFlow', status: 200 })
      expect(b?.code).toBeUndefined()
      expect(b!.receivedAt).toBeGreaterThanOrEqual(a!.receivedAt)
      expect(emu.count('DescribeFlow')).toBeGreaterThanOrEqual(2)
      expect(emu.count()).toBe(emu.requests.length)
    })
  })

  describe('DescribeExecution', () => {
    it('validates its parameters', async () => {
      expectError(
        await call(emu, 'DescribeExecution', { FlowName: 'quick' }),
        400,
        'MissingRequiredParams'
      )
      for (const bad of ['1abc', 'a b', 'x'.repeat(129), '-a', '']) {
        const r = await call(emu, 'DescribeExecution', { FlowName: bad, ExecutionName: 'e' })
        expectError(r, 400, 'InvalidArgument')
      }
      for (const wait of ['-1', '61', 'abc', '1.5']) {
        expectError(await describeExec(emu, 'quick', 'e', wait), 400, 'InvalidArgument')
      }
    })

    it('404 FlowNotExists and ExecutionNotExists with the seed messages', async () => {
      const noFlow = await describeExec(emu, 'no_such_flow', 'e')
      expectError(noFlow, 404, 'FlowNotExists')
      expect(noFlow.json?.Message).toBe('Flow no_such_flow does not exist.')
      const noExec = await describeExec(emu, 'quick', 'no_such_exec')
      expectError(noExec, 404, 'ExecutionNotExists')
      expect(noExec.json?.Message).toBe('Execution no_such_exec for flow quick does not exist.')
    })

    it('long-polls: a held poll answers the moment the execution ends', async () => {
      emu.createExecution('held', 'lp-1', { n: 1 })
      const poll = describeExec(emu, 'held', 'lp-1', 60)
      const held = await emu.waitForRequest(
        (r) => r.params.ExecutionName === 'lp-1' && r.holding === true
      )
      expect(held.status).toBe(0)
      emu.release('held', 'lp-1')
      const r = await poll
      expect(held.holding).toBe(false)
      expect(r.status).toBe(200)
      expect(r.json).toEqual({
        Name: 'lp-1',
        FlowName: 'held',
        Status: 'Succeeded',
        StartedTime: expect.stringMatching(TIME),
        StoppedTime: expect.stringMatching(TIME),
        Input: '{"n":1}',
        Output: '{"echoed":{"n":1},"ok":true}',
        FlowDefinition: expect.stringContaining('type: flow'),
        RequestId: expect.any(String)
      })
    })

    it('a scripted execution ends at its scripted time', async () => {
      emu.createExecution('quick', 'lp-2', { n: 1 })
      await untilEnded(emu, 'quick', 'lp-2')
      const r = await describeExec(emu, 'quick', 'lp-2')
      const ms = Date.parse(String(r.json?.StoppedTime)) - Date.parse(String(r.json?.StartedTime))
      expect(ms).toBe(300)
      expect(r.json?.Output).toBe('{"echoed":{"n":1},"ok":true}')
    })

    it('WaitTimeSeconds=0 answers at once; a running execution has no StoppedTime or Output', async () => {
      emu.createExecution('slow', 'running-1')
      const r = await describeExec(emu, 'slow', 'running-1', 0)
      expect(r.json?.Status).toBe('Running')
      expect(r.json).not.toHaveProperty('StoppedTime')
      expect(r.json).not.toHaveProperty('Output')
      expect(r.json?.Input).toBe('{}')
    })

    it('gives up after WaitTimeSeconds with the execution still running', async () => {
      emu.createExecution('slow', 'running-2')
      const started = Date.now()
      const r = await describeExec(emu, 'slow', 'running-2', 1)
      expect(r.json?.Status).toBe('Running')
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    })

    it('reports Starting before the execution has started', async () => {
      emu.createExecution('starting', 's-1')
      expect((await describeExec(emu, 'starting', 's-1')).json?.Status).toBe('Starting')
      expect(emu.execution('starting', 's-1')?.status).toBe('Starting')
    })

    it('returns a multi-megabyte Output whole (the event detail is clipped to 32 KiB)', async () => {
      emu.createExecution('huge-output', 'h-1')
      await untilEnded(emu, 'huge-output', 'h-1')
      const r = await describeExec(emu, 'huge-output', 'h-1')
      expect(String(r.json?.Output).length).toBeGreaterThan(3 * 1024 * 1024)
      const { events } = await fullHistory(emu, 'huge-output', 'h-1')
      const last = events.at(-1)!
      expect(last.Type).toBe('ExecutionSucceeded')
      expect(Buffer.byteLength(last.EventDetail)).toBeLessThanOrEqual(32 * 1024)
    })

    it('Output is absent when the execution failed', async () => {
      emu.createExecution('nested', 'no-output')
      await untilEnded(emu, 'nested', 'no-output')
      const r = await describeExec(emu, 'nested', 'no-output')
      expect(r.json?.Status).toBe('Failed')
      expect(r.json).not.toHaveProperty('Output')
      expect(r.json?.StoppedTime).toMatch(TIME)
    })
  })

  describe('GetExecutionHistory', () => {
    beforeAll(async () => {
      emu.createExecution('big', 'b-1')
      emu.createExecution('nested', 'n-1')
      emu.createExecution('padded', 'p-1')
      emu.createExecution('timeouts', 't-1')
      emu.createExecution('custom', 'c-1')
      emu.createExecution('interleave', 'i-1')
      for (const [f, n] of [
        ['interleave', 'i-1'],
        ['big', 'b-1'],
        ['nested', 'n-1'],
        ['padded', 'p-1'],
        ['timeouts', 't-1'],
        ['custom', 'c-1']
      ] as const) {
        await untilEnded(emu, f, n)
      }
    })

    it('validates Limit and NextToken', async () => {
      const base = { FlowName: 'big', ExecutionName: 'b-1' }
      for (const Limit of ['0', '1000', 'x', '-5']) {
        expectError(
          await call(emu, 'GetExecutionHistory', { ...base, Limit }),
          400,
          'InvalidArgument'
        )
      }
      for (const NextToken of ['abc', '0', '-1', '999999']) {
        expectError(
          await call(emu, 'GetExecutionHistory', { ...base, NextToken }),
          400,
          'InvalidArgument'
        )
      }
      expectError(
        await call(emu, 'GetExecutionHistory', { FlowName: 'big' }),
        400,
        'MissingRequiredParams'
      )
      expectError(
        await call(emu, 'GetExecutionHistory', { FlowName: 'big', ExecutionName: 'nope' }),
        404,
        'ExecutionNotExists'
      )
    })

    it.each([1, 7, 60, 999])(
      'pages with Limit=%i: every event once, ascending, no token at the end',
      async (limit) => {
        const { events, pages } = await fullHistory(emu, 'big', 'b-1', limit)
        // ExecutionStarted, the foreach's 4 step events, 10 per iteration, ExecutionSucceeded.
        expect(events.length).toBe(1 + 4 + 40 * 10 + 1)
        expect(events.map((e) => e.EventId)).toEqual(events.map((_, i) => i + 1))
        expect(pages.length).toBe(Math.ceil(events.length / limit))
        for (const p of pages.slice(0, -1)) {
          const evs = p.json?.Events as HistoryEvent[]
          expect(evs.length).toBe(limit)
          expect(p.json?.NextToken).toBe(String((evs.at(-1)?.EventId ?? 0) + 1))
        }
        expect(pages.at(-1)?.json).not.toHaveProperty('NextToken')
      }
    )

    it('defaults to 60 events a page', async () => {
      const r = await call(emu, 'GetExecutionHistory', { FlowName: 'big', ExecutionName: 'b-1' })
      expect((r.json?.Events as HistoryEvent[]).length).toBe(60)
      expect(r.json?.NextToken).toBe('61')
    })

    it('holds Limit events a page whatever their size (no byte cap is documented)', async () => {
      const { events, pages } = await fullHistory(emu, 'padded', 'p-1', 999)
      expect(pages.length).toBe(Math.ceil(events.length / 999))
      expect(Buffer.byteLength(pages[0]!.text)).toBeGreaterThan(1024 * 1024)
      expect(events.map((e) => e.EventId)).toEqual(events.map((_, i) => i + 1))
      for (const e of events) {
        expect(Buffer.byteLength(e.EventDetail)).toBeLessThanOrEqual(32 * 1024)
        expect(Buffer.byteLength(e.EventDetail)).toBeGreaterThan(32 * 1024 - 64)
      }
    })

    it('event fields have the documented shapes; times ascend', async () => {
      const { events } = await fullHistory(emu, 'nested', 'n-1', 999)
      for (const e of events) {
        expect(Object.keys(e).sort()).toEqual(
          ['EventDetail', 'EventId', 'ScheduleEventId', 'StepName', 'Time', 'Type'].sort()
        )
        expect(e.Time).toMatch(TIME)
        expect(() => JSON.parse(e.EventDetail) as unknown).not.toThrow()
      }
      for (let i = 1; i < events.length; i++) {
        expect(Date.parse(events[i]!.Time)).toBeGreaterThanOrEqual(Date.parse(events[i - 1]!.Time))
      }
    })

    it('follows docs/history-events.md for parallel › foreach › retried task, a catch and a choice', async () => {
      const { events } = await fullHistory(emu, 'nested', 'n-1', 999)
      const byId = new Map(events.map((e) => [e.EventId, e]))
      const find = (type: string, step: string, from = 0): HistoryEvent => {
        const e = events.find((x) => x.EventId > from && x.Type === type && x.StepName === step)
        if (!e) throw new Error(`no ${type} ${step}`)
        return e
      }
      // Execution-level events and the first step.
      const first = events[0]!
      expect(first).toMatchObject({ Type: 'ExecutionStarted', StepName: '', ScheduleEventId: 0 })
      expect(find('StepEntered', 'prepare').ScheduleEventId).toBe(1)
      // ScheduleEventId always points at an earlier event.
      for (const e of events.slice(1)) {
        expect(e.ScheduleEventId).toBeLessThan(e.EventId)
        expect(byId.has(e.ScheduleEventId)).toBe(true)
      }

      // The caught failure: TaskFailed, StepFailed, StepExited, and the thread goes on.
      const vFailed = find('TaskFailed', 'validate')
      const vStepFailed = find('StepFailed', 'validate')
      const vExited = find('StepExited', 'validate')
      expect(vStepFailed.ScheduleEventId).toBe(vFailed.EventId)
      expect(vExited.ScheduleEventId).toBe(vStepFailed.EventId)
      expect(detail(vStepFailed)).toEqual({ error: 'Validation.Soft', cause: 'a soft problem' })
      expect(find('StepEntered', 'route').ScheduleEventId).toBe(vExited.EventId)

      // The choice ran branch 1, in the choice's own thread.
      expect(events.some((e) => e.StepName === 'route-a')).toBe(false)
      expect(find('StepEntered', 'route-b').ScheduleEventId).toBe(
        find('StepStarted', 'route').EventId
      )

      // Parallel: each branch is a thread starting at the parallel's StepStarted.
      const fanStarted = find('StepStarted', 'fan-out')
      const branches = events.filter((e) => e.Type === 'BranchEntered')
      expect(branches.map((e) => detail(e))).toEqual([{ branchIndex: 0 }, { branchIndex: 1 }])
      for (const b of branches) {
        expect(b.StepName).toBe('fan-out')
        expect(b.ScheduleEventId).toBe(fanStarted.EventId)
      }
      // Foreach: each iteration is a thread starting at the foreach's StepStarted.
      const eachStarted = find('StepStarted', 'per-item')
      expect(eachStarted.ScheduleEventId).toBe(find('StepEntered', 'per-item').EventId)
      expect(find('StepEntered', 'per-item').ScheduleEventId).toBe(branches[1]!.EventId)
      const iterations = events.filter((e) => e.Type === 'IterationEntered')
      expect(iterations.map((e) => detail(e))).toEqual([{ index: 0 }, { index: 1 }, { index: 2 }])
      for (const it of iterations) expect(it.ScheduleEventId).toBe(eachStarted.EventId)

      // Walk the failing iteration's thread: 3 attempts inside one StepStarted … StepFailed.
      const thread: HistoryEvent[] = []
      const next = new Map<number, HistoryEvent[]>()
      for (const e of events)
        next.set(e.ScheduleEventId, [...(next.get(e.ScheduleEventId) ?? []), e])
      let cur: HistoryEvent | undefined = iterations[1]
      while (cur) {
        thread.push(cur)
        cur = next.get(cur.EventId)?.[0]
      }
      expect(thread.map((e) => e.Type)).toEqual([
        'IterationEntered',
        'StepEntered',
        'StepStarted',
        ...['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed'],
        ...['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed'],
        ...['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed'],
        'StepFailed',
        'StepExited'
      ])
      const leaf = thread.findLast((e) => e.Type === 'TaskFailed')!
      expect(detail(leaf).error).toBe('FC.Boom')
      expect(JSON.parse(String(detail(leaf).cause))).toEqual({
        errorMessage: 'boom',
        errorType: 'Error'
      })
      // The failed iteration never exits; the others do.
      const exited = events.filter((e) => e.Type === 'IterationExited').map((e) => detail(e).index)
      expect(exited.sort()).toEqual([0, 2])

      // The failure propagates: foreach, branch (no BranchExited), parallel, execution.
      const eachFailed = find('StepFailed', 'per-item')
      expect(eachFailed.ScheduleEventId).toBe(eachStarted.EventId)
      expect(events.filter((e) => e.Type === 'BranchExited')).toEqual([])
      const fanFailed = find('StepFailed', 'fan-out')
      expect(fanFailed.ScheduleEventId).toBe(fanStarted.EventId)
      const last = events.at(-1)!
      expect(last).toMatchObject({ Type: 'ExecutionFailed', StepName: '' })
      expect(last.ScheduleEventId).toBe(find('StepExited', 'fan-out').EventId)
      expect(detail(last)).toEqual(detail(leaf))
      // The slow branch was cut at the failure; the step after the parallel never ran.
      expect(events.some((e) => e.StepName === 'slow-branch' && e.Type === 'TaskSucceeded')).toBe(
        false
      )
      expect(events.some((e) => e.StepName === 'never')).toBe(false)
    })

    it('interleaves concurrent branches in time; ScheduleEventId keeps them apart', async () => {
      const { events } = await fullHistory(emu, 'interleave', 'i-1', 999)
      const done = events.filter((e) => e.Type === 'TaskSucceeded').map((e) => e.StepName)
      expect(done).toEqual(['a1', 'b1', 'a2'])
      const a2 = events.find((e) => e.Type === 'StepEntered' && e.StepName === 'a2')!
      const a1Exited = events.find((e) => e.Type === 'StepExited' && e.StepName === 'a1')!
      const b1Done = events.find((e) => e.Type === 'TaskSucceeded' && e.StepName === 'b1')!
      expect(a2.ScheduleEventId).toBe(a1Exited.EventId)
      expect(b1Done.EventId).toBeGreaterThan(a1Exited.EventId)
      expect(b1Done.EventId).toBeLessThan(a2.EventId + 10)
      expect(events.filter((e) => e.Type === 'BranchExited').map((e) => detail(e))).toEqual([
        { branchIndex: 1 },
        { branchIndex: 0 }
      ])
    })

    it('task timeouts give TaskTimedOut; the flow timeout ends the execution TimedOut', async () => {
      const { events } = await fullHistory(emu, 'timeouts', 't-1', 999)
      const timedOut = events.find((e) => e.Type === 'TaskTimedOut')!
      expect(detail(timedOut)).toEqual({ error: 'FnF.TaskTimeout', cause: expect.any(String) })
      expect(events.find((e) => e.Type === 'StepFailed')?.StepName).toBe('slow-fn')
      const last = events.at(-1)!
      expect(last.Type).toBe('ExecutionTimedOut')
      expect(detail(last)).toEqual({ error: 'FnF.Timeout', cause: expect.any(String) })
      // The wait that was running never finishes.
      expect(events.some((e) => e.StepName === 'long-wait' && e.Type === 'StepSucceeded')).toBe(
        false
      )
      expect(events.some((e) => e.StepName === 'long-wait' && e.Type === 'StepStarted')).toBe(true)
      const r = await describeExec(emu, 'timeouts', 't-1')
      expect(r.json?.Status).toBe('TimedOut')
      const ms = Date.parse(String(r.json?.StoppedTime)) - Date.parse(String(r.json?.StartedTime))
      expect(ms).toBe(300)
    })

    it('passes custom event types and broken EventDetail through as they are', async () => {
      const { events } = await fullHistory(emu, 'custom', 'c-1')
      const map = events.find((e) => e.Type === 'MapRunStarted')
      expect(map).toMatchObject({ StepName: 'map', EventDetail: '{"mapRunName":"run-1"}' })
      expect(events.find((e) => e.Type === 'SomethingNew')?.EventDetail).toBe('{not json')
      expect(events.at(-1)?.Type).toBe('ExecutionSucceeded')
    })

    it('shows only the events that have happened yet', async () => {
      emu.createExecution('slow', 'visible-1')
      const { events } = await fullHistory(emu, 'slow', 'visible-1')
      expect(events.map((e) => e.Type)).toEqual(['ExecutionStarted', 'StepEntered', 'StepStarted'])
      emu.createExecution('quick', 'visible-2', { k: 'v' })
      await untilEnded(emu, 'quick', 'visible-2')
      const after = await fullHistory(emu, 'quick', 'visible-2')
      expect(after.events.at(-1)?.Type).toBe('ExecutionSucceeded')
      expect(detail(after.events.at(-1))).toEqual({ output: { echoed: { k: 'v' }, ok: true } })
    })
  })

  describe('StartExecution and StopExecution', () => {
    const start = (params: Record<string, string>): Promise<RawResponse> =>
      call(emu, 'StartExecution', params, { method: 'POST' })
    const stop = (params: Record<string, string>): Promise<RawResponse> =>
      call(emu, 'StopExecution', params, { method: 'POST' })

    it('starts, returns a running same-name execution as is, refuses an ended one', async () => {
      const first = await start({ FlowName: 'quick', ExecutionName: 'st-1', Input: '{"a":1}' })
      expect(first.status).toBe(200)
      expect(first.json).toMatchObject({
        Name: 'st-1',
        FlowName: 'quick',
        Status: 'Running',
        Input: '{"a":1}'
      })
      const again = await start({ FlowName: 'quick', ExecutionName: 'st-1', Input: '{"a":2}' })
      expect(again.json).toMatchObject({ StartedTime: first.json?.StartedTime, Input: '{"a":1}' })
      await untilEnded(emu, 'quick', 'st-1')
      const ended = await start({ FlowName: 'quick', ExecutionName: 'st-1' })
      expectError(ended, 400, 'ExecutionAlreadyExists')
    })

    it('generates a UUID name when none is given', async () => {
      const r = await start({ FlowName: 'instant' })
      expect(r.json?.Name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      expect(emu.execution('instant', String(r.json?.Name))).toBeDefined()
    })

    it('validates Input, names and the flow', async () => {
      for (const Input of ['[1]', 'null', '"x"', 'not json', '42']) {
        expectError(
          await start({ FlowName: 'quick', ExecutionName: 'bad-in', Input }),
          400,
          'InvalidArgument'
        )
      }
      expectError(
        await start({ FlowName: 'quick', ExecutionName: '9lives' }),
        400,
        'InvalidArgument'
      )
      expectError(await start({ FlowName: 'nope', ExecutionName: 'x' }), 404, 'FlowNotExists')
      expectError(await start({}), 400, 'MissingRequiredParams')
    })

    it('stops a running execution: ExecutionStopped with error and cause, history cut there', async () => {
      emu.createExecution('slow', 'stop-1')
      const poll = describeExec(emu, 'slow', 'stop-1', 30)
      await new Promise((r) => setTimeout(r, 100))
      const r = await stop({
        FlowName: 'slow',
        ExecutionName: 'stop-1',
        Error: 'Cancelled',
        Cause: 'by the test'
      })
      expect(r.status).toBe(200)
      expect(r.json).toMatchObject({ Status: 'Stopped', StoppedTime: expect.stringMatching(TIME) })
      // A pending long poll answers at once.
      expect((await poll).json?.Status).toBe('Stopped')
      const { events } = await fullHistory(emu, 'slow', 'stop-1')
      const last = events.at(-1)!
      expect(last).toMatchObject({ Type: 'ExecutionStopped', StepName: '' })
      expect(detail(last)).toEqual({ error: 'Cancelled', cause: 'by the test' })
      expect(last.ScheduleEventId).toBe(events.findLast((e) => e.StepName === 'sleep')?.EventId)
      expect(events.some((e) => e.Type === 'StepSucceeded')).toBe(false)
      expect(emu.execution('slow', 'stop-1')).toMatchObject({
        status: 'Stopped',
        stoppedAt: expect.any(Number)
      })

      const again = await stop({ FlowName: 'slow', ExecutionName: 'stop-1' })
      expectError(again, 400, 'ExecutionAlreadyCompleted')
      expect(again.json?.Message).toBe("Execution 'stop-1' for flow 'slow' has already completed.")
    })

    it('validates Error (1-128) and Cause (1-4096)', async () => {
      emu.createExecution('slow', 'stop-2')
      const base = { FlowName: 'slow', ExecutionName: 'stop-2' }
      expectError(await stop({ ...base, Error: 'e'.repeat(129) }), 400, 'InvalidArgument')
      expectError(await stop({ ...base, Cause: 'c'.repeat(4097) }), 400, 'InvalidArgument')
      expectError(await stop({ ...base, Error: '' }), 400, 'InvalidArgument')
      expect((await stop(base)).json?.Status).toBe('Stopped')
    })
  })

  describe('DescribeFlow and ListExecutions', () => {
    it('describes a flow', async () => {
      const r = await call(emu, 'DescribeFlow', { Name: 'quick' })
      expect(r.json).toMatchObject({
        Name: 'quick',
        Type: 'FDL',
        Definition: expect.stringContaining('name: work'),
        CreatedTime: expect.stringMatching(TIME)
      })
      expectError(await call(emu, 'DescribeFlow', { Name: 'nope' }), 404, 'FlowNotExists')
    })

    it('lists executions with a status filter and paging', async () => {
      emu.createExecution('instant', 'list-a')
      emu.createExecution('instant', 'list-b')
      const r = await call(emu, 'ListExecutions', {
        FlowName: 'instant',
        Limit: '1',
        ExecutionNamePrefix: 'list-'
      })
      expect((r.json?.Executions as { Name: string }[]).map((e) => e.Name)).toEqual(['list-a'])
      expect(r.json?.NextToken).toBe('list-b')
      const running = await call(emu, 'ListExecutions', { FlowName: 'slow', Status: 'Running' })
      for (const e of running.json?.Executions as { Status: string }[])
        expect(e.Status).toBe('Running')
    })

    it('lists by start time, with the whole output, or metadata only', async () => {
      emu.createExecution('held', 'lt-1', { n: 1 })
      const big = 'x'.repeat(200_000)
      emu.release('held', 'lt-1', { status: 'Succeeded', output: { big } })
      const names = async (params: Record<string, string>): Promise<string[]> => {
        const r = await call(emu, 'ListExecutions', { FlowName: 'held', Limit: '99', ...params })
        expect(r.status).toBe(200)
        return (r.json?.Executions as { Name: string }[]).map((e) => e.Name)
      }
      const started = emu.execution('held', 'lt-1')!.startedAt
      const at = (ms: number): string => new Date(ms).toISOString()
      expect(await names({ StartedTimeBegin: at(started) })).toContain('lt-1')
      expect(await names({ StartedTimeBegin: at(started + 1) })).not.toContain('lt-1')
      expect(await names({ StartedTimeEnd: at(started) })).toContain('lt-1')
      expect(await names({ StartedTimeEnd: at(started - 1) })).not.toContain('lt-1')
      const full = await call(emu, 'ListExecutions', {
        FlowName: 'held',
        ExecutionNamePrefix: 'lt-'
      })
      const [listed] = full.json?.Executions as { Output?: string; Input?: string }[]
      expect(JSON.parse(listed!.Output!)).toEqual({ big })
      const lean = await call(emu, 'ListExecutions', {
        FlowName: 'held',
        ExecutionNamePrefix: 'lt-',
        MetadataOnly: 'true'
      })
      const [meta] = lean.json?.Executions as Record<string, unknown>[]
      expect(meta).toMatchObject({ Name: 'lt-1', Status: 'Succeeded' })
      expect(meta).not.toHaveProperty('Output')
      expect(meta).not.toHaveProperty('Input')
      expectError(
        await call(emu, 'ListExecutions', { FlowName: 'held', StartedTimeBegin: 'yesterday' }),
        400,
        'InvalidArgument'
      )
      expectError(
        await call(emu, 'ListExecutions', { FlowName: 'held', MetadataOnly: 'yes' }),
        400,
        'InvalidArgument'
      )
    })
  })

  describe('hold and release', () => {
    it('a held execution stays Running past its script, then ends as released', async () => {
      emu.createExecution('held', 'hr-1')
      // Far past the 10 ms script: a 1 s long poll comes back still Running.
      const first = await describeExec(emu, 'held', 'hr-1', 1)
      expect(first.json?.Status).toBe('Running')
      emu.release('held', 'hr-1', { status: 'Failed', error: 'Deploy.Rejected', cause: 'quota' })
      expect(emu.execution('held', 'hr-1')?.status).toBe('Failed')
      const { events } = await fullHistory(emu, 'held', 'hr-1')
      // The script's events (it ran), then the released ending in place of its own.
      const types = events.map((e) => e.Type)
      expect(types).toContain('TaskSucceeded')
      expect(types.filter((t) => t.startsWith('Execution'))).toEqual([
        'ExecutionStarted',
        'ExecutionFailed'
      ])
      expect(detail(events.at(-1))).toEqual({ error: 'Deploy.Rejected', cause: 'quota' })
      expect(() => emu.release('held', 'hr-1')).toThrow(/not held running/)
    })

    it('release with an output; a stop ends a held execution too', async () => {
      emu.createExecution('held', 'hr-2')
      emu.release('held', 'hr-2', { output: { url: 'u' } })
      expect(emu.execution('held', 'hr-2')).toMatchObject({
        status: 'Succeeded',
        output: '{"url":"u"}'
      })
      emu.createExecution('held', 'hr-3')
      const stop = await call(emu, 'StopExecution', { FlowName: 'held', ExecutionName: 'hr-3' })
      expect(stop.status).toBe(200)
      expect(emu.execution('held', 'hr-3')?.status).toBe('Stopped')
      expect(() => emu.release('held', 'hr-3')).toThrow(/not held running/)
      expect(() => emu.release('held', 'nope')).toThrow(/no execution/)
      expect(() => emu.release('slow', 'auth-target')).toThrow(/not held running/)
    })

    it('step by step: the history shows the steps the test advanced to, release shows the rest', async () => {
      emu.addFlow({
        name: 'stepwise',
        hold: true,
        stepByStep: true,
        steps: [
          { type: 'task', name: 'build', durationMs: 0 },
          { type: 'task', name: 'push', durationMs: 0 }
        ]
      })
      emu.createExecution('stepwise', 'sw-1')
      const shown = async () =>
        (await fullHistory(emu, 'stepwise', 'sw-1')).events.map((e) => `${e.Type} ${e.StepName}`)
      expect(await shown()).toEqual(['ExecutionStarted '])
      emu.advance('stepwise', 'sw-1', 'build')
      expect(await shown()).toEqual(['ExecutionStarted ', 'StepEntered build', 'StepStarted build'])
      emu.advance('stepwise', 'sw-1', 'push')
      expect((await shown()).slice(-3)).toEqual([
        'StepExited build',
        'StepEntered push',
        'StepStarted push'
      ])
      expect(() => emu.advance('stepwise', 'sw-1', 'build')).toThrow(/no StepStarted of build/)
      expect(emu.execution('stepwise', 'sw-1')?.status).toBe('Running')
      emu.release('stepwise', 'sw-1')
      expect((await shown()).slice(-2)).toEqual(['StepExited push', 'ExecutionSucceeded '])
      expect(() => emu.advance('stepwise', 'sw-1', 'push')).toThrow(/not held step by step/)
    })

    it('waitForRequest counts matching requests, earlier ones included', async () => {
      emu.createExecution('held', 'hr-4')
      await describeExec(emu, 'held', 'hr-4')
      const second = emu.waitForRequest(
        (r) => r.params.ExecutionName === 'hr-4' && r.action === 'DescribeExecution',
        2
      )
      const answered = emu.waitForRequest(
        (r) => r.params.ExecutionName === 'hr-4' && r.status > 0,
        2
      )
      await describeExec(emu, 'held', 'hr-4')
      expect((await second).params.ExecutionName).toBe('hr-4')
      expect((await answered).status).toBe(200)
      emu.release('held', 'hr-4')
    })
  })

  describe('embedding API', () => {
    it('createExecution / execution / now', async () => {
      const before = emu.now()
      emu.createExecution('instant', 'api-1', { x: 1 })
      expect(() => emu.createExecution('instant', 'api-1')).toThrow()
      expect(() => emu.createExecution('nope', 'api-2')).toThrow()
      const snap = emu.execution('instant', 'api-1')
      expect(snap?.startedAt).toBeGreaterThanOrEqual(Math.floor(before))
      await new Promise((r) => setTimeout(r, 20))
      expect(emu.execution('instant', 'api-1')).toMatchObject({
        status: 'Succeeded',
        output: '{"x":1}'
      })
      expect(emu.execution('instant', 'nope')).toBeUndefined()
    })
  })
})

describe('FnF emulator: rate limit', () => {
  it('has the documented bucket per API: StartExecution 100 / 100 per s, Describe/History 50 / 5, others 10 / 2', () => {
    const limiter = new RateLimiter()
    expect(limiter.limitFor('StartExecution')).toEqual({ burst: 100, refillPerSecond: 100 })
    expect(limiter.limitFor('DescribeExecution')).toEqual({ burst: 50, refillPerSecond: 5 })
    expect(limiter.limitFor('GetExecutionHistory')).toEqual({ burst: 50, refillPerSecond: 5 })
    for (const action of ['StopExecution', 'ListExecutions', 'DescribeFlow', 'Nope']) {
      expect(limiter.limitFor(action)).toEqual({ burst: 10, refillPerSecond: 2 })
    }
    expect(DEFAULT_RATE_LIMITS['*']).toEqual({ burst: 10, refillPerSecond: 2 })
  })

  it('refills each bucket at its own rate, per Action and key', () => {
    let clock = 0
    const limiter = new RateLimiter(undefined, () => clock)
    const takes = (action: string, n: number, key = 'k') =>
      Array.from({ length: n }, () => limiter.take(action, key)).filter(Boolean).length
    expect(takes('StopExecution', 12)).toBe(10)
    expect(takes('ListExecutions', 12)).toBe(10)
    expect(takes('StopExecution', 1, 'other-key')).toBe(1)
    expect(takes('DescribeExecution', 60)).toBe(50)
    expect(takes('StartExecution', 120)).toBe(100)
    clock += 1000
    expect(takes('StopExecution', 5)).toBe(2)
    expect(takes('DescribeExecution', 10)).toBe(5)
    expect(takes('StartExecution', 120)).toBe(100)
  })

  it('takes overrides per Action (`*` for the rest) and null for off', () => {
    const limiter = new RateLimiter({ DescribeFlow: { burst: 3, refillPerSecond: 1 }, '*': null })
    expect(limiter.limitFor('DescribeFlow')).toEqual({ burst: 3, refillPerSecond: 1 })
    expect(limiter.limitFor('DescribeExecution')).toEqual({ burst: 50, refillPerSecond: 5 })
    expect(limiter.limitFor('StopExecution')).toBeNull()
    expect(new RateLimiter({ DescribeExecution: null }).limitFor('DescribeExecution')).toBeNull()
    expect(new RateLimiter(null).limitFor('StartExecution')).toBeNull()
  })

  it('429 ResourceThrottled after the burst, per Action and key; null turns it off', async () => {
    const emu = await startEmulator({
      flows: [SLOW],
      rateLimit: { DescribeFlow: { burst: 5, refillPerSecond: 0.1 } }
    })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 7; i++)
        statuses.push((await call(emu, 'DescribeFlow', { Name: 'slow' })).status)
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
      const throttled = await call(emu, 'DescribeFlow', { Name: 'slow' })
      expectError(throttled, 429, 'ResourceThrottled')
      expect(throttled.json?.Message).toBe('The request is throttled. Please try again later.')
      // Another Action has its own bucket.
      expect((await call(emu, 'ListExecutions', { FlowName: 'slow' })).status).toBe(200)
    } finally {
      await emu.close()
    }
    const free = await startEmulator({ flows: [SLOW], rateLimit: null })
    try {
      for (let i = 0; i < 80; i++)
        expect((await call(free, 'DescribeFlow', { Name: 'slow' })).status).toBe(200)
    } finally {
      await free.close()
    }
  })

  it('throttles by default at the documented buckets', async () => {
    const emu = await startEmulator({ flows: [SLOW] })
    try {
      // 10 / 2 per s: the first 10 pass; 20 in a row cannot all pass unless they took over 5 s.
      const flows: number[] = []
      for (let i = 0; i < 20; i++)
        flows.push((await call(emu, 'DescribeFlow', { Name: 'slow' })).status)
      expect(flows.slice(0, 10)).toEqual(Array(10).fill(200))
      expect(flows).toContain(429)
      // 50 / 5 per s: 20 DescribeExecution calls are well inside the burst.
      emu.createExecution('slow', 'rl-1')
      for (let i = 0; i < 20; i++)
        expect((await describeExec(emu, 'slow', 'rl-1')).status).toBe(200)
    } finally {
      await emu.close()
    }
  })
})

describe('FnF emulator: clock skew', () => {
  it('checks Timestamps against its own clock and says so in the Date header', async () => {
    const skew = 60 * 60 * 1000
    const emu = await startEmulator({ flows: [SLOW], clockSkewMs: skew })
    try {
      const r = await call(emu, 'DescribeFlow', { Name: 'slow' })
      expectError(r, 403, 'RequestTimeTooSkewed')
      const serverDate = Date.parse(r.headers.get('date') ?? '')
      expect(Math.abs(serverDate - (Date.now() + skew))).toBeLessThan(5000)
      // A client that corrects its clock from the Date header gets through.
      const ok = await call(emu, 'DescribeFlow', { Name: 'slow' }, { time: serverDate })
      expect(ok.status).toBe(200)
      expect(Math.abs(emu.now() - (Date.now() + skew))).toBeLessThan(5000)
      expect(rpcTimestamp(0)).toBe('1970-01-01T00:00:00Z')
    } finally {
      await emu.close()
    }
  })
})

describe('FnF emulator: speed', () => {
  // Wall clock: how long a hold takes in real time is the behaviour under test. 20 emulated
  // seconds at 20x are 1 real second, against 20 at 1x: the bound leaves a loaded machine 9 s.
  it('scales step durations and WaitTimeSeconds (wall clock, bound 10 s for 1 s expected)', async () => {
    const emu = await startEmulator({ flows: [SLOW, QUICK], speed: 20 })
    try {
      emu.createExecution('slow', 'fast-wait')
      const started = Date.now()
      const r = await describeExec(emu, 'slow', 'fast-wait', 20)
      expect(r.json?.Status).toBe('Running')
      expect(Date.now() - started).toBeLessThan(10_000)
      emu.createExecution('quick', 'fast-run')
      await new Promise((res) => setTimeout(res, 100))
      expect(emu.execution('quick', 'fast-run')?.status).toBe('Succeeded')
    } finally {
      await emu.close()
    }
  })
})

describe('FnF emulator: injected faults', () => {
  let emu: Emulator
  beforeAll(async () => {
    emu = await startEmulator({ flows: [QUICK], rateLimit: null })
  })
  afterAll(() => emu.close())

  const probe = (): Promise<RawResponse> => call(emu, 'DescribeFlow', { Name: 'quick' })

  it('throttle: 429 ResourceThrottled, for `count` requests', async () => {
    emu.injectFault({ kind: 'throttle', count: 2 })
    expectError(await probe(), 429, 'ResourceThrottled')
    expectError(await probe(), 429, 'ResourceThrottled')
    expect((await probe()).status).toBe(200)
  })

  it('server-error: 500 InternalServerError JSON', async () => {
    emu.injectFault({ kind: 'server-error' })
    const r = await probe()
    expectError(r, 500, 'InternalServerError')
    expect(r.json?.Message).toBe('An internal error has occurred. Please retry.')
  })

  it('html: a 502 text/html proxy page', async () => {
    emu.injectFault({ kind: 'html' })
    const r = await probe()
    expect(r.status).toBe(502)
    expect(r.headers.get('content-type')).toMatch(/^text\/html/)
    expect(r.json).toBeUndefined()
    expect(r.text).toContain('502 Bad Gateway')
    expect(emu.requests.at(-1)).toMatchObject({ status: 502, code: 'BadGateway' })
  })

  it('reset: the connection is destroyed', async () => {
    emu.injectFault({ kind: 'reset' })
    await expect(probe()).rejects.toThrow()
    expect(emu.requests.at(-1)).toMatchObject({ status: 0, code: 'ConnectionReset' })
    expect((await probe()).status).toBe(200)
  })

  it('hang: never answers', async () => {
    emu.injectFault({ kind: 'hang' })
    const ac = new AbortController()
    const pending = call(emu, 'DescribeFlow', { Name: 'quick' }, { signal: ac.signal })
    const late = new Promise<'late'>((r) => setTimeout(() => r('late'), 300))
    expect(await Promise.race([pending, late])).toBe('late')
    ac.abort()
    await expect(pending).rejects.toThrow()
    expect(emu.requests.at(-1)).toMatchObject({ status: 0, code: 'NoResponse' })
  })

  it('applies only to the given Action, before any check (unsigned probes too)', async () => {
    emu.injectFault({ kind: 'server-error', action: 'DescribeExecution' })
    expect((await probe()).status).toBe(200)
    const res = await fetch(`${emu.url}/?Action=DescribeExecution`)
    expect(res.status).toBe(500)
    expect((await probe()).status).toBe(200)
  })
})

describe('FnF emulator: close', () => {
  it('ends pending long polls and hanging requests at once', async () => {
    const emu = await startEmulator({ flows: [SLOW] })
    emu.createExecution('slow', 'forever')
    emu.injectFault({ kind: 'hang', action: 'DescribeFlow' })
    const outcome = (p: Promise<unknown>): Promise<string> =>
      p.then(
        () => 'answered',
        () => 'connection closed'
      )
    const poll = outcome(describeExec(emu, 'slow', 'forever', 60))
    const hung = outcome(call(emu, 'DescribeFlow', { Name: 'slow' }))
    await emu.waitForRequest((r) => r.holding === true)
    await emu.waitForRequest((r) => r.action === 'DescribeFlow')
    await emu.close()
    expect(await poll).toBe('connection closed')
    expect(await hung).toBe('connection closed')
  })
})

describe('FnF emulator: demo flows', () => {
  it('release-pipeline succeeds with an output; nightly-etl fails deep inside after a caught failure', async () => {
    const emu = await startEmulator({ flows: [RELEASE_PIPELINE, NIGHTLY_ETL], speed: 20 })
    try {
      emu.createExecution('release-pipeline', 'r', { version: '9.9.9' })
      emu.createExecution('nightly-etl', 'n')
      await untilEnded(emu, 'release-pipeline', 'r')
      await untilEnded(emu, 'nightly-etl', 'n')
      const release = emu.execution('release-pipeline', 'r')
      expect(release?.status).toBe('Succeeded')
      expect(JSON.parse(release?.output ?? '')).toMatchObject({ version: '9.9.9' })
      expect(emu.execution('nightly-etl', 'n')?.status).toBe('Failed')
      const { events } = await fullHistory(emu, 'nightly-etl', 'n', 999)
      const caught = events.find((e) => e.Type === 'StepFailed' && e.StepName === 'validate-schema')
      expect(detail(caught).error).toBe('Validation.SchemaDrift')
      const failedAttempts = events.filter(
        (e) => e.Type === 'TaskFailed' && e.StepName === 'load-partition'
      )
      expect(failedAttempts).toHaveLength(3)
      expect(detail(events.at(-1))).toMatchObject({ error: 'FC.ConnectionTimeout' })
      expect(events.some((e) => e.StepName === 'publish')).toBe(false)
    } finally {
      await emu.close()
    }
  })
})

describe('FnF emulator: main.ts', () => {
  it('prints one JSON line first, serves it, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'emulator/main.ts', '--speed', '50'],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve)
        child.once('exit', (code) => reject(new Error(`exited ${code}`)))
      })
      const info = JSON.parse(first) as {
        endpoint: string
        accessKeyId: string
        accessKeySecret: string
        executions: { flow: string; name: string }[]
      }
      expect(info.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(info.executions.map((e) => e.flow).sort()).toEqual([
        'nightly-etl',
        'nightly-etl-cloudflow',
        'release-pipeline'
      ])
      const credential = { accessKeyId: info.accessKeyId, accessKeySecret: info.accessKeySecret }
      for (const e of info.executions) {
        const r = await rawCall(
          info.endpoint,
          'DescribeExecution',
          { FlowName: e.flow, ExecutionName: e.name, WaitTimeSeconds: '30' },
          { credential }
        )
        expect(r.json?.Status).toBe(e.flow === 'release-pipeline' ? 'Succeeded' : 'Failed')
      }
    } finally {
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code))
      )
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  })
})
