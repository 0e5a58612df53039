/**
 * ListExecutions: StartedTimeBegin / StartedTimeEnd in any RFC 3339 form, malformed times refused,
 * and MetadataOnly.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../index.js'
import { call, expectError } from './support/call.js'

interface Listed {
  Name: string
  Input?: string
  Output?: string
  FlowDefinition?: string
}

let emu: Emulator
/** Emulated start of each execution, epoch ms. */
const started: Record<string, number> = {}

beforeAll(async () => {
  emu = await startEmulator({
    rateLimit: null,
    flows: [
      { name: 'held', hold: true, output: { done: true }, steps: [{ type: 'pass', name: 'p' }] }
    ]
  })
  for (const name of ['a', 'b', 'c']) {
    emu.createExecution('held', name, { name })
    started[name] = Math.floor(emu.execution('held', name)!.startedAt)
  }
  emu.release('held', 'a', { status: 'Succeeded' })
})
afterAll(() => emu.close())

async function list(params: Record<string, string>): Promise<Listed[]> {
  const r = await call(emu, 'ListExecutions', { FlowName: 'held', ...params })
  expect(r.status).toBe(200)
  return r.json?.Executions as Listed[]
}

/** The same instant written with an offset of `minutes` east of UTC. */
function withOffset(ms: number, minutes: number, fraction = '.SSS'): string {
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 19)
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0')
  return `${local}${fraction === '.SSS' ? `.${millis}` : fraction}${offset}`
}

describe('StartedTimeBegin / StartedTimeEnd', () => {
  it('reads +08:00, -05:30 and Z as the instants they name (both ends inclusive)', async () => {
    const b = started.b!
    for (const minutes of [480, -330, 0]) {
      const at = withOffset(b, minutes)
      const names = (await list({ StartedTimeBegin: at, StartedTimeEnd: at })).map((e) => e.Name)
      // Executions started within the same millisecond as b are at the same instant.
      expect(names).toEqual(Object.keys(started).filter((n) => started[n] === b))
    }
  })

  it('takes any number of fractional digits, and none', async () => {
    const b = started.b!
    const micro = withOffset(b, 480, `.${String(b % 1000).padStart(3, '0')}999`)
    expect((await list({ StartedTimeEnd: micro })).map((e) => e.Name)).toContain('b')
    // Whole seconds, rounded down: the start of b's second includes b.
    const second = withOffset(b - (b % 1000), 480, '')
    expect((await list({ StartedTimeBegin: second })).map((e) => e.Name)).toContain('b')
  })

  it('a begin after every start lists nothing', async () => {
    const late = withOffset(Math.max(...Object.values(started)) + 1, -600)
    expect(await list({ StartedTimeBegin: late })).toEqual([])
  })

  it.each([
    '2019-01-01T01:01:01',
    '2019-01-01 01:01:01Z',
    '2019-01-01T01:01:01+0800',
    '2019-01-01T01:01:01+08',
    '2019-02-29T01:01:01Z',
    '2019-01-01T24:00:00Z',
    '2019-01-01T01:01:01+24:00',
    '2019-01-01T01:01:01.Z',
    '1546304461001',
    ''
  ])('refuses %p with 400 InvalidArgument naming the parameter', async (time) => {
    for (const name of ['StartedTimeBegin', 'StartedTimeEnd']) {
      const r = await call(emu, 'ListExecutions', { FlowName: 'held', [name]: time })
      expect(expectError(r, 400, 'InvalidArgument')).toContain(name)
    }
  })
})

describe('MetadataOnly', () => {
  it('true leaves out Input, Output and FlowDefinition of each entry', async () => {
    const entries = await list({ MetadataOnly: 'true' })
    expect(entries.map((e) => e.Name)).toEqual(['a', 'b', 'c'])
    for (const e of entries) {
      expect(e).not.toHaveProperty('Input')
      expect(e).not.toHaveProperty('Output')
      expect(e).not.toHaveProperty('FlowDefinition')
    }
  })

  it('false (or absent) keeps them', async () => {
    for (const params of [{ MetadataOnly: 'false' }, {}]) {
      const [a] = await list(params)
      expect(a).toMatchObject({ Name: 'a', Input: '{"name":"a"}', Output: '{"done":true}' })
      expect(a?.FlowDefinition).toEqual(expect.any(String))
    }
  })

  it.each(['TRUE', '1', 'yes', ''])('refuses MetadataOnly=%p', async (MetadataOnly) => {
    const r = await call(emu, 'ListExecutions', { FlowName: 'held', MetadataOnly })
    expect(expectError(r, 400, 'InvalidArgument')).toContain('MetadataOnly')
  })
})
