/**
 * Express flows: StartSyncExecution holds the request until the execution ends (at most 5
 * emulated minutes) and answers how it ended; no API finds the execution afterwards; StartExecution
 * refuses express flows and StartSyncExecution standard ones. Tests end held executions themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEFAULT_RATE_LIMITS, startEmulator, type Emulator, type FlowScript } from '../index.js'
import { RateLimiter } from '../rate-limit.js'
import type { RawResponse } from '../raw-rpc.js'
import { UTC_TIME, expectError, rpc } from './support/rpc.js'

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

const QUICK: FlowScript = {
  name: 'quick',
  executionMode: 'Express',
  steps: [{ type: 'pass', name: 'p' }],
  output: (input: unknown) => ({ echo: input })
}
const BROKEN: FlowScript = {
  name: 'broken',
  executionMode: 'Express',
  steps: [{ type: 'fail', name: 'boom', error: 'App.Bad', cause: 'went wrong' }]
}
const HELD: FlowScript = {
  name: 'held',
  executionMode: 'Express',
  hold: true,
  steps: [{ type: 'pass', name: 'p' }],
  output: { done: true }
}
const STANDARD: FlowScript = { name: 'std', steps: [] }
const BLANK: FlowScript = { name: 'blank', executionMode: '', steps: [] }

function sync(
  emu: Emulator,
  params: Record<string, string>,
  signal?: AbortSignal
): Promise<RawResponse> {
  return rpc(emu, 'StartSyncExecution', params, signal ? { signal } : {})
}

/** Resolves when the emulator holds `count` StartSyncExecution requests with this ExecutionName. */
function held(emu: Emulator, executionName: string, count = 1) {
  return emu.waitForRequest(
    (r) =>
      r.action === 'StartSyncExecution' &&
      r.params.ExecutionName === executionName &&
      r.holding === true,
    count
  )
}

