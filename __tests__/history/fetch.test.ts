import { describe, expect, it } from '@jest/globals'
import type { FnfClient } from '../../src/fnf/client.js'
import type { Execution, HistoryPage } from '../../src/fnf/types.js'
import {
  fetchHistory,
  type HistoryCallOptions,
  type HistoryClient,
  type HistoryRequest
} from '../../src/history/index.js'
import { createHistoryModel } from '../../src/history/index.js'
import { HistoryBuilder } from '../support/history-builder.js'

/** Serves pages in order; records every call. A page may be an Error to throw instead. */
function fakeClient(pages: Array<HistoryPage | Error>): HistoryClient & {
  calls: Array<{ request: HistoryRequest; options?: HistoryCallOptions }>
} {
  const calls: Array<{ request: HistoryRequest; options?: HistoryCallOptions }> = []
  return {
    calls,
    async getExecutionHistory(request, options) {
      calls.push(options === undefined ? { request } : { request, options })
      const page = pages[calls.length - 1]
      if (page === undefined) throw new Error('no more pages')
      if (page instanceof Error) throw page
      return page
    }
  }
}

function history(): HistoryBuilder {
  const h = new HistoryBuilder().started()
  for (let i = 0; i < 10; i++) h.top.pass(`s${i}`)
  h.top.fail('boom', { error: 'E', cause: 'c' })
  h.failed({ error: 'E', cause: 'c' })
  return h
}

const target = { flowName: 'deploy', executionName: 'run-1' }
const execution: Execution = { Name: 'run-1', FlowName: 'deploy', Status: 'Failed' }

// Compile-time: the real client satisfies the interface fetchHistory asks for.
const _realClientFits = (c: FnfClient): HistoryClient => c
void _realClientFits

describe('fetchHistory', () => {
  it('pages until NextToken is absent and folds every page', async () => {
    const h = history()
    const pages = h.pages(10)
    const client = fakeClient(pages)
    const signal = new AbortController().signal
    const deadline = Date.now() + 60_000
    const result = await fetchHistory(client, target, { deadline, signal, execution })
    expect(result.pages).toBe(pages.length)
    expect(result.events).toBe(h.events.length)
    expect(result.complete).toBe(true)
    const model = createHistoryModel()
    model.add(h.events)
    expect(result.report).toEqual(model.result(execution))
    expect(result.report.rootCause).toMatchObject({ pathText: 'boom' })
    expect(client.calls.map((c) => c.request)).toEqual([
      { ...target, limit: 100 },
      ...pages.slice(0, -1).map((p) => ({ ...target, limit: 100, nextToken: p.NextToken }))
    ])
    expect(client.calls[0]!.options).toEqual({ deadline, signal })
  })

  it('a null or wrong-typed event costs only itself: the rest of its page and the root cause survive', async () => {
    const events = history().events as unknown[]
    // In the middle of the page, before the failure.
    events.splice(3, 0, null, 5, 'event')
    const client = fakeClient([{ Events: events as HistoryPage['Events'] }])
    const result = await fetchHistory(client, target, { execution })
    expect(result.complete).toBe(true)
    expect(result.report.rootCause).toMatchObject({ pathText: 'boom', error: 'E', cause: 'c' })
    expect(result.report.stats.oddEvents).toBe(3)
  })

  it('treats an empty NextToken as the end, and clamps the limit to 1–999', async () => {
    const client = fakeClient([{ Events: history().events, NextToken: '' }])
    const result = await fetchHistory(client, target, { limit: 5000 })
    expect(result).toMatchObject({ pages: 1, complete: true })
    expect(client.calls[0]!.request.limit).toBe(999)
    const small = fakeClient([{ Events: [] }])
    await fetchHistory(small, target, { limit: 0 })
    expect(small.calls[0]!.request.limit).toBe(1)
  })

  it('throws when the first page fails: nothing to report', async () => {
    const client = fakeClient([new Error('AccessDenied')])
    await expect(fetchHistory(client, target)).rejects.toThrow('AccessDenied')
  })

  it('returns what it has when a later page fails', async () => {
    const pages = history().pages(10)
    const client = fakeClient([pages[0]!, new Error('Throttled')])
    const result = await fetchHistory(client, target, { execution })
    expect(result).toMatchObject({ pages: 1, events: 10, complete: false })
    expect(String(result.error)).toContain('Throttled')
    expect(result.report.steps.length).toBeGreaterThan(0)
  })

  it('always throws when aborted', async () => {
    const pages = history().pages(10)
    const controller = new AbortController()
    const client = fakeClient([pages[0]!, new Error('aborted')])
    const wrapped: HistoryClient = {
      getExecutionHistory: (req, opts) => {
        if (req.nextToken !== undefined) controller.abort()
        return client.getExecutionHistory(req, opts)
      }
    }
    await expect(fetchHistory(wrapped, target, { signal: controller.signal })).rejects.toThrow(
      'aborted'
    )
  })

  it('stops between pages at the deadline', async () => {
    const pages = history().pages(10)
    let now = 0
    const client = fakeClient(pages)
    const tick: HistoryClient = {
      getExecutionHistory: (req, opts) => {
        now += 600
        return client.getExecutionHistory(req, opts)
      }
    }
    const result = await fetchHistory(tick, target, { deadline: 1000, now: () => now })
    expect(result).toMatchObject({ pages: 2, complete: false })
    expect(String(result.error)).toContain('deadline')
  })

  it('stops on a repeated token and at maxPages', async () => {
    const loop = fakeClient([
      { Events: [], NextToken: 'a' },
      { Events: [], NextToken: 'b' },
      { Events: [], NextToken: 'a' }
    ])
    const result = await fetchHistory(loop, target)
    expect(result).toMatchObject({ pages: 3, complete: false })
    expect(String(result.error)).toContain('"a" twice')
    const endless = fakeClient(
      Array.from({ length: 10 }, (_, i) => ({ Events: [], NextToken: `t${i}` }))
    )
    expect(await fetchHistory(endless, target, { maxPages: 4 })).toMatchObject({
      pages: 4,
      complete: false
    })
  })

  it('tolerates a page without Events', async () => {
    const client = fakeClient([{} as HistoryPage])
    expect(await fetchHistory(client, target)).toMatchObject({
      pages: 1,
      events: 0,
      complete: true
    })
  })
})
