/**
 * ListExecutions read as hostile input (src/step/listing.ts), against the emulator: its real pages,
 * and pages it answers as a hostile endpoint would (the `answer` and `hang` faults). Assertions are
 * on what the read believes and on the requests it sent, never on elapsed time.
 */
import { describe, expect, it } from '@jest/globals'
import { Deadline } from '../../src/step/deadline.js'
import {
  commonPrefix,
  earliestSecond,
  FIRST_OUTPUT_PAGE,
  Listing,
  pageBudgetMs,
  PAGE_BUDGET_MS,
  type ListingRead
} from '../../src/step/listing.js'
import { useFollowing } from '../support/follow.js'

const FLOW = 'fan-out'
const f = useFollowing({
  flows: [
    { name: FLOW, hold: true, steps: [{ type: 'task', name: 'shard', durationMs: 0 }] },
    { name: 'other', hold: true, steps: [{ type: 'task', name: 'shard', durationMs: 0 }] }
  ]
})
let group = 0

function listing(names: readonly string[], timeoutMs = 10 * 60_000) {
  const log: string[] = []
  const read = new Listing(
    {
      client: f.client(),
      flowName: FLOW,
      deadline: Deadline.after(timeoutMs),
      signal: new AbortController().signal,
      log: (line) => log.push(line)
    },
    new Set(names)
  )
  return { read, log }
}