describe('express flows', () => {
  let emu: Emulator

  beforeAll(async () => {
    emu = await startEmulator({ flows: [QUICK, BROKEN, HELD, STANDARD, BLANK], rateLimit: null })
  })
  afterAll(() => emu.close())

  it('DescribeFlow says Express, Standard, or the empty string the SDK documents as Standard', async () => {
    const modes = await Promise.all(
      ['quick', 'std', 'blank'].map(async (Name) => {
        const r = await rpc(emu, 'DescribeFlow', { Name })
        return r.json?.ExecutionMode
      })
    )
    expect(modes).toEqual(['Express', 'Standard', ''])
  })

  it('StartSyncExecution answers a success with `{ExecutionName}:{UUID}` and the output', async () => {
    const r = await sync(emu, {
      FlowName: 'quick',
      ExecutionName: 'run-1',
      Input: '{"a":1}'
    })
    expect(r.status).toBe(200)
    expect(r.json).toEqual({
      Name: expect.stringMatching(new RegExp(`^run-1:${UUID}$`)),
      FlowName: 'quick',
      Status: 'Succeeded',
      Output: '{"echo":{"a":1}}',
      StartedTime: expect.stringMatching(UTC_TIME),
      StoppedTime: expect.stringMatching(UTC_TIME),
      RequestId: expect.any(String)
    })
    // Names need not be unique; without one the service makes one up.
    const again = await sync(emu, { FlowName: 'quick', ExecutionName: 'run-1' })
    const unnamed = await sync(emu, { FlowName: 'quick' })
    expect(again.json?.Name).toMatch(/^run-1:/)
    expect(again.json?.Name).not.toBe(r.json?.Name)
    // A generated UUID, which may start with a digit (README, "Generated execution names").
    expect(unnamed.json?.Name).toMatch(new RegExp(`^${UUID}$`))
    expect(emu.executions('quick').map((e) => [e.name, e.mode, e.status])).toEqual([
      [r.json?.Name, 'Express', 'Succeeded'],
      [again.json?.Name, 'Express', 'Succeeded'],
      [unnamed.json?.Name, 'Express', 'Succeeded']
    ])
  })

  it('a failed execution answers ErrorCode and ErrorMessage, and no Output', async () => {
    const r = await sync(emu, { FlowName: 'broken', ExecutionName: 'b' })
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({
      Status: 'Failed',
      ErrorCode: 'App.Bad',
      ErrorMessage: 'went wrong',
      StoppedTime: expect.stringMatching(UTC_TIME)
    })
    expect(r.json).not.toHaveProperty('Output')
  })

  it('StartExecution refuses an express flow; StartSyncExecution a standard one', async () => {
    const express = await rpc(emu, 'StartExecution', { FlowName: 'quick', ExecutionName: 'x' })
    expectError(express, 400, 'ActionNotSupported')
    expect(express.json?.Message).toBe('Express execution is not supported')
    for (const FlowName of ['std', 'blank']) {
      const standard = await sync(emu, { FlowName })
      expectError(standard, 400, 'ActionNotSupported')
      expect(standard.json?.Message).toBe('Standard execution is not supported')
    }
    expect(emu.executions('quick').some((e) => e.name === 'x')).toBe(false)
    expect(emu.executions('std')).toEqual([])
    expectError(await sync(emu, { FlowName: 'nope' }), 404, 'FlowNotExists')
    expectError(
      await sync(emu, { FlowName: 'quick', ExecutionName: 'a:b' }),
      400,
      'InvalidArgument'
    )
    expectError(await sync(emu, { FlowName: 'quick', Input: '[1]' }), 400, 'InvalidArgument')
    expectError(await sync(emu, {}), 400, 'MissingRequiredParams')
    expect(() => emu.createExecution('quick', 'typed')).toThrow('StartSyncExecution')
  })

  it('keeps no history: no API finds an express execution by its name', async () => {
    const named = (await sync(emu, { FlowName: 'quick', ExecutionName: 'gone' })).json?.Name
    const generated = (await sync(emu, { FlowName: 'quick' })).json?.Name
    for (const ExecutionName of [String(named), String(generated)]) {
      const params = { FlowName: 'quick', ExecutionName }
      expectError(await rpc(emu, 'DescribeExecution', params), 404, 'ExecutionNotExists')
      expectError(await rpc(emu, 'GetExecutionHistory', params), 404, 'ExecutionNotExists')
      expectError(await rpc(emu, 'StopExecution', params), 404, 'ExecutionNotExists')
    }
    const listed = await rpc(emu, 'ListExecutions', { FlowName: 'quick' })
    expect(listed.json?.Executions).toEqual([])
  })

  it('a held express execution answers when the test releases it, found by its ExecutionName', async () => {
    const answer = sync(emu, { FlowName: 'held', ExecutionName: 'h1', Input: '{}' })
    await held(emu, 'h1')
    const running = emu.execution('held', 'h1')
    expect(running).toMatchObject({ mode: 'Express', status: 'Running' })
    expect(running?.name).toMatch(new RegExp(`^h1:${UUID}$`))
    emu.release('held', 'h1', { output: { shipped: 1 } })
    expect((await answer).json).toMatchObject({
      Name: running?.name,
      Status: 'Succeeded',
      Output: '{"shipped":1}'
    })

    const failing = sync(emu, { FlowName: 'held', ExecutionName: 'h2' })
    await held(emu, 'h2')
    emu.release('held', 'h2', { status: 'Failed', error: 'E.Late', cause: 'too late' })
    expect((await failing).json).toMatchObject({
      Status: 'Failed',
      ErrorCode: 'E.Late',
      ErrorMessage: 'too late'
    })
    expect(() => emu.release('held', 'h2')).toThrow('not held running')
  })

  it('runs many express executions at once, each answered with its own ending', async () => {
    const count = 25
    const before = emu.requests.filter((r) => r.action === 'StartSyncExecution').length
    const answers = Array.from({ length: count }, (_, i) =>
      sync(emu, { FlowName: 'held', ExecutionName: `many-${i}` })
    )
    await emu.waitForRequest(
      (r) =>
        r.action === 'StartSyncExecution' &&
        r.params.ExecutionName?.startsWith('many-') === true &&
        r.holding === true,
      count
    )
    expect(emu.requests.filter((r) => r.action === 'StartSyncExecution').length).toBe(
      before + count
    )
    const running = emu.executions('held').filter((e) => e.status === 'Running')
    expect(running).toHaveLength(count)
    // Released in reverse order: each request still gets its own execution's ending.
    for (const e of [...running].reverse()) {
      const i = Number(e.name.slice('many-'.length, e.name.indexOf(':')))
      emu.release('held', e.name, { output: { i } })
    }
    const bodies = await Promise.all(answers)
    bodies.forEach((r, i) => {
      expect(r.json).toMatchObject({
        Name: expect.stringMatching(new RegExp(`^many-${i}:`)),
        Status: 'Succeeded',
        Output: JSON.stringify({ i })
      })
    })
  })

  it('a client that aborts a held StartSyncExecution ends the request, not the execution', async () => {
    const abort = new AbortController()
    const answer = sync(emu, { FlowName: 'held', ExecutionName: 'abandoned' }, abort.signal)
    const request = await held(emu, 'abandoned')
    abort.abort()
    await expect(answer).rejects.toThrow()
    await emu.waitForRequest((r) => r === request && r.holding === false)
    expect(request.status).toBe(0)
    expect(emu.execution('held', 'abandoned')?.status).toBe('Running')
    emu.release('held', 'abandoned')
    expect(emu.execution('held', 'abandoned')).toMatchObject({
      status: 'Succeeded',
      output: '{"done":true}'
    })
  })

  it('a base name several express executions share is ambiguous to the test API', async () => {
    const answers = [0, 1].map(() => sync(emu, { FlowName: 'held', ExecutionName: 'twin' }))
    await held(emu, 'twin', 2)
    expect(() => emu.release('held', 'twin')).toThrow('ambiguous')
    for (const e of emu.executions('held').filter((x) => x.name.startsWith('twin:'))) {
      emu.release('held', e.name)
    }
    await Promise.all(answers)
  })

  it('Qualifier selects the version an express execution runs', async () => {
    emu.addFlow({ ...QUICK, name: 'versioned', output: { v: 1 } })
    emu.publishFlowVersion('versioned')
    emu.addFlow({ ...QUICK, name: 'versioned', output: { v: 2 } })
    const pinned = await sync(emu, { FlowName: 'versioned', Qualifier: '1' })
    const latest = await sync(emu, { FlowName: 'versioned' })
    expect([pinned.json?.Output, latest.json?.Output]).toEqual(['{"v":1}', '{"v":2}'])
    expect(emu.executions('versioned').map((e) => e.version)).toEqual(['1', undefined])
    expectError(
      await sync(emu, { FlowName: 'versioned', Qualifier: '2' }),
      404,
      'FlowVersionNotExists'
    )
  })
})

