/**
 * Every documented parameter of the APIs served is implemented or refused, never ignored; the README
 * table says which, and stays in step with `actions/parameters.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { Emulator } from '../index.js'
import { ACTIONS } from '../actions/index.js'
import { API_PARAMETERS } from '../actions/parameters.js'
import { call, expectError, startHeld } from './support/call.js'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** A request each API accepts, with the refused parameter to add. */
const BASE: Record<string, { params: Record<string, string>; method: 'GET' | 'POST' }> = {
  DescribeExecution: { params: { FlowName: 'held', ExecutionName: 'p-1' }, method: 'GET' },
  GetExecutionHistory: { params: { FlowName: 'held', ExecutionName: 'p-1' }, method: 'GET' },
  StartExecution: { params: { FlowName: 'held', ExecutionName: 'p-new' }, method: 'POST' },
  StopExecution: { params: { FlowName: 'held', ExecutionName: 'p-1' }, method: 'POST' },
  DescribeFlow: { params: { Name: 'held' }, method: 'GET' },
  ListExecutions: { params: { FlowName: 'held' }, method: 'GET' }
}

const REFUSED = Object.entries(API_PARAMETERS).flatMap(([api, params]) =>
  Object.entries(params)
    .filter(([, p]) => p.use === 'refused')
    .map(([name]) => [api, name] as const)
)

let emu: Emulator
beforeAll(async () => {
  emu = await startHeld()
  emu.createExecution('held', 'p-1')
})
afterAll(() => emu.close())

describe('the parameter table', () => {
  it('covers exactly the Actions the emulator serves', () => {
    expect(Object.keys(API_PARAMETERS).sort()).toEqual([...ACTIONS.keys()].sort())
  })

  it('is the README table, row for row', () => {
    const section = README.slice(README.indexOf('### Parameters'))
    const rows = [...section.matchAll(/^\| (\w+) +\| `(\w+)` +\| (implemented|refused) +\|/gm)].map(
      (m) => `${m[1]} ${m[2]} ${m[3]}`
    )
    const expected = Object.entries(API_PARAMETERS).flatMap(([api, params]) =>
      Object.entries(params).map(([name, p]) => `${api} ${name} ${p.use}`)
    )
    expect(rows).toEqual(expected)
  })

  it('refuses, rather than ignores, what the emulator does not model', () => {
    expect(REFUSED.map(([api, name]) => `${api}.${name}`).sort()).toEqual([
      'StartExecution.CallbackFnFTaskToken'
    ])
  })
})

describe('refused parameters', () => {
  it.each(REFUSED)('%s %s: 400 InvalidArgument naming it, and nothing done', async (api, name) => {
    const base = BASE[api]!
    const before = emu.execution('held', 'p-new')
    const r = await call(emu, api, { ...base.params, [name]: '1' }, { method: base.method })
    expect(expectError(r, 400, 'InvalidArgument')).toMatch(
      new RegExp(`^Parameter error\\. ${name} is not implemented by the emulator`)
    )
    expect(emu.execution('held', 'p-new')).toEqual(before)
    expect(emu.execution('held', 'p-1')?.status).toBe('Running')
  })

  it.each(REFUSED)('%s %s: refused even when empty', async (api, name) => {
    const base = BASE[api]!
    const r = await call(emu, api, { ...base.params, [name]: '' }, { method: base.method })
    expectError(r, 400, 'InvalidArgument')
  })

  it.each(Object.keys(BASE))('%s answers the same request without them', async (api) => {
    const base = BASE[api]!
    const r = await call(emu, api, base.params, { method: base.method })
    expect(r.status).toBe(200)
  })
})
