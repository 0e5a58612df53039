/**
 * The resumable history reader (src/history/fetch.ts, createHistoryReader): live progress reads a
 * page at a time and picks up where it stopped, against histories the emulator compiles.
 */
import { describe, expect, it } from '@jest/globals'
import { compileTimeline } from '../../emulator/compile.js'
import type { FlowScript } from '../../emulator/index.js'
import type { HistoryEvent, HistoryPage } from '../../src/fnf/types.js'
import {
  createHistoryModel,
  createHistoryReader,
  type HistoryClient,
  type HistoryRequest
} from '../../src/history/index.js'
import { nextLimit } from '../../src/step/progress.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const MINUTE = 60_000

function eventsOf(flow: FlowScript): Array<HistoryEvent & { at: number }> {
  return compileTimeline(flow, {}, T0).events.map((e) => ({
    StepName: e.stepName,
    Type: e.type,
    EventId: e.id,
    ScheduleEventId: e.scheduleEventId,
    EventDetail: e.detail,
    Time: new Date(e.at).toISOString(),
    at: e.at
  }))
}

/**
 * Serves the events that have happened by `clock()`, like the emulator: NextToken is the EventId
 * to go on from, and absent at the end of what exists so far (`tokenAtEnd`: a service that hands
 * out a token there too).
 */
function fakeService(
  events: ReadonlyArray<HistoryEvent & { at: number }>,
  clock: () => number,
  options: { tokenAtEnd?: boolean; error?: () => unknown } = {}
) {
  const requests: HistoryRequest[] = []
  const client: HistoryClient = {
    getExecutionHistory(request) {
      requests.push(request)
      const failure = options.error?.()
      if (failure !== undefined) return Promise.reject(failure)
      const visible = events.filter((e) => e.at <= clock())
      const from = request.nextToken === undefined ? 0 : Number(request.nextToken) - 1
      const page = visible.slice(from, from + (request.limit ?? 60))
      const end = from + page.length
      const result: HistoryPage = { Events: page.map(({ at: _, ...e }) => e) }
      if (end < visible.length || (options.tokenAtEnd === true && page.length > 0)) {
        result.NextToken = String(end + 1)
      }
      return Promise.resolve(result)
    }
  }
  return { client, requests }
}

const target = { flowName: 'deploy', executionName: 'e-1' }

const FOREACH: FlowScript = {
  name: 'deploy',
  steps: [
    { type: 'task', name: 'build', durationMs: 30_000 },
    {
      type: 'parallel',
      name: 'fanout',
      branches: [
        [{ type: 'task', name: 'notify', durationMs: 1000 }],
        [
          {
            type: 'foreach',
            name: 'each-region',
            iterations: 12,
            steps: [{ type: 'task', name: 'push-image', durationMs: 10 * MINUTE }]
          }
        ]
      ]
    }
  ]
}

describe('the resumable history reader', () => {
  it.each([false, true])(
    'folds every event once, reading again at most the last page (token at the end: %s)',
    async (tokenAtEnd) => {
      const events = eventsOf(FOREACH)
      let now = T0
      const service = fakeService(events, () => now, { tokenAtEnd })
      const reader = createHistoryReader(service.client, target)
      let reread = 0
      for (; now <= T0 + 12 * MINUTE; now += MINUTE) {
        const page = await reader.readPage(nextLimit(reader))
        reread += page.reread
        expect(page.reread).toBeLessThanOrEqual(100)
      }
      const result = await reader.readToEnd()
      const whole = createHistoryModel()
      whole.add(events)
      expect(result.complete).toBe(true)
      expect(result.events).toBe(events.length)
      expect(result.report.stats.duplicateEvents).toBe(0)
      expect(result.report).toEqual(whole.result())
      if (tokenAtEnd) expect(reread).toBe(0)
    }
  )

  it('continues from a NextToken; without one, asks for the same page again and skips what it folded', async () => {
    const events = eventsOf(FOREACH)
    let now = T0 + 31_000 // build done, fanout started
    const service = fakeService(events, () => now)
    const reader = createHistoryReader(service.client, target)
    const first = await reader.readPage(999)
    expect(first).toMatchObject({ more: false, reread: 0 })
    now += MINUTE
    const second = await reader.readPage(nextLimit(reader))
    expect(service.requests.map((r) => r.nextToken)).toEqual([undefined, undefined])
    expect(second.reread).toBe(first.added)
    expect(service.requests[1]!.limit).toBe(first.added > 100 ? first.added - 1 : 100)
  })

  it('reads an over-long last page once more, so the service hands out a token at its end', async () => {
    const flow: FlowScript = {
      name: 'deploy',
      steps: [
        {
          type: 'foreach',
          name: 'warm',
          iterations: 60,
          steps: [{ type: 'task', name: 'ping', durationMs: 10 }]
        },
        { type: 'task', name: 'deploy', durationMs: 10 * MINUTE },
        {
          type: 'foreach',
          name: 'each-region',
          iterations: 30,
          concurrency: 1,
          steps: [{ type: 'task', name: 'push-image', durationMs: MINUTE / 3 }]
        }
      ]
    }
    const events = eventsOf(flow)
    let now = T0 + MINUTE
    const service = fakeService(events, () => now)
    const reader = createHistoryReader(service.client, target)
    const rereads: number[] = []
    for (; now <= T0 + 25 * MINUTE; now += MINUTE) {
      rereads.push((await reader.readPage(nextLimit(reader))).reread)
    }
    const first = (
      await createHistoryReader(fakeService(events, () => T0 + MINUTE).client, target).readPage(999)
    ).added
    expect(first).toBeGreaterThan(300)
    // The second read asks for the first page again but its last event; from then on only a small
    // tail is read again.
    expect(service.requests[1]).toMatchObject({ limit: first - 1 })
    expect(rereads[1]).toBe(first - 1)
    expect(service.requests[2]!.nextToken).toBe(String(first))
    expect(Math.max(...rereads.slice(2))).toBeLessThan(100)
    const result = await reader.readToEnd()
    expect(result.events).toBe(events.length)
    expect(result.report.stats.duplicateEvents).toBe(0)
  })

  it('asks for a small page at the end of the history, the whole page while behind', () => {
    const at = (pages: number, behind: boolean, lastPageEvents: number) =>
      nextLimit({ pages, behind, lastPageEvents } as never)
    expect(at(0, false, 0)).toBe(999)
    expect(at(3, true, 999)).toBe(999)
    expect(at(3, false, 12)).toBe(100)
    // An over-long last page is asked for exactly, so the service hands out a token at its end.
    expect(at(3, false, 450)).toBe(449)
  })
})