describe('express time limit', () => {
  let emu: Emulator

  beforeAll(async () => {
    // 5 emulated minutes pass in 30 ms: the answers below do not depend on how long that takes.
    emu = await startEmulator({
      speed: 10_000,
      rateLimit: null,
      flows: [
        {
          name: 'slow',
          executionMode: 'Express',
          steps: [{ type: 'wait', name: 'w', durationMs: 6 * 60_000 }]
        },
        { ...HELD, name: 'forgotten' },
        {
          name: 'own-timeout',
          executionMode: 'Express',
          timeoutMs: 60_000,
          steps: [{ type: 'wait', name: 'w', durationMs: 2 * 60_000 }]
        }
      ]
    })
  })
  afterAll(() => emu.close())

  const lasted = (r: RawResponse): number =>
    Date.parse(String(r.json?.StoppedTime)) - Date.parse(String(r.json?.StartedTime))

  it('an express execution ends TimedOut after 5 emulated minutes', async () => {
    const r = await sync(emu, { FlowName: 'slow' })
    expect(r.json).toMatchObject({ Status: 'TimedOut', ErrorCode: 'FnF.Timeout' })
    expect(r.json?.ErrorMessage).toContain('300000 ms')
    expect(lasted(r)).toBe(300_000)
  })

  it('so does a held one that no test releases', async () => {
    const r = await sync(emu, { FlowName: 'forgotten', ExecutionName: 'f' })
    expect(r.json).toMatchObject({ Status: 'TimedOut', ErrorCode: 'FnF.Timeout' })
    expect(lasted(r)).toBe(300_000)
    expect(() => emu.release('forgotten', 'f')).toThrow('not held running')
  })

  it("a flow's own shorter timeout applies first", async () => {
    const r = await sync(emu, { FlowName: 'own-timeout' })
    expect(r.json).toMatchObject({ Status: 'TimedOut', ErrorCode: 'FnF.Timeout' })
    expect(lasted(r)).toBe(60_000)
  })
})

describe('StartSyncExecution rate limit', () => {
  it('falls in the bucket of "every other API" (10, refilled at 2 per second)', () => {
    const limiter = new RateLimiter()
    expect(limiter.limitFor('StartSyncExecution')).toEqual(DEFAULT_RATE_LIMITS['*'])
    expect(DEFAULT_RATE_LIMITS['*']).toEqual({ burst: 10, refillPerSecond: 2 })
    for (const action of ['PublishFlowVersion', 'ListFlowAliases', 'CreateFlowAlias']) {
      expect(limiter.limitFor(action)).toEqual(DEFAULT_RATE_LIMITS['*'])
    }
  })
})
