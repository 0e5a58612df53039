/**
 * The resumable history reader (src/history/fetch.ts, createHistoryReader): live progress reads a
 * page at a time and picks up where it stopped, against histories the emulator compiles.
 */
import { describe, expect, it } from '@jest/globals'
import type { FlowScript } from '../../emulator/index.js'
import { createHistoryModel, createHistoryReader } from '../../src/history/index.js'
import { nextLimit } from '../../src/step/live-progress.js'
import { T0, MINUTE, eventsOf, fakeService, FOREACH } from '../support/progress-histories.js'

const target = { flowName: 'deploy', executionName: 'e-1' }

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
