/**
 * Live progress, pure parts and scheduling on a fake clock: the resumable history reader (never an
 * event folded twice, at most one page read again), the running-steps line and its roll-up, caught
 * failures, and the request budget (one history page per interval per execution, first 10 only).
 */
import { describe, expect, it } from '@jest/globals'
import { compileTimeline } from '../../emulator/compile.js'
import type { FlowScript } from '../../emulator/index.js'
import { FnfError } from '../../src/fnf/errors.js'
import type { HistoryEvent, HistoryPage } from '../../src/fnf/types.js'
import {
  createHistoryModel,
  createHistoryReader,
  type HistoryClient,
  type HistoryRequest
} from '../../src/history/index.js'
import { caughtFailures, runningLine, safe } from '../../src/report/progress.js'
import { nextLimit, startProgress } from '../../src/step/progress.js'

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

describe('the running-steps line', () => {
  const reportAt = (flow: FlowScript, at: number) => {
    const model = createHistoryModel()
    model.add(eventsOf(flow).filter((e) => e.at <= at))
    return model.result()
  }

  it('names each running step with its attempt and how long it has run', () => {
    const flow: FlowScript = {
      name: 'f',
      steps: [{ type: 'task', name: 'push-image', durationMs: 60_000, retries: 1 }]
    }
    const line = runningLine(reportAt(flow, T0 + 70_000), T0 + 3 * MINUTE + 10_000)
    expect(line.text).toBe('Running: push-image (attempt 2, 3m 10s)')
  })

  it('changes its key when a step starts a new attempt, not as time passes', () => {
    const flow: FlowScript = {
      name: 'f',
      steps: [{ type: 'task', name: 'push-image', durationMs: 60_000, retries: 1 }]
    }
    const first = runningLine(reportAt(flow, T0 + 10_000), T0 + 10_000)
    const later = runningLine(reportAt(flow, T0 + 20_000), T0 + 20_000)
    const retried = runningLine(reportAt(flow, T0 + 70_000), T0 + 70_000)
    expect(later.key).toBe(first.key)
    expect(retried.key).not.toBe(first.key)
  })

  it('rolls up many iterations of one foreach', () => {
    const line = runningLine(reportAt(FOREACH, T0 + 2 * MINUTE), T0 + 2 * MINUTE)
    expect(line.text).toBe('Running: 12 iterations of each-region')
    expect(line.key.split('\n')).toHaveLength(12)
    expect(line.key).toContain('fanout › branch 1 › each-region › iteration 11 › push-image')
  })

  it('lists a few with their full paths', () => {
    const f: FlowScript = {
      name: 'f',
      steps: [
        {
          type: 'foreach',
          name: 'each-region',
          iterations: 2,
          steps: [{ type: 'task', name: 'push-image', durationMs: MINUTE }]
        }
      ]
    }
    expect(runningLine(reportAt(f, T0 + 1000), T0 + 1000).text).toBe(
      'Running: each-region › iteration 0 › push-image (1.0 s); ' +
        'each-region › iteration 1 › push-image (1.0 s)'
    )
  })

  it('has no text when nothing runs, and never a workflow command from a step name', () => {
    expect(runningLine(reportAt(FOREACH, T0 + 60 * MINUTE), T0).text).toBeUndefined()
    const hostile: FlowScript = {
      name: 'f',
      steps: [{ type: 'task', name: 'x\n::error::owned\r\n::stop-commands::t', durationMs: MINUTE }]
    }
    const text = runningLine(reportAt(hostile, T0 + 1000), T0 + 1000).text!
    expect(text.split('\n')).toHaveLength(1)
    expect(text).toBe('Running: x ::error::owned ::stop-commands::t (1.0 s)')
    expect(safe('a\u2028b')).toBe('a b')
  })

  it('reports a caught failure once per step, with its error', () => {
    const flow: FlowScript = {
      name: 'f',
      steps: [
        { type: 'task', name: 'probe', fail: { error: 'E', cause: 'c' }, catch: true },
        { type: 'task', name: 'next', durationMs: MINUTE }
      ]
    }
    const caught = caughtFailures(reportAt(flow, T0 + 1000))
    expect(caught.map((c) => c.text)).toEqual(['Caught: probe failed (E: c); the flow went on.'])
  })
})

