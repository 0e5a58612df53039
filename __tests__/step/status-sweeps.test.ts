/**
 * Following many executions by batch status reads (src/step/status-sweeps.ts), in process, against
 * the emulator. Executions are held until the test releases them; every assertion is on requests
 * (which, how many, in what order) and on outcomes, never on elapsed time.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import type { Config } from '../../src/config/inputs.js'
import { FnfClient } from '../../src/fnf/client.js'
import { RateLimiter } from '../../src/fnf/rate-limiter.js'
import { createDispatcher } from '../../src/http/dispatcher.js'
import { Deadline } from '../../src/step/deadline.js'
import type { FollowContext } from '../../src/step/wait.js'
import { track, type Tracked } from '../../src/step/execution-outcome.js'

jest.unstable_mockModule('@actions/core', () => core)
const { LONG_POLL_LIMIT, waitForGroup } = await import('../../src/step/status-sweeps.js')
const { commonPrefix } = await import('../../src/step/listing.js')

const FLOW = 'fan-out'
let emulator: Emulator
const dispatcher = createDispatcher()
let group = 0

beforeAll(async () => {
  // The service's limits are the e2e test's (many.e2e.test.ts); here the client's own limiter
  // paces, and tests do not share a server-side bucket.
  emulator = await startEmulator({
    rateLimit: null,
    flows: [{ name: FLOW, hold: true, steps: [{ type: 'task', name: 'shard', durationMs: 0 }] }]
  })
})
afterAll(async () => {
  await emulator.close()
  await dispatcher.close()
})

function context(signal = new AbortController().signal, timeoutMs = 10 * 60_000): FollowContext {
  const client = new FnfClient({
    endpoint: emulator.url,
    credentials: () => DEMO_CREDENTIAL,
    dispatcher,
    maxAttempts: 1,
    limiter: new RateLimiter()
  })
  return {
    config: { flowName: FLOW } as Config,
    client,
    deadline: Deadline.after(timeoutMs),
    signal,
    single: false
  }
}

/** `count` held executions named `<prefix>-0000`…, created now. */
function executions(count: number): { prefix: string; names: string[] } {
  const group_ = `g${++group}-`
  const names = Array.from({ length: count }, (_, i) => `${group_}${String(i).padStart(4, '0')}`)
  for (const name of names) emulator.createExecution(FLOW, name, {})
  // What the sweeps filter by: the names' longest common prefix.
  return { prefix: commonPrefix(names), names }
}

function follow(
  ctx: FollowContext,
  names: string[],
  strategy?: 'long-poll',
  known: (name: string) => Tracked['execution'] = () => undefined
) {
  const seen = new Map<string, string[]>()
  const config =
    strategy === 'long-poll' ? { ...ctx.config, longPollsOnly: true as const } : ctx.config
  const waitFor = waitForGroup({ ...ctx, config }, names.length, Date.now())
  const settled = new Map<string, Tracked | Error>()
  const all = names.map((name) =>
    waitFor({ ...track(name, '{}'), ...(known(name) ? { execution: known(name)! } : {}) }, (e) =>
      seen.set(name, [...(seen.get(name) ?? []), e.Status])
    ).then(
      (t) => void settled.set(name, t),
      (error: Error) => void settled.set(name, error)
    )
  )
  return { done: Promise.all(all), settled, seen }
}

const requests = (action: string, names: readonly string[]) => {
  const ours = new Set(names)
  return emulator.requests.filter(
    (r) =>
      r.action === action &&
      (action === 'ListExecutions'
        ? r.params.ExecutionNamePrefix === commonPrefix(names)
        : ours.has(r.params.ExecutionName ?? ''))
  )
}

/** Resolves once `condition` holds (checked as the step's own callbacks run). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5))
}

/** Resolves when `n` of the names have settled. */
async function settledCount(settled: Map<string, unknown>, n: number): Promise<void> {
  await until(() => settled.size >= n)
}

