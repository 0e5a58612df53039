/**
 * The documented limits the emulator enforces (README "Limits and parameters"): list and history
 * page sizes, the long poll's range, StopExecution's Error and Cause, the 1,024 KiB request and the
 * 64 KiB event.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../index.js'
import { MAX_EVENT_DETAIL_BYTES } from '../detail.js'
import { MAX_REQUEST_BYTES } from '../server.js'
import { call, expectError, HELD } from './support/call.js'

const KiB = 1024

interface Event {
  Type: string
  EventDetail: string
}

let emu: Emulator
beforeAll(async () => {
  emu = await startEmulator({
    rateLimit: null,
    flows: [
      HELD,
      { name: 'padded', padBytes: 64 * KiB, steps: [{ type: 'task', name: 'big' }] },
      { name: 'overpadded', padBytes: 200 * KiB, steps: [{ type: 'task', name: 'big' }] },
      // 48 KiB of output: whole in the last event under CloudFlow's 64 KiB, clipped under 32 KiB.
      {
        name: 'roomy',
        output: { blob: 'o'.repeat(48 * KiB) },
        steps: [{ type: 'pass', name: 'p' }]
      }
    ]
  })
  for (let i = 0; i < 3; i++) emu.createExecution('held', `l-${i}`)
})
afterAll(() => emu.close())

async function history(flow: string, name: string): Promise<Event[]> {
  const r = await call(emu, 'GetExecutionHistory', { FlowName: flow, ExecutionName: name })
  expect(r.status).toBe(200)
  return r.json?.Events as Event[]
}

describe('ListExecutions Limit: 1-99, default 60 (SDK model; the stricter reading)', () => {
  it.each(['0', '100', '1000', '-1', '1.5', 'x', ''])('refuses Limit=%p', async (Limit) => {
    const r = await call(emu, 'ListExecutions', { FlowName: 'held', Limit })
    expect(expectError(r, 400, 'InvalidArgument')).toContain('Limit')
  })

  it.each(['1', '99'])('accepts Limit=%s', async (Limit) => {
    const r = await call(emu, 'ListExecutions', { FlowName: 'held', Limit })
    expect(r.status).toBe(200)
    expect((r.json?.Executions as unknown[]).length).toBe(Math.min(3, Number(Limit)))
  })
})

describe('GetExecutionHistory Limit: 1-999, default 60', () => {
  it.each(['0', '1000', 'x'])('refuses Limit=%p', async (Limit) => {
    const r = await call(emu, 'GetExecutionHistory', {
      FlowName: 'held',
      ExecutionName: 'l-0',
      Limit
    })
    expect(expectError(r, 400, 'InvalidArgument')).toContain('Limit must be an integer in [1, 999]')
  })

  it('accepts Limit=999', async () => {
    const r = await call(emu, 'GetExecutionHistory', {
      FlowName: 'held',
      ExecutionName: 'l-0',
      Limit: '999'
    })
    expect(r.status).toBe(200)
  })
})

describe('DescribeExecution WaitTimeSeconds: 0-60', () => {
  it.each(['61', '-1', '2.5', 'soon'])('refuses WaitTimeSeconds=%p', async (WaitTimeSeconds) => {
    const r = await call(emu, 'DescribeExecution', {
      FlowName: 'held',
      ExecutionName: 'l-0',
      WaitTimeSeconds
    })
    expect(expectError(r, 400, 'InvalidArgument')).toContain('WaitTimeSeconds')
  })

  it('holds a 60 s long poll until the execution ends', async () => {
    emu.createExecution('held', 'w-60')
    const poll = call(emu, 'DescribeExecution', {
      FlowName: 'held',
      ExecutionName: 'w-60',
      WaitTimeSeconds: '60'
    })
    await emu.waitForRequest((r) => r.params.ExecutionName === 'w-60' && r.holding === true)
    emu.release('held', 'w-60', { status: 'Succeeded' })
    expect((await poll).json?.Status).toBe('Succeeded')
  })
})

describe('StopExecution Error (1-128) and Cause (1-4096)', () => {
  const stop = (name: string, extra: Record<string, string>) =>
    call(
      emu,
      'StopExecution',
      { FlowName: 'held', ExecutionName: name, ...extra },
      { method: 'POST' }
    )

  it.each([
    ['Error', 0],
    ['Error', 129],
    ['Cause', 0],
    ['Cause', 4097]
  ])('refuses %s of %i characters and leaves the execution running', async (name, length) => {
    const execution = `s-${name}-${length}`
    emu.createExecution('held', execution)
    const r = await stop(execution, { [name]: 'x'.repeat(length) })
    expect(expectError(r, 400, 'InvalidArgument')).toContain(name)
    expect(emu.execution('held', execution)?.status).toBe('Running')
  })

  it('puts the longest Error and Cause whole in the ExecutionStopped event', async () => {
    emu.createExecution('held', 's-max')
    const error = `E${'e'.repeat(127)}`
    const cause = `C${'é'.repeat(4095)}`
    const r = await stop('s-max', { Error: error, Cause: cause })
    expect(r.json).toMatchObject({ Name: 's-max', Status: 'Stopped' })
    const last = (await history('held', 's-max')).at(-1)
    expect(last?.Type).toBe('ExecutionStopped')
    expect(JSON.parse(last?.EventDetail ?? '')).toEqual({ error, cause })
  })

  it('a stop without Error or Cause has an empty ExecutionStopped detail', async () => {
    emu.createExecution('held', 's-bare')
    expect((await stop('s-bare', {})).status).toBe(200)
    const last = (await history('held', 's-bare')).at(-1)
    expect(last).toMatchObject({ Type: 'ExecutionStopped', EventDetail: '{}' })
  })
})

describe('a request is at most 1,024 KiB: request target plus body', () => {
  /** The code of an unsigned request of exactly this many target and body bytes. */
  async function codeFor(targetBytes: number, bodyBytes: number): Promise<unknown> {
    // `/?x=` is 4 bytes; the rest of the target is the query value.
    const target = targetBytes > 1 ? `/?x=${'q'.repeat(targetBytes - 4)}` : '/'
    const body = bodyBytes > 0 ? `y=${'b'.repeat(bodyBytes - 2)}` : undefined
    const res = await fetch(`${emu.url}${target}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    })
    const json = (await res.json()) as { Code?: string; Message?: string }
    if (json.Code === 'EntityTooLarge') {
      expect(res.status).toBe(400)
      expect(json.Message).toBe(
        `The payload size exceeds maximum allowed size (${MAX_REQUEST_BYTES} bytes).`
      )
    }
    return json.Code
  }

  it('is 1,048,576 bytes', () => {
    expect(MAX_REQUEST_BYTES).toBe(1024 * KiB)
  })

  it('counts the body: at the limit it goes on to the other checks, one byte over it is refused', async () => {
    expect(await codeFor(1, MAX_REQUEST_BYTES - 1)).toBe('MissingRequiredParams')
    expect(await codeFor(1, MAX_REQUEST_BYTES)).toBe('EntityTooLarge')
  })

  it('counts the query string of a GET the same way', async () => {
    expect(await codeFor(MAX_REQUEST_BYTES, 0)).toBe('MissingRequiredParams')
    expect(await codeFor(MAX_REQUEST_BYTES + 1, 0)).toBe('EntityTooLarge')
  })

  it('counts both together: two halves that fit alone are refused', async () => {
    expect(await codeFor(MAX_REQUEST_BYTES / 2 + 1, MAX_REQUEST_BYTES / 2)).toBe('EntityTooLarge')
  })

  it('refuses a signed StartExecution whose Input makes it too large, and starts nothing', async () => {
    const Input = JSON.stringify({ blob: 'i'.repeat(MAX_REQUEST_BYTES) })
    const r = await call(
      emu,
      'StartExecution',
      { FlowName: 'held', ExecutionName: 'too-big', Input },
      { method: 'POST' }
    )
    expectError(r, 400, 'EntityTooLarge')
    expect(emu.execution('held', 'too-big')).toBeUndefined()
  })
})

describe('an event is at most 64 KiB (CloudFlow)', () => {
  it('is 65,536 bytes', () => {
    expect(MAX_EVENT_DETAIL_BYTES).toBe(64 * KiB)
  })

  it('pads up to 64 KiB and no further', async () => {
    for (const flow of ['padded', 'overpadded']) {
      emu.createExecution(flow, `${flow}-1`)
      await call(emu, 'DescribeExecution', {
        FlowName: flow,
        ExecutionName: `${flow}-1`,
        WaitTimeSeconds: '60'
      })
      const sizes = (await history(flow, `${flow}-1`)).map((e) => Buffer.byteLength(e.EventDetail))
      expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * KiB)
      expect(Math.max(...sizes)).toBeGreaterThan(64 * KiB - 64)
    }
  })

  it('keeps a 48 KiB output whole in ExecutionSucceeded', async () => {
    emu.createExecution('roomy', 'r-1')
    await call(emu, 'DescribeExecution', {
      FlowName: 'roomy',
      ExecutionName: 'r-1',
      WaitTimeSeconds: '60'
    })
    const last = (await history('roomy', 'r-1')).at(-1)
    expect(last?.Type).toBe('ExecutionSucceeded')
    expect(JSON.parse(last?.EventDetail ?? '')).toEqual({ output: { blob: 'o'.repeat(48 * KiB) } })
  })
})
