/**
 * An FnfClient against undici's MockAgent, for the fnf/ tests that script the service's answers
 * one by one (client, transport, rpc-request, rpc-response): every request recorded as it
 * arrived, a clock and sleeps that the test moves, and the official SDK's signature check.
 */
import { afterEach, expect } from '@jest/globals'
import UtilModule from '@alicloud/openapi-util'
import { MockAgent } from 'undici'
import { FnfClient, type FnfClientOptions } from '../../src/fnf/client.js'
import { FnfError } from '../../src/fnf/errors.js'
import type { Credentials } from '../../src/fnf/types.js'

const Util = UtilModule.default // see fnf/signer.test.ts

export const ORIGIN = 'https://cn-hangzhou.fnf.aliyuncs.com'
export const SECRET = 'SeCrEt/with+odd=chars'
export const TOKEN = 'CAIS+sts/token==with*stuff'
export const CREDS: Credentials = { accessKeyId: 'LTAIkeyid', accessKeySecret: SECRET }
export const T0 = Date.UTC(2024, 0, 2, 3, 4, 5)

/** What MockAgent hands a reply callback (undici does not re-export the type). */
export interface ReplyOptions {
  path: string
  method: string
  headers?: unknown
  body?: unknown
}

export interface Seen {
  method: string
  path: string
  query: Record<string, string>
  form: Record<string, string>
  headers: Record<string, string>
  body: string | undefined
}

export type Reply = { statusCode: number; data?: string | object; headers?: Record<string, string> }

const agents: MockAgent[] = []

/** Closes every MockAgent the file's tests made; call once at the top of a test file. */
export function closeAgentsAfterEach(): void {
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.close()))
  })
}

export function harness(options: Partial<FnfClientOptions> = {}) {
  const agent = new MockAgent()
  agent.disableNetConnect()
  agents.push(agent)
  const pool = agent.get(ORIGIN)
  const seen: Seen[] = []
  const delays: number[] = []
  const logs: string[] = []
  const clock = { now: T0 }
  const client = new FnfClient({
    endpoint: ORIGIN,
    credentials: () => CREDS,
    dispatcher: agent,
    sleep: async (ms) => {
      delays.push(ms)
      clock.now += ms
    },
    now: () => clock.now,
    random: () => 0.5,
    log: (line) => logs.push(line),
    ...options
  })

  /** Queue replies in order; each records the request it answered. */
  function reply(...replies: Reply[]): void {
    for (const r of replies) {
      pool.intercept({ path: () => true, method: () => true }).reply((opts) => {
        seen.push(record(opts))
        const data = typeof r.data === 'object' ? JSON.stringify(r.data) : r.data
        return {
          statusCode: r.statusCode,
          data: data ?? '',
          responseOptions: { headers: r.headers ?? {} }
        }
      })
    }
  }
  return { agent, pool, client, seen, delays, logs, clock, reply }
}

export function record(opts: ReplyOptions): Seen {
  const [pathname, search = ''] = opts.path.split('?')
  expect(pathname).toBe('/')
  const body = typeof opts.body === 'string' ? opts.body : undefined
  return {
    method: opts.method,
    path: opts.path,
    query: Object.fromEntries(new URLSearchParams(search)),
    form: Object.fromEntries(new URLSearchParams(body ?? '')),
    headers: Object.fromEntries(
      Object.entries((opts.headers ?? {}) as Record<string, string>).map(([k, v]) => [
        k.toLowerCase(),
        v
      ])
    ),
    body
  }
}

/** Recomputes the signature the way the official SDK does, from what actually arrived. */
export function verifySignature(s: Seen, secret = SECRET): void {
  const { Signature, ...query } = s.query
  expect(Signature).toBeDefined()
  expect(Util.getRPCSignature({ ...query, ...s.form }, s.method, secret)).toBe(Signature)
}

export const EXECUTION = {
  Name: 'run-1',
  FlowName: 'my_flow',
  Status: 'Running',
  StartedTime: '2024-01-02T03:04:05.000Z',
  RequestId: 'req-ok'
}
export const ok = (data: object = EXECUTION): Reply => ({ statusCode: 200, data })
export const fail = (
  statusCode: number,
  Code: string,
  headers?: Record<string, string>
): Reply => ({
  statusCode,
  data: { Code, Message: `${Code} happened`, RequestId: `req-${statusCode}` },
  ...(headers ? { headers } : {})
})

export async function rejection(p: Promise<unknown>): Promise<FnfError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(FnfError)
  return err as FnfError
}

export const describeRun = { flowName: 'my_flow', executionName: 'run-1' }
