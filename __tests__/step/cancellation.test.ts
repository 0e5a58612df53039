/**
 * The runner's cancel signals as an AbortSignal (src/step/cancellation.ts), on a process stand-in
 * the test emits signals on: the first aborts, the second only logs, the budget counts from the
 * first.
 */
import { describe, expect, it } from '@jest/globals'
import { EventEmitter } from 'node:events'
import { Cancellation, CancelledError } from '../../src/step/cancellation.js'

function proc() {
  const emitter = new EventEmitter()
  return {
    emitter,
    proc: {
      on: (s: string, f: () => void) => emitter.on(s, f),
      off: (s: string, f: () => void) => emitter.off(s, f)
    } as unknown as Pick<NodeJS.Process, 'on' | 'off'>
  }
}

describe('Cancellation', () => {
  it('the first signal aborts with a CancelledError; the second only logs', () => {
    const { emitter, proc: p } = proc()
    const lines: string[] = []
    const c = new Cancellation(p, (l) => lines.push(l))
    expect(c.signal.aborted).toBe(false)
    expect(c.reason).toBeUndefined()
    emitter.emit('SIGINT')
    expect(c.signal.aborted).toBe(true)
    expect(c.signal.reason).toBeInstanceOf(CancelledError)
    expect((c.signal.reason as CancelledError).signal).toBe('SIGINT')
    emitter.emit('SIGTERM')
    expect(c.reason).toBe('SIGINT')
    expect(lines).toEqual([
      'Received SIGINT: the job is being cancelled.',
      'Received SIGTERM while handling SIGINT; finishing the cleanup.'
    ])
    c.dispose()
  })

  it('the budget is whole before a signal and counts down from the first one', () => {
    const { emitter, proc: p } = proc()
    const c = new Cancellation(p)
    expect(c.remaining(6000)).toBe(6000)
    const at = Date.now()
    emitter.emit('SIGTERM')
    expect(c.remaining(6000, at + 1000)).toBeLessThanOrEqual(5000)
    expect(c.remaining(6000, at + 60_000)).toBe(0)
    c.dispose()
  })

  it('dispose removes its listeners', () => {
    const { emitter, proc: p } = proc()
    const c = new Cancellation(p)
    expect(emitter.listenerCount('SIGINT')).toBe(1)
    expect(emitter.listenerCount('SIGTERM')).toBe(1)
    c.dispose()
    expect(emitter.listenerCount('SIGINT')).toBe(0)
    expect(emitter.listenerCount('SIGTERM')).toBe(0)
    emitter.emit('SIGINT')
    expect(c.signal.aborted).toBe(false)
  })
})