/** Timers on a fake clock: loops sleep on it, `runFor` moves it on and lets them run. */
function fakeTimers() {
  let now = T0
  const timers: Array<{ at: number; resolve: () => void }> = []
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r))
  }
  return {
    now: () => now,
    sleep: (ms: number, signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        const timer = { at: now + ms, resolve }
        timers.push(timer)
        signal.addEventListener(
          'abort',
          () => {
            const at = timers.indexOf(timer)
            if (at >= 0) timers.splice(at, 1)
            reject(signal.reason)
          },
          { once: true }
        )
      }),
    async runFor(ms: number) {
      const end = now + ms
      for (;;) {
        await settle()
        timers.sort((a, b) => a.at - b.at)
        const next = timers[0]
        if (!next || next.at > end) break
        timers.shift()
        now = next.at
        next.resolve()
      }
      now = end
      await settle()
    }
  }
}

describe('progress scheduling', () => {
  const LONG: FlowScript = {
    name: 'deploy',
    steps: [
      { type: 'task', name: 'build', durationMs: 20 * MINUTE },
      { type: 'task', name: 'push-image', durationMs: 20 * MINUTE }
    ]
  }

  it('reads one page a minute per execution: 60 requests an hour, the first 10 of 12 covered', async () => {
    const timers = fakeTimers()
    const service = fakeService(eventsOf(LONG), timers.now)
    const lines: string[] = []
    const names = Array.from({ length: 12 }, (_, i) => `e-${i}`)
    const progress = startProgress({
      client: service.client as never,
      flowName: 'deploy',
      names,
      labelled: true,
      info: (l) => lines.push(l),
      warning: (l) => lines.push(`warning: ${l}`),
      now: timers.now,
      sleep: timers.sleep
    })
    await timers.runFor(60 * MINUTE)
    await progress.close()
    const per = new Map<string, number>()
    for (const r of service.requests) per.set(r.executionName, (per.get(r.executionName) ?? 0) + 1)
    expect([...per.keys()]).toEqual(names.slice(0, 10))
    expect([...per.values()]).toEqual(Array(10).fill(60))
    expect(service.requests).toHaveLength(600)
    // A line when the running step changes, not one a minute.
    expect(lines.filter((l) => l.startsWith('[e-0] '))).toEqual([
      '[e-0] Running: build (1m 00s)',
      '[e-0] Running: push-image (0 ms)',
      '[e-0] Running: no step right now'
    ])
    expect(progress.readers.size).toBe(10)
  })

  it('stops reading an execution once it ended', async () => {
    const timers = fakeTimers()
    const service = fakeService(eventsOf(LONG), timers.now)
    const progress = startProgress({
      client: service.client as never,
      flowName: 'deploy',
      names: ['a', 'b'],
      labelled: true,
      info: () => {},
      warning: () => {},
      now: timers.now,
      sleep: timers.sleep
    })
    await timers.runFor(3 * MINUTE)
    progress.stop('a')
    await timers.runFor(10 * MINUTE)
    await progress.close()
    const count = (n: string) => service.requests.filter((r) => r.executionName === n).length
    expect([count('a'), count('b')]).toEqual([3, 13])
  })

  it('warns once and turns off when the history is denied; other errors are retried next minute', async () => {
    const timers = fakeTimers()
    let fail: unknown = new FnfError({
      action: 'GetExecutionHistory',
      status: 503,
      code: 'ServiceUnavailable',
      detail: 'busy',
      retryable: true
    })
    const service = fakeService(eventsOf(LONG), timers.now, { error: () => fail })
    const warnings: string[] = []
    const progress = startProgress({
      client: service.client as never,
      flowName: 'deploy',
      names: ['a', 'b'],
      labelled: true,
      info: () => {},
      warning: (l) => warnings.push(l),
      now: timers.now,
      sleep: timers.sleep
    })
    await timers.runFor(2 * MINUTE)
    expect(service.requests).toHaveLength(4)
    fail = new FnfError({
      action: 'GetExecutionHistory',
      status: 403,
      code: 'Forbidden.RAM',
      detail: 'denied',
      retryable: false
    })
    await timers.runFor(10 * MINUTE)
    await progress.close()
    expect(service.requests.length).toBeLessThanOrEqual(6)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/fnf:GetExecutionHistory/)
    expect(warnings[0]).toMatch(/the wait goes on/)
  })
})