describe('waitForGroup', () => {
  it('long-polls each of a few executions, as before', async () => {
    const { names } = executions(LONG_POLL_LIMIT)
    const run = follow(context(), names)
    await emulator.waitForRequest(
      (r) => r.params.ExecutionName === names.at(-1) && r.holding === true
    )
    for (const name of names) emulator.release(FLOW, name, { status: 'Succeeded' })
    await run.done
    expect(requests('ListExecutions', names)).toHaveLength(0)
    expect(requests('DescribeExecution', names)).toHaveLength(LONG_POLL_LIMIT)
  })

  it('reads many statuses in pages, then long-polls the last few; every result right', async () => {
    const count = 250
    const { prefix, names } = executions(count)
    const ctx = context()
    const run = follow(ctx, names)
    // The first sweep: three pages of the group's prefix, and not one DescribeExecution.
    const page = (nth: number) =>
      emulator.waitForRequest(
        (r) =>
          r.action === 'ListExecutions' &&
          r.params.ExecutionNamePrefix === prefix &&
          r.status === 200,
        nth
      )
    await page(3)
    // 250 in pages of 99 (ListExecutions' Limit is 1-99 in every current SDK model), statuses
    // only: no page carries an Input, Output or definition.
    expect(
      requests('ListExecutions', names).map((r) => [
        r.params.Limit,
        r.params.NextToken,
        r.params.MetadataOnly
      ])
    ).toEqual([
      ['99', undefined, 'true'],
      ['99', names[99], 'true'],
      ['99', names[198], 'true']
    ])
    await until(() => run.seen.size === count)
    expect(requests('DescribeExecution', names)).toHaveLength(0)

    // 200 end, each its own way; the sweeps see them, still without DescribeExecution.
    const ending = names.slice(0, count - LONG_POLL_LIMIT - 10)
    ending.forEach((name, i) =>
      i % 3 === 0
        ? emulator.release(FLOW, name, { status: 'Failed', error: 'Shard.Broken', cause: name })
        : emulator.release(FLOW, name, { status: 'Succeeded', output: { name, i } })
    )
    await settledCount(run.settled, ending.length)
    // So many ends at once: their outputs come from pages of each status, not one read each.
    expect(requests('DescribeExecution', names)).toHaveLength(0)
    const outputPages = requests('ListExecutions', names).filter((r) => r.params.Status)
    expect(new Set(outputPages.map((r) => r.params.Status))).toEqual(
      new Set(['Succeeded', 'Failed'])
    )
    for (const r of outputPages) expect(r.params.MetadataOnly).toBeUndefined()
    for (const [i, name] of ending.entries()) {
      const t = run.settled.get(name) as Tracked
      expect(t.execution?.Status).toBe(i % 3 === 0 ? 'Failed' : 'Succeeded')
      if (i % 3 !== 0) expect(JSON.parse(t.execution!.Output!)).toEqual({ name, i })
    }

    // 50 left: 10 more end, then the last 40 are long-polled one by one.
    for (const name of names.slice(ending.length, count - LONG_POLL_LIMIT))
      emulator.release(FLOW, name, { status: 'Succeeded', output: { name } })
    const last = names.slice(count - LONG_POLL_LIMIT)
    for (const name of last)
      await emulator.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true)
    const sweeps = requests('ListExecutions', names).length
    for (const name of last.slice(0, -1))
      emulator.release(FLOW, name, { status: 'Succeeded', output: { name } })
    await settledCount(run.settled, count - 1)

    // The last end: seen by its own held long poll, with no other request in between.
    const before = emulator.requests.length
    emulator.release(FLOW, last.at(-1)!, { status: 'Stopped' })
    await run.done
    expect(emulator.requests.length).toBe(before)
    expect((run.settled.get(last.at(-1)!) as Tracked).execution?.Status).toBe('Stopped')
    expect(requests('ListExecutions', names)).toHaveLength(sweeps)
    expect(requests('DescribeExecution', names)).toHaveLength(LONG_POLL_LIMIT)
    expect(emulator.requests.filter((r) => r.status === 429)).toHaveLength(0)
    for (const name of names) expect(run.settled.get(name)).toHaveProperty('execution.Name', name)
  })

  it('confirms a few ends with one DescribeExecution each, which brings their outputs', async () => {
    const { names } = executions(LONG_POLL_LIMIT + 10)
    const run = follow(context(), names)
    await until(() => run.seen.size === names.length)
    const ending = names.slice(0, 3)
    for (const name of ending) emulator.release(FLOW, name, { output: { name } })
    await settledCount(run.settled, 3)
    for (const name of ending) {
      expect(JSON.parse((run.settled.get(name) as Tracked).execution!.Output!)).toEqual({ name })
      expect(requests('DescribeExecution', [name])).toHaveLength(1)
    }
    expect(requests('ListExecutions', names).filter((r) => r.params.Status)).toHaveLength(0)
    for (const name of names.slice(3)) emulator.release(FLOW, name, { status: 'Stopped' })
    await run.done
  })

  it('lets an end a listing claims decide nothing until its own read confirms it', async () => {
    const { names } = executions(LONG_POLL_LIMIT + 5)
    const [liar, ...rest] = names
    // A listing (a proxy, a cache) says the first one failed; it is still running.
    emulator.injectFault({
      kind: 'answer',
      action: 'ListExecutions',
      body: JSON.stringify({
        Executions: [
          { Name: liar, FlowName: FLOW, Status: 'Failed' },
          ...rest.map((name) => ({ Name: name, FlowName: FLOW, Status: 'Running' }))
        ]
      })
    })
    const run = follow(context(), names)
    // Its one DescribeExecution is held: the execution has not ended, so neither has the wait.
    await emulator.waitForRequest((r) => r.params.ExecutionName === liar && r.holding === true)
    expect(run.settled.has(liar!)).toBe(false)
    expect(run.seen.get(liar!) ?? []).not.toContain('Failed')
    emulator.release(FLOW, liar!, { output: { fine: true } })
    await until(() => run.settled.has(liar!))
    expect((run.settled.get(liar!) as Tracked).execution).toMatchObject({ Status: 'Succeeded' })
    for (const name of rest) emulator.release(FLOW, name, { status: 'Stopped' })
    await run.done
  })

  it('falls back to long polls, with one warning, when a listing cannot be trusted', async () => {
    const { names } = executions(LONG_POLL_LIMIT + 5)
    core.resetCore()
    for (let i = 0; i < 2; i++) {
      emulator.injectFault({
        kind: 'answer',
        action: 'ListExecutions',
        body: JSON.stringify({ Executions: [], NextToken: 'same' })
      })
    }
    const run = follow(context(), names)
    for (const name of names)
      await emulator.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true)
    for (const name of names) emulator.release(FLOW, name, { output: { name } })
    await run.done
    for (const name of names)
      expect(JSON.parse((run.settled.get(name) as Tracked).execution!.Output!)).toEqual({ name })
    const warnings = core.fake.annotations.filter((a) => a.level === 'warning')
    expect(warnings.map((w) => w.message)).toEqual([
      'ListExecutions cannot be used to follow these executions: it gave a NextToken it had ' +
        `already given (a listing without end). Following each of the ${names.length} with ` +
        'DescribeExecution instead.'
    ])
  })

  it('hands every execution to its long poll when a page hangs, within its budget', async () => {
    const { names } = executions(LONG_POLL_LIMIT + 5)
    core.resetCore()
    emulator.injectFault({ kind: 'hang', action: 'ListExecutions' })
    // 20 s left: a page gets 5 s, not the request timeout and its retries up to the deadline.
    const run = follow(context(undefined, 20_000), names)
    for (const name of names)
      await emulator.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true)
    for (const name of names) emulator.release(FLOW, name, { output: { name } })
    await run.done
    for (const name of names)
      expect(run.settled.get(name)).toMatchObject({ state: 'ended', execution: { Name: name } })
    // The budget is a quarter of what is left when the page is sent: 5 s, less what setup took.
    expect(core.fake.annotations.map((a) => a.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          '^ListExecutions cannot be used to follow these executions: a page did not answer within ' +
            `(4(\\.\\d)?|5)s\\. Following each of the ${names.length} with DescribeExecution instead\\.$`
        )
      )
    ])
  })

  it('corrects a page size the service refuses, and goes on sweeping', async () => {
    const { prefix, names } = executions(LONG_POLL_LIMIT + 60)
    core.resetCore()
    emulator.injectFault({
      kind: 'answer',
      action: 'ListExecutions',
      status: 400,
      body: JSON.stringify({ Code: 'InvalidArgument', Message: 'Parameter error.' })
    })
    const run = follow(context(), names)
    await until(() => run.seen.size === names.length)
    for (const name of names) emulator.release(FLOW, name, { status: 'Stopped' })
    await run.done
    const sweeps = requests('ListExecutions', names).filter((r) => r.params.MetadataOnly === 'true')
    const limits = sweeps.map((r) => r.params.Limit)
    expect(limits.slice(0, 4)).toEqual(['99', '49', '49', '49'])
    expect(new Set(limits.slice(1))).toEqual(new Set(['49']))
    expect(sweeps.every((r) => r.params.ExecutionNamePrefix === prefix)).toBe(true)
    expect(core.fake.log.filter((line) => line.includes('refused Limit'))).toHaveLength(1)
    expect(core.fake.annotations).toEqual([])
  })

  it('narrows the listing to the earliest start once every start is known', async () => {
    const { prefix, names } = executions(LONG_POLL_LIMIT + 1)
    const started = (name: string) =>
      new Date(emulator.execution(FLOW, name)!.startedAt).toISOString()
    const run = follow(context(), names, undefined, (name) => ({
      Name: name,
      FlowName: FLOW,
      Status: 'Running',
      StartedTime: started(name)
    }))
    const list = await emulator.waitForRequest(
      (r) => r.action === 'ListExecutions' && r.params.ExecutionNamePrefix === prefix
    )
    const earliest = Math.min(...names.map((n) => emulator.execution(FLOW, n)!.startedAt))
    expect(list.params.StartedTimeBegin).toBe(
      new Date(Math.floor(earliest / 1000) * 1000).toISOString().replace('.000Z', 'Z')
    )
    for (const name of names) emulator.release(FLOW, name, { status: 'Succeeded' })
    await run.done
    for (const name of names)
      expect(run.settled.get(name)).toHaveProperty('execution.Status', 'Succeeded')
  })

  it('long-polls an execution the listing does not show', async () => {
    const { names } = executions(LONG_POLL_LIMIT + 5)
    const missing = `${names[0]}-gone`
    const run = follow(context(), [...names, missing])
    await until(() => run.settled.has(missing))
    expect(run.settled.get(missing)).toMatchObject({ code: 'ExecutionNotExists' })
    // Only the missing one was asked about on its own.
    expect(requests('DescribeExecution', names)).toHaveLength(0)
    for (const name of names) emulator.release(FLOW, name, { status: 'Succeeded' })
    await run.done
    for (const name of names)
      expect(run.settled.get(name)).toHaveProperty('execution.Status', 'Succeeded')
  })

  it('falls back to long polls when ListExecutions fails', async () => {
    const { names } = executions(LONG_POLL_LIMIT + 5)
    emulator.injectFault({ kind: 'server-error', action: 'ListExecutions' })
    const run = follow(context(), names)
    for (const name of names)
      await emulator.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true)
    for (const name of names)
      emulator.release(FLOW, name, { status: 'Succeeded', output: { name } })
    await run.done
    for (const name of names)
      expect(JSON.parse((run.settled.get(name) as Tracked).execution!.Output!)).toEqual({ name })
    expect(core.fake.log.join('\n')).toContain('ListExecutions failed')
  })

  it('stops sweeping when told to (fail-fast, cancel), rejecting with the reason', async () => {
    const { prefix, names } = executions(LONG_POLL_LIMIT + 20)
    const controller = new AbortController()
    const run = follow(context(controller.signal), names)
    await emulator.waitForRequest(
      (r) =>
        r.action === 'ListExecutions' && r.params.ExecutionNamePrefix === prefix && r.status === 200
    )
    controller.abort(new Error('fail-fast'))
    await run.done
    for (const name of names) expect(run.settled.get(name)).toMatchObject({ message: 'fail-fast' })
    const sweeps = requests('ListExecutions', names).length
    await new Promise((r) => setTimeout(r, 50))
    expect(requests('ListExecutions', names)).toHaveLength(sweeps)
    for (const name of names) emulator.release(FLOW, name, { status: 'Stopped' })
  })

  it('a cancel while the outputs of ends are read settles every wait, those ends included', async () => {
    const { names } = executions(LONG_POLL_LIMIT + 10)
    const ending = names.slice(0, 45)
    // The first sweep shows 45 ends, so their outputs come from a page, which hangs.
    emulator.injectFault({
      kind: 'answer',
      action: 'ListExecutions',
      body: JSON.stringify({
        Executions: names.map((name) => ({
          Name: name,
          FlowName: FLOW,
          Status: ending.includes(name) ? 'Succeeded' : 'Running'
        }))
      })
    })
    emulator.injectFault({ kind: 'hang', action: 'ListExecutions' })
    const controller = new AbortController()
    const run = follow(context(controller.signal), names)
    const group = `${names[0]!.split('-')[0]}-`
    await emulator.waitForRequest(
      (r) =>
        r.action === 'ListExecutions' &&
        r.params.Status === 'Succeeded' &&
        r.params.ExecutionNamePrefix!.startsWith(group)
    )
    controller.abort(new Error('cancelled'))
    await run.done
    for (const name of names) expect(run.settled.get(name)).toMatchObject({ message: 'cancelled' })
    for (const name of names) emulator.release(FLOW, name, { status: 'Stopped' })
  })

  it('gives up at the deadline with the last status seen', async () => {
    const { names } = executions(LONG_POLL_LIMIT + 1)
    // The timeout is the behaviour under test.
    const run = follow(context(undefined, 1500), names)
    await run.done
    for (const name of names) {
      expect(run.settled.get(name)).toMatchObject({
        state: 'wait-timed-out',
        execution: { Status: 'Running' }
      })
    }
    expect(requests('DescribeExecution', names)).toHaveLength(0)
    for (const name of names) emulator.release(FLOW, name, { status: 'Stopped' })
  })

  it('can be told to long-poll every execution (the benchmark baseline)', async () => {
    const { names } = executions(LONG_POLL_LIMIT + 1)
    const run = follow(context(), names, 'long-poll')
    for (const name of names)
      await emulator.waitForRequest((r) => r.params.ExecutionName === name && r.holding === true)
    for (const name of names) emulator.release(FLOW, name, { status: 'Succeeded' })
    await run.done
    expect(requests('ListExecutions', names)).toHaveLength(0)
  })
})
