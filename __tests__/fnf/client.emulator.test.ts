/**
 * The FnF client (and the wait loop on top of it) against the real emulator on 127.0.0.1: signed
 * requests, real sockets, real long polls, injected faults and the emulator's own rate limit. No
 * mocks. Costs are asserted as request counts from the emulator's log, never as wall-clock times.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { setTimeout as delay } from 'node:timers/promises'
import type { Dispatcher } from 'undici'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type EmulatorCredential,
  type EmulatorOptions,
  type FaultKind,
  type FlowScript,
  type RecordedRequest
} from '../../emulator/index.js'
import { FnfClient, type FnfClientOptions } from '../../src/fnf/client.js'
import { createDispatcher } from '../../src/http/dispatcher.js'
import { FnfError } from '../../src/fnf/errors.js'
import type { HistoryEvent } from '../../src/fnf/types.js'
import { Deadline } from '../../src/step/deadline.js'
import { waitForExecution } from '../../src/step/wait.js'

const TEN_MINUTES = 10 * 60_000

const SLOW: FlowScript = {
  name: 'slow',
  steps: [{ type: 'wait', name: 'hold', durationMs: 3_600_000 }]
}
const QUICK: FlowScript = {
  name: 'quick',
  steps: [{ type: 'task', name: 'work', durationMs: 200 }],
  output: { done: true }
}
const FAILING: FlowScript = {
  name: 'failing',
  steps: [
    { type: 'task', name: 'prepare', durationMs: 200 },
    { type: 'fail', name: 'boom', error: 'Deploy.Rejected', cause: 'quota exceeded' }
  ]
}
/** Many events (parallel branches and foreach iterations interleave), all within ~100 ms. */
const HISTORY: FlowScript = {
  name: 'history',
  steps: [
    { type: 'pass', name: 'begin' },
    {
      type: 'foreach',
      name: 'shards',
      iterations: 9,
      concurrency: 3,
      steps: [{ type: 'task', name: 'shard', durationMs: 10, retries: 1 }]
    },
    {
      type: 'parallel',
      name: 'fan-out',
      branches: [
        [{ type: 'task', name: 'left', durationMs: 20 }],
        [{ type: 'wait', name: 'right', durationMs: 15 }]
      ]
    }
  ]
}

/** One connection pool for the file, closed at the end so no keep-alive socket outlives it. */
let dispatcher: Dispatcher
const emulators: Emulator[] = []
/** speed 1, no rate limit: most tests count requests exactly, so nothing may be throttled. */
let shared: Emulator
let serial = 0
/** The nonce of the one request this file replays on purpose. */
let replayedNonce: string | undefined

beforeAll(async () => {
  dispatcher = createDispatcher()
  shared = await emulator({
    rateLimit: null,
    flows: [SLOW, QUICK, FAILING, HISTORY, { name: 'held', hold: true, steps: [] }]
  })
})

afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()))
  await dispatcher.close()
})

async function emulator(options: EmulatorOptions): Promise<Emulator> {
  const e = await startEmulator(options)
  emulators.push(e)
  return e
}

