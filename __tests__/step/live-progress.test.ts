/**
 * Live progress, pure parts and scheduling on a fake clock: the resumable history reader (never an
 * event folded twice, at most one page read again), the running-steps line and its roll-up, caught
 * failures, and the request budget (one history page per interval per execution, first 10 only).
 */
import { describe, expect, it } from '@jest/globals'
import type { FlowScript } from '../../emulator/index.js'
import { FnfError } from '../../src/fnf/errors.js'
import { startProgress } from '../../src/step/live-progress.js'
import { T0, MINUTE, eventsOf, fakeService } from '../support/progress-histories.js'

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