/** `count` held executions of FLOW named `g<N>-0000`…, created now. */
function executions(count: number): string[] {
  const prefix = `g${++group}-`
  const names = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`)
  for (const name of names) f.emulator.createExecution(FLOW, name, {})
  return names
}

const listRequests = (prefix: string) =>
  f.emulator.requests.filter(
    (r) => r.action === 'ListExecutions' && r.params.ExecutionNamePrefix === prefix
  )

/** A page as the service writes it (`answer` fault). */
function page(executions: object[], nextToken?: string): string {
  return JSON.stringify({
    RequestId: 'r',
    Executions: executions,
    ...(nextToken ? { NextToken: nextToken } : {})
  })
}

function failed(read: ListingRead): string {
  if (read.ok) throw new Error('the read was believed')
  return read.why
}

describe('Listing.read', () => {
  it('reads statuses only (MetadataOnly), pages of 99, and keeps the followed names only', async () => {
    const names = executions(150)
    const strangers = names.slice(140)
    const followed = names.slice(0, 140)
    const prefix = commonPrefix(names)
    const read = await listing(followed).read.read({ prefix })
    if (!read.ok) throw new Error(read.why)
    expect(read.executions.map((e) => e.Name)).toEqual(followed)
    for (const e of read.executions) expect(e.Output).toBeUndefined()
    // Every entry of the flow is counted, followed or not: what a filtered read would list.
    expect(read.statusCounts.get('Running')).toBe(150)
    expect(listRequests(prefix).map((r) => [r.params.Limit, r.params.MetadataOnly])).toEqual([
      ['99', 'true'],
      ['99', 'true']
    ])
    expect(strangers).toHaveLength(10)
    for (const name of names) f.emulator.release(FLOW, name, { status: 'Stopped' })
  })

  it('drops entries of another flow, of names not followed, and a name listed twice', async () => {
    const [mine, theirs] = executions(2)
    f.emulator.injectFault({
      kind: 'answer',
      action: 'ListExecutions',
      body: page([
        { Name: mine, FlowName: 'other', Status: 'Failed' },
        { Name: 'not-followed', FlowName: FLOW, Status: 'Failed' },
        { Name: theirs, FlowName: FLOW, Status: 'Running' },
        { Name: theirs, FlowName: FLOW, Status: 'Succeeded' }
      ])
    })
    const read = await listing([mine!, theirs!]).read.read({ prefix: '' })
    if (!read.ok) throw new Error(read.why)
    expect(read.executions).toEqual([{ Name: theirs, FlowName: FLOW, Status: 'Running' }])
    f.emulator.release(FLOW, mine!, { status: 'Stopped' })
    f.emulator.release(FLOW, theirs!, { status: 'Stopped' })
  })

  it('ends at a NextToken it has already been given', async () => {
    const names = executions(3)
    for (let i = 0; i < 2; i++) {
      f.emulator.injectFault({ kind: 'answer', action: 'ListExecutions', body: page([], 'again') })
    }
    const prefix = commonPrefix(names)
    const why = failed(await listing(names).read.read({ prefix }))
    expect(why).toMatch(/NextToken it had already given/)
    expect(listRequests(prefix)).toHaveLength(2)
    for (const name of names) f.emulator.release(FLOW, name, { status: 'Stopped' })
  })

  it('ends when its pages go on past what the executions followed can fill', async () => {
    // Fresh tokens every page (a listing without end), two executions followed: room for four.
    const names = executions(2)
    for (let i = 0; i < 2; i++) {
      f.emulator.injectFault({ kind: 'answer', action: 'ListExecutions', body: page([], `t${i}`) })
    }
    const prefix = commonPrefix(names)
    const why = failed(await listing(names).read.read({ prefix }))
    expect(why).toMatch(/went on past room for 4 executions while 2 are followed/)
    expect(listRequests(prefix)).toHaveLength(2)
    for (const name of names) f.emulator.release(FLOW, name, { status: 'Stopped' })
  })

  it('ends at a page holding more executions than asked for', async () => {
    const names = executions(1)
    const flood = Array.from({ length: 100 }, (_, i) => ({ Name: `x${i}`, Status: 'Running' }))
    f.emulator.injectFault({ kind: 'answer', action: 'ListExecutions', body: page(flood) })
    const why = failed(await listing(names).read.read({ prefix: names[0]! }))
    expect(why).toBe('a page held 100 executions, more than the 99 asked for')
    f.emulator.release(FLOW, names[0]!, { status: 'Stopped' })
  })

  it('gives a page that does not answer a budget well under the time left', async () => {
    expect(pageBudgetMs(60 * 60_000)).toBe(PAGE_BUDGET_MS)
    expect(pageBudgetMs(20_000)).toBe(5000)
    expect(pageBudgetMs(0)).toBe(2000)
    const names = executions(1)
    f.emulator.injectFault({ kind: 'hang', action: 'ListExecutions' })
    // 8 s left: the page gets 2 s, and the read says so rather than waiting on.
    const why = failed(await listing(names, 8000).read.read({ prefix: names[0]! }))
    expect(why).toBe('a page did not answer within 2s')
    f.emulator.release(FLOW, names[0]!, { status: 'Stopped' })
  })

  it('halves a refused page size, says so once, and keeps the size that was taken', async () => {
    const names = executions(60)
    const prefix = commonPrefix(names)
    f.emulator.injectFault({
      kind: 'answer',
      action: 'ListExecutions',
      status: 400,
      body: JSON.stringify({ Code: 'InvalidArgument', Message: 'Limit must be 1-50.' })
    })
    const { read, log } = listing(names)
    const first = await read.read({ prefix })
    const second = await read.read({ prefix })
    expect(first.ok && first.executions).toHaveLength(60)
    expect(second.ok && second.executions).toHaveLength(60)
    expect(listRequests(prefix).map((r) => r.params.Limit)).toEqual(['99', '49', '49', '49', '49'])
    expect(log).toHaveLength(1)
    expect(log[0]).toMatch(
      /^ListExecutions refused Limit=99 \(HTTP 400 InvalidArgument: Limit must be 1-50\. \(request id [^)]+\)\); reading pages of 49 from now on\.$/
    )
    for (const name of names) f.emulator.release(FLOW, name, { status: 'Stopped' })
  })

  it('sizes pages with outputs from the largest entry, and halves one too large to read', async () => {
    const names = executions(12)
    const prefix = commonPrefix(names)
    const big = 'x'.repeat(700 * 1024)
    for (const name of names) f.emulator.release(FLOW, name, { output: { name, big } })
    const { read } = listing(names)
    const all = await read.read({ prefix, outputsOf: 'Succeeded' })
    if (!all.ok) throw new Error(all.why)
    expect(all.executions).toHaveLength(12)
    for (const e of all.executions) expect(JSON.parse(e.Output!)).toEqual({ name: e.Name, big })
    // The first page asks for 4, the rest as many as 700 KiB entries allow in 8 MiB (with margin).
    const limits = listRequests(prefix).map((r) => [r.params.Limit, r.params.Status])
    expect(limits).toEqual([
      [String(FIRST_OUTPUT_PAGE), 'Succeeded'],
      ['7', 'Succeeded'],
      ['7', 'Succeeded']
    ])
    expect(listRequests(prefix).every((r) => r.params.MetadataOnly === undefined)).toBe(true)

    // An answer over the client's 16 MiB cap: the same page again at half the size.
    f.emulator.injectFault({
      kind: 'answer',
      action: 'ListExecutions',
      body: `{"Executions":[{"Name":"a","Status":"Succeeded","Output":"${'y'.repeat(17 * 1024 * 1024)}"}]}`
    })
    const again = await read.read({ prefix, outputsOf: 'Succeeded' })
    expect(again.ok && again.executions).toHaveLength(12)
    expect(
      listRequests(prefix)
        .slice(3)
        .map((r) => r.params.Limit)
    ).toEqual(['7', '3', '3', '3', '3'])
  })

  it('stops paging once every name it waits for has been listed', async () => {
    const names = executions(250)
    const prefix = commonPrefix(names)
    const read = await listing(names).read.read({ prefix, until: new Set(names.slice(0, 120)) })
    expect(read.ok && read.executions).toHaveLength(198)
    expect(listRequests(prefix)).toHaveLength(2)
    for (const name of names) f.emulator.release(FLOW, name, { status: 'Stopped' })
  })
})

describe('narrowing', () => {
  it('commonPrefix is the longest prefix every name shares', () => {
    expect(commonPrefix(['shard-0001', 'shard-0002', 'shard-0010'])).toBe('shard-00')
    expect(commonPrefix(['a', 'b'])).toBe('')
    expect(commonPrefix(['same'])).toBe('same')
    expect(commonPrefix([])).toBe('')
  })

  it('earliestSecond is the earliest start, floored to the second, once every one is known', () => {
    expect(earliestSecond(['2026-01-01T00:00:05.900Z', '2026-01-01T08:00:01.200+08:00'])).toBe(
      '2026-01-01T00:00:01Z'
    )
    expect(earliestSecond(['2026-01-01T00:00:05Z', undefined])).toBeUndefined()
    expect(earliestSecond(['not a time'])).toBeUndefined()
    expect(earliestSecond([])).toBeUndefined()
  })
})