function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++serial}`
}

/** Starts an execution as if from elsewhere and returns its name. */
function execution(em: Emulator, flow: string): string {
  const name = uniqueName('e')
  em.createExecution(flow, name)
  return name
}

interface Probe {
  client: FnfClient
  /** Lines the client logged (one per retry). */
  log: string[]
  /** Backoff sleeps the client asked for. */
  sleeps: number[]
}

/** A client with short real backoffs, so retried calls finish quickly against a real server. */
/** `undefined` for an option means the client's own default, not the probe's. */
type ProbeOptions = { [K in keyof FnfClientOptions]?: FnfClientOptions[K] | undefined }

function probe(em: Emulator, options: ProbeOptions = {}): Probe {
  const log: string[] = []
  const sleeps: number[] = []
  const client = new FnfClient({
    endpoint: em.url,
    credentials: () => DEMO_CREDENTIAL,
    dispatcher,
    baseDelayMs: 20,
    maxDelayMs: 100,
    log: (line) => log.push(line),
    sleep: (ms, signal) => {
      sleeps.push(ms)
      return delay(ms, undefined, signal ? { signal } : {})
    },
    ...(options as Partial<FnfClientOptions>)
  })
  return { client, log, sleeps }
}

function requestsFor(em: Emulator, name: string, action?: string): RecordedRequest[] {
  return em.requests.filter(
    (r) => r.params.ExecutionName === name && (action === undefined || r.action === action)
  )
}

/** Runs `fn` and returns the FnfError it must throw. */
async function failure(fn: () => Promise<unknown>): Promise<FnfError> {
  try {
    await fn()
  } catch (error) {
    if (error instanceof FnfError) return error
    throw error
  }
  throw new Error('expected an FnfError, but the call succeeded')
}

describe('long polls', () => {
  it('a 10-minute execution costs 1 + 600/60 DescribeExecution requests', async () => {
    // The execution is held and released while the 10th long poll is held: how many polls it
    // took is then an event, not a race between machine speed and the emulated clock. What is
    // asserted is that each poll covered a full 60 emulated seconds, so those 10 long polls span
    // at least 9 full minutes of the execution: a 10-minute execution needs no more than 1 + 10.
    // The wait loop runs on the emulated clock (speed 100) so its deadline and minimum poll
    // spacing mean what they would in a real 10-minute wait.
    const speed = 100
    const em = await emulator({
      speed,
      rateLimit: null,
      flows: [{ name: 'ten', hold: true, steps: [{ type: 'wait', name: 'w', durationMs: 0 }] }]
    })
    const name = execution(em, 'ten')
    const { client } = probe(em)

    const waiting = waitForExecution(client, {
      flowName: 'ten',
      executionName: name,
      deadline: new Deadline(em.now() + 2 * 3_600_000, () => em.now()),
      sleep: (ms, signal) => delay(ms / speed, undefined, signal ? { signal } : {})
    })
    const tenth = await em.waitForRequest(
      (r) => r.params.ExecutionName === name && r.holding === true,
      TEN_MINUTES / 60_000
    )
    em.release('ten', name)
    const result = await waiting

    expect(result.kind).toBe('ended')
    expect(result.execution?.Status).toBe('Succeeded')
    const polls = requestsFor(em, name, 'DescribeExecution')
    expect(polls.at(-1)).toBe(tenth)
    expect(polls).toHaveLength(1 + TEN_MINUTES / 60_000)
    expect(polls.map((r) => r.params.WaitTimeSeconds)).toEqual(['0', ...Array(10).fill('60')])
    expect(polls.every((r) => r.status === 200)).toBe(true)
    // Every long poll but the last was held for its full 60 s (less the 1 real ms a timer may fire
    // early); the last one ended with the execution.
    const held = 60_000 - speed
    for (let i = 2; i < polls.length; i++) {
      expect(polls[i]!.receivedAt - polls[i - 1]!.receivedAt).toBeGreaterThanOrEqual(held)
    }
    expect(tenth.receivedAt - em.execution('ten', name)!.startedAt).toBeGreaterThanOrEqual(9 * held)
  })

  it('on the real clock (as the action runs), WaitTimeSeconds is held in emulated time', async () => {
    // speed 60: a 60 s hold takes one real second, exactly the wait loop's minimum poll spacing,
    // so the loop adds no sleeps of its own. Released while the 3rd long poll is held.
    const em = await emulator({
      speed: 60,
      rateLimit: null,
      flows: [{ name: 'mid', hold: true, steps: [{ type: 'wait', name: 'w', durationMs: 0 }] }]
    })
    const name = execution(em, 'mid')
    const { client } = probe(em)

    const waiting = waitForExecution(client, {
      flowName: 'mid',
      executionName: name,
      // Far enough that every long poll asks for the full 60 s.
      deadline: Deadline.after(3_600_000)
    })
    await em.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true, 3)
    em.release('mid', name)
    const result = await waiting

    expect(result.execution?.Status).toBe('Succeeded')
    const polls = requestsFor(em, name, 'DescribeExecution')
    expect(polls.map((r) => r.params.WaitTimeSeconds)).toEqual(['0', '60', '60', '60'])
    // The first two long polls were each held for 60 emulated seconds (less the 1 real ms a timer
    // may fire early), not answered early.
    expect(polls[2]!.receivedAt - polls[1]!.receivedAt).toBeGreaterThanOrEqual(60_000 - 60)
    expect(polls[3]!.receivedAt - polls[2]!.receivedAt).toBeGreaterThanOrEqual(60_000 - 60)
  })

  it.each(['Succeeded', 'Failed'] as const)(
    'one long poll answers with %s when the execution ends while it is held',
    async (status) => {
      const name = execution(shared, 'held')
      const { client } = probe(shared)

      const poll = client.describeExecution({
        flowName: 'held',
        executionName: name,
        waitTimeSeconds: 60
      })
      await shared.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true)
      shared.release('held', name, { status, error: 'Deploy.Rejected', cause: 'quota exceeded' })
      const ended = await poll

      expect(ended.Status).toBe(status)
      expect(ended.StoppedTime).toBeDefined()
      expect(requestsFor(shared, name)).toHaveLength(1)
      expect(client.stats).toEqual({ requests: 1, retries: 0 })
    }
  )

  it('a StopExecution ends a pending long poll with Stopped', async () => {
    const name = execution(shared, 'slow')
    const { client } = probe(shared)

    const poll = client.describeExecution({
      flowName: 'slow',
      executionName: name,
      waitTimeSeconds: 60
    })
    // Stop only once the long poll is being held by the server.
    while (requestsFor(shared, name, 'DescribeExecution').length === 0) await delay(10)
    await delay(50)
    await client.stopExecution({ flowName: 'slow', executionName: name })

    expect((await poll).Status).toBe('Stopped')
    expect(requestsFor(shared, name, 'DescribeExecution')).toHaveLength(1)
  })
})

describe('GetExecutionHistory paging', () => {
  let name: string
  let all: HistoryEvent[]

  beforeAll(async () => {
    name = execution(shared, 'history')
    await probe(shared).client.describeExecution({
      flowName: 'history',
      executionName: name,
      waitTimeSeconds: 10
    })
    const page = await probe(shared).client.getExecutionHistory({
      flowName: 'history',
      executionName: name,
      limit: 999
    })
    all = page.Events
  })

  it('the execution has a history worth paging', () => {
    expect(all.length).toBeGreaterThan(50)
    expect(all.map((e) => e.EventId)).toEqual(all.map((_, i) => i + 1))
    expect(all.at(-1)!.Type).toBe('ExecutionSucceeded')
  })

  it.each([1, 7, 999])('Limit %i returns every event once, ascending', async (limit) => {
    const { client } = probe(shared)
    const before = requestsFor(shared, name, 'GetExecutionHistory').length
    const events: HistoryEvent[] = []
    const tokens: Array<string | undefined> = []
    let nextToken: string | undefined
    do {
      const page = await client.getExecutionHistory({
        flowName: 'history',
        executionName: name,
        limit,
        ...(nextToken === undefined ? {} : { nextToken })
      })
      expect(page.Events.length).toBeGreaterThan(0)
      expect(page.Events.length).toBeLessThanOrEqual(limit)
      events.push(...page.Events)
      tokens.push(page.NextToken)
      nextToken = page.NextToken || undefined
    } while (nextToken !== undefined)

    expect(events).toEqual(all)
    const pages = Math.ceil(all.length / limit)
    // Every page but the last carries a token; the last has none at all.
    expect(tokens).toHaveLength(pages)
    expect(tokens.slice(0, -1).every((t) => typeof t === 'string' && t !== '')).toBe(true)
    expect(tokens.at(-1)).toBeUndefined()
    expect(requestsFor(shared, name, 'GetExecutionHistory').length - before).toBe(pages)
    expect(client.stats).toEqual({ requests: pages, retries: 0 })
  })
})

describe('retries', () => {
  const FAULTS: Array<[FaultKind, number, string]> = [
    ['throttle', 429, 'ResourceThrottled'],
    ['server-error', 500, 'InternalServerError'],
    ['html', 502, 'InvalidResponse'],
    ['reset', 0, 'network'],
    ['hang', 0, 'RequestTimeout']
  ]

  it.each(FAULTS)('survives two %s answers: exactly 3 attempts', async (kind) => {
    const name = execution(shared, 'slow')
    const { client, log, sleeps } = probe(shared, { requestTimeoutMs: 500 })
    shared.injectFault({ kind, action: 'DescribeExecution', count: 2 })

    const found = await client.describeExecution({ flowName: 'slow', executionName: name })

    expect(found.Status).toBe('Running')
    const sent = requestsFor(shared, name, 'DescribeExecution')
    expect(sent).toHaveLength(3)
    expect(sent[2]!.status).toBe(200)
    expect(client.stats).toEqual({ requests: 3, retries: 2 })
    expect(sleeps).toHaveLength(2)
    expect(log).toHaveLength(2)
    expect(log[0]).toMatch(/^DescribeExecution: .*; retry 1 of 9 in \d+\.\ds$/)
  })

  it.each(FAULTS)(
    'gives up on %s after maxAttempts, with the code of the last failure',
    async (kind, status, code) => {
      const name = execution(shared, 'slow')
      const { client } = probe(shared, { requestTimeoutMs: 500, maxAttempts: 3 })
      shared.injectFault({ kind, action: 'DescribeExecution', count: 3 })

      const error = await failure(() =>
        client.describeExecution({ flowName: 'slow', executionName: name })
      )

      expect(error.status).toBe(status)
      if (code === 'network') expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(error.code)
      else expect(error.code).toBe(code)
      expect(error.retryable).toBe(true)
      expect(requestsFor(shared, name, 'DescribeExecution')).toHaveLength(3)
      expect(client.stats).toEqual({ requests: 3, retries: 2 })
    }
  )

  it('the proxy HTML page is reported as such, not parsed', async () => {
    const name = execution(shared, 'slow')
    const { client } = probe(shared, { maxAttempts: 1 })
    shared.injectFault({ kind: 'html', action: 'DescribeExecution' })

    const error = await failure(() =>
      client.describeExecution({ flowName: 'slow', executionName: name })
    )

    expect(error.message).toMatch(
      /HTTP 502 InvalidResponse: expected a JSON object, got ".*502 Bad Gateway/
    )
    expect(error.hint).toMatch(/Something other than the FnF API answered at http:\/\/127\.0\.0\.1/)
    expect(error.requestId).toMatch(/^[0-9A-F-]{36}$/)
  })

  it('every attempt is signed afresh: distinct nonces and signatures', async () => {
    const name = execution(shared, 'slow')
    const { client } = probe(shared)
    shared.injectFault({ kind: 'server-error', action: 'DescribeExecution', count: 3 })

    await client.describeExecution({ flowName: 'slow', executionName: name })

    const sent = requestsFor(shared, name, 'DescribeExecution')
    expect(sent).toHaveLength(4)
    expect(new Set(sent.map((r) => r.params.SignatureNonce)).size).toBe(4)
    expect(new Set(sent.map((r) => r.params.Signature)).size).toBe(4)
  })

  it('the emulator does reject a replayed nonce, so the checks on it mean something', async () => {
    const name = execution(shared, 'slow')
    await probe(shared).client.describeExecution({ flowName: 'slow', executionName: name })
    const [signed] = requestsFor(shared, name, 'DescribeExecution')
    replayedNonce = signed!.params.SignatureNonce

    const replay = await fetch(`${shared.url}/?${new URLSearchParams(signed!.params)}`)

    expect(replay.status).toBe(400)
    expect(((await replay.json()) as { Code: string }).Code).toBe('SignatureNonceUsed')
  })

  it('a burst past the real rate limit (50, then 5/s) from concurrent calls all succeeds', async () => {
    const em = await emulator({ flows: [SLOW] })
    const name = execution(em, 'slow')
    const { client } = probe(em, { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 30 })
    const workers = 8
    const callsEach = 9

    const statuses = await Promise.all(
      Array.from({ length: workers }, async () => {
        const seen: string[] = []
        for (let i = 0; i < callsEach; i++) {
          const e = await client.describeExecution({
            flowName: 'slow',
            executionName: name,
            waitTimeSeconds: 0
          })
          seen.push(e.Status)
        }
        return seen
      })
    )

    expect(statuses.flat()).toEqual(Array(workers * callsEach).fill('Running'))
    const sent = requestsFor(em, name, 'DescribeExecution')
    const throttled = sent.filter((r) => r.status === 429)
    expect(sent.filter((r) => r.status === 200)).toHaveLength(workers * callsEach)
    expect(throttled.length).toBeGreaterThan(0)
    expect(throttled.every((r) => r.code === 'ResourceThrottled')).toBe(true)
    // Nothing else went wrong, and nothing was sent that the emulator did not see.
    expect(sent).toHaveLength(workers * callsEach + throttled.length)
    expect(client.stats).toEqual({ requests: sent.length, retries: throttled.length })
    // A throttled request had already used its nonce: every retry had to be signed afresh.
    expect(new Set(sent.map((r) => r.params.SignatureNonce)).size).toBe(sent.length)
    expect(sent.some((r) => r.code === 'SignatureNonceUsed')).toBe(false)
  })
})

describe('no retry on 4xx', () => {
  const STS_EXPIRED: EmulatorCredential = {
    accessKeyId: 'STS.NTemulatorExpired',
    accessKeySecret: 'sts-secret',
    securityToken: 'CAIS-emulator-token',
    expiresAt: Date.now() - 60_000
  }

  beforeAll(() => {
    shared.addCredential(STS_EXPIRED)
  })

  const CASES: Array<{
    code: string
    status: number
    hint: RegExp
    credentials?: EmulatorCredential
    flow?: string
    execution?: string
  }> = [
    {
      code: 'InvalidAccessKeyID',
      status: 403,
      hint: /AccessKey ID is unknown or disabled/,
      credentials: { accessKeyId: 'LTAI5tNoSuchKey', accessKeySecret: 'whatever' }
    },
    {
      code: 'SignatureNotMatch',
      status: 403,
      hint: /request signature was rejected/,
      credentials: { ...DEMO_CREDENTIAL, accessKeySecret: 'not-the-secret' }
    },
    {
      code: 'InvalidSecurityToken.Expired',
      status: 403,
      hint: /STS security token is expired or invalid/,
      credentials: STS_EXPIRED
    },
    {
      code: 'FlowNotExists',
      status: 404,
      hint: /Flow "no-such-flow" was not found at http:\/\/127\.0\.0\.1:\d+\. Check `flow-name`/,
      flow: 'no-such-flow'
    },
    {
      code: 'ExecutionNotExists',
      status: 404,
      hint: /Execution "no-such-execution" of flow "slow" was not found at http:\/\/127\.0\.0\.1/,
      execution: 'no-such-execution'
    }
  ]

  it.each(CASES)('$code: one request, with a hint', async (c) => {
    const name = c.execution ?? execution(shared, 'slow')
    const creds = c.credentials ?? DEMO_CREDENTIAL
    // Default retry settings: if this were retried, it would be retried here.
    const { client, sleeps } = probe(shared, {
      credentials: () => creds,
      baseDelayMs: undefined,
      maxDelayMs: undefined
    })

    const error = await failure(() =>
      client.describeExecution({ flowName: c.flow ?? 'slow', executionName: name })
    )

    expect(error.code).toBe(c.code)
    expect(error.status).toBe(c.status)
    expect(error.retryable).toBe(false)
    expect(error.hint).toMatch(c.hint)
    expect(error.message).toContain(`Hint: ${error.hint}`)
    expect(error.message).not.toContain(creds.accessKeySecret)
    expect(requestsFor(shared, name)).toHaveLength(1)
    expect(requestsFor(shared, name)[0]!.code).toBe(c.code)
    expect(client.stats).toEqual({ requests: 1, retries: 0 })
    expect(sleeps).toEqual([])
  })

  it('a valid STS token that has not expired is accepted', async () => {
    const live = {
      ...STS_EXPIRED,
      accessKeyId: 'STS.NTemulatorLive',
      expiresAt: Date.now() + 3_600_000
    }
    shared.addCredential(live)
    const name = execution(shared, 'slow')
    const { client } = probe(shared, { credentials: () => live })

    const found = await client.describeExecution({ flowName: 'slow', executionName: name })

    expect(found.Status).toBe('Running')
    expect(requestsFor(shared, name)[0]!.params.SecurityToken).toBe(live.securityToken)
  })
})

describe('clock skew', () => {
  it.each([
    [3_600_000, 'behind'],
    [-3_600_000, 'ahead of']
  ])('server %i ms off: one 403, a corrected retry, then single requests', async (skew, word) => {
    const em = await emulator({ clockSkewMs: skew, rateLimit: null, flows: [SLOW] })
    const name = execution(em, 'slow')
    const { client, log, sleeps } = probe(em)

    const first = await client.describeExecution({ flowName: 'slow', executionName: name })

    expect(first.Status).toBe('Running')
    const sent = requestsFor(em, name)
    expect(sent.map((r) => [r.status, r.code])).toEqual([
      [403, 'RequestTimeTooSkewed'],
      [200, undefined]
    ])
    expect(client.stats).toEqual({ requests: 2, retries: 1 })
    // Repaired at once: no backoff sleep.
    expect(sleeps).toEqual([])
    // The Date header has whole seconds, so the learnt offset is within a second of the skew.
    expect(log).toHaveLength(1)
    const learnt = new RegExp(`RequestTimeTooSkewed.*; local clock is (\\d+)s ${word} the server`)
    expect(Math.abs(Number(learnt.exec(log[0]!)?.[1]) - 3600)).toBeLessThanOrEqual(1)

    // The offset is kept: later calls on this client are right the first time.
    await client.describeExecution({ flowName: 'slow', executionName: name })
    await client.getExecutionHistory({ flowName: 'slow', executionName: name })
    expect(requestsFor(em, name)).toHaveLength(4)
    expect(client.stats).toEqual({ requests: 4, retries: 1 })
  })
})

describe('StartExecution / StopExecution (POST)', () => {
  it('round trip: start, start again while running, stop, stop again, start again', async () => {
    const { client } = probe(shared)
    const name = uniqueName('post')
    // Characters that form encoding and RPC signing treat differently.
    const input = JSON.stringify({ text: "héllo wörld & a=b + c/d ~*'()!", emoji: '🚀', n: 1 })

    const started = await client.startExecution({ flowName: 'slow', executionName: name, input })
    expect(started).toMatchObject({ Name: name, FlowName: 'slow', Status: 'Running', Input: input })
    expect(shared.execution('slow', name)?.status).toBe('Running')

    // The same name while it runs: the service hands back the running execution.
    const again = await client.startExecution({ flowName: 'slow', executionName: name, input })
    expect(again.StartedTime).toBe(started.StartedTime)

    const described = await client.describeExecution({ flowName: 'slow', executionName: name })
    expect(described.Input).toBe(input)

    const stopped = await client.stopExecution({
      flowName: 'slow',
      executionName: name,
      error: 'Manual',
      cause: 'stopped by the test'
    })
    expect(stopped.Status).toBe('Stopped')
    expect(shared.execution('slow', name)?.status).toBe('Stopped')

    const stopAgain = await failure(() =>
      client.stopExecution({ flowName: 'slow', executionName: name })
    )
    expect(stopAgain).toMatchObject({
      code: 'ExecutionAlreadyCompleted',
      status: 400,
      retryable: false
    })

    const startAgain = await failure(() =>
      client.startExecution({ flowName: 'slow', executionName: name, input })
    )
    expect(startAgain).toMatchObject({
      code: 'ExecutionAlreadyExists',
      status: 400,
      retryable: false
    })

    const sent = requestsFor(shared, name)
    expect(sent.map((r) => [r.method, r.action, r.code ?? 'ok'])).toEqual([
      ['POST', 'StartExecution', 'ok'],
      ['POST', 'StartExecution', 'ok'],
      ['GET', 'DescribeExecution', 'ok'],
      ['POST', 'StopExecution', 'ok'],
      ['POST', 'StopExecution', 'ExecutionAlreadyCompleted'],
      ['POST', 'StartExecution', 'ExecutionAlreadyExists']
    ])
    // The API parameters travelled in the signed form body and arrived intact.
    expect(sent[0]!.params.Input).toBe(input)
    expect(sent[3]!.params).toMatchObject({ Error: 'Manual', Cause: 'stopped by the test' })
    expect(client.stats).toEqual({ requests: 6, retries: 0 })
  })

  it('a started execution can be waited on to its output', async () => {
    const { client } = probe(shared)

    const started = await client.startExecution({ flowName: 'quick', input: '{"v":2}' })
    // No name given: the service made one up.
    expect(started.Name).toMatch(/^[0-9a-f][0-9a-f-]{35}$/)
    const ended = await client.describeExecution({
      flowName: 'quick',
      executionName: started.Name,
      waitTimeSeconds: 30
    })

    expect(ended.Status).toBe('Succeeded')
    expect(JSON.parse(ended.Output!)).toEqual({ done: true })
  })

  it('StartExecution of a missing flow is a 404 with a hint, not retried', async () => {
    const { client } = probe(shared)
    const name = uniqueName('missing')

    const error = await failure(() =>
      client.startExecution({ flowName: 'no-such-flow', executionName: name })
    )

    expect(error).toMatchObject({ code: 'FlowNotExists', status: 404, retryable: false })
    expect(error.hint).toMatch(/Flow "no-such-flow" was not found/)
    expect(requestsFor(shared, name)).toHaveLength(1)
  })
})

describe('versions, aliases and express flows', () => {
  const script = (v: string): FlowScript => ({
    name: 'versioned',
    steps: [{ type: 'pass', name: 'p' }],
    output: { v }
  })

  it('StartExecution with a Qualifier runs that version; DescribeFlowAlias reads the routes', async () => {
    const em = await emulator({ rateLimit: null, flows: [script('latest')] })
    em.publishFlowVersion('versioned', script('1'))
    em.publishFlowVersion('versioned', script('2'))
    em.setFlowAlias('versioned', 'canary', [
      { version: 1, weight: 30 },
      { version: 2, weight: 70 }
    ])
    const { client } = probe(em)
    const name = uniqueName('q')
    await client.startExecution({ flowName: 'versioned', executionName: name, qualifier: '1' })
    expect(em.execution('versioned', name)).toMatchObject({ version: '1', qualifier: '1' })
    expect(await client.describeFlowAlias({ flowName: 'versioned', name: 'canary' })).toEqual({
      Name: 'canary',
      RoutingConfigurations: [
        { Version: '1', Weight: 30 },
        { Version: '2', Weight: 70 }
      ]
    })
    const unknown = await failure(() =>
      client.startExecution({
        flowName: 'versioned',
        executionName: uniqueName('q'),
        qualifier: '9'
      })
    )
    expect(unknown).toMatchObject({ status: 404, code: 'FlowVersionNotExists', retryable: false })
    expect(unknown.hint).toMatch(/^"9" is not a published version or an alias of flow "versioned"/)
  })

  it('StartSyncExecution is held until the end and answers how it ended', async () => {
    const em = await emulator({
      rateLimit: null,
      flows: [{ name: 'fast', executionMode: 'Express', hold: true, steps: [] }]
    })
    const { client } = probe(em)
    const name = uniqueName('sync')
    const answer = client.startSyncExecution({ flowName: 'fast', executionName: name })
    await em.waitForRequest((r) => r.action === 'StartSyncExecution' && r.holding === true)
    em.release('fast', name, { status: 'Failed', error: 'E.Code', cause: 'the message' })
    expect(await answer).toMatchObject({
      FlowName: 'fast',
      Status: 'Failed',
      ErrorCode: 'E.Code',
      ErrorMessage: 'the message'
    })
    // Express only: a standard flow refuses it, and nothing starts.
    const refused = await failure(() =>
      client.startSyncExecution({ flowName: 'versioned', executionName: uniqueName('s') })
    )
    expect(refused.status).toBe(404)
  })
})

describe('ListExecutions', () => {
  it('pages with the filters it is given, each execution with its status and output', async () => {
    const { client } = probe(shared)
    const prefix = uniqueName('list')
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]
    for (const name of names) shared.createExecution('held', name, {})
    shared.release('held', names[0]!, { status: 'Succeeded', output: { n: 1 } })
    const since = new Date(shared.execution('held', names[0]!)!.startedAt - 1000).toISOString()
    const first = await client.listExecutions({
      flowName: 'held',
      executionNamePrefix: prefix,
      startedTimeBegin: since,
      limit: 2
    })
    expect(first.Executions.map((e) => [e.Name, e.Status])).toEqual([
      [names[0], 'Succeeded'],
      [names[1], 'Running']
    ])
    expect(JSON.parse(first.Executions[0]!.Output!)).toEqual({ n: 1 })
    const second = await client.listExecutions({
      flowName: 'held',
      executionNamePrefix: prefix,
      limit: 2,
      nextToken: first.NextToken!,
      metadataOnly: true
    })
    expect(second.Executions.map((e) => e.Name)).toEqual([names[2]])
    expect(second.NextToken).toBeUndefined()
    const request = shared.requests.filter((r) => r.action === 'ListExecutions').at(-1)!
    expect(request.params).toMatchObject({ MetadataOnly: 'true', Limit: '2', NextToken: names[2] })
    const running = await client.listExecutions({
      flowName: 'held',
      executionNamePrefix: prefix,
      status: 'Running'
    })
    expect(running.Executions.map((e) => e.Name)).toEqual(names.slice(1))
    for (const name of names.slice(1)) shared.release('held', name)
  })
})

describe('across the whole file', () => {
  it('no emulator ever saw a replayed nonce from the client', () => {
    const replays = emulators
      .flatMap((e) => e.requests)
      // Leave out the one replay sent on purpose with fetch above.
      .filter((r) => r.code === 'SignatureNonceUsed' && r.params.SignatureNonce !== replayedNonce)
    expect(replays).toEqual([])
  })
})
