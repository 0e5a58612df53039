/**
 * Credentials that expire, renewed before they do (src/auth/renewing.ts), on a clock the test
 * moves: when a session is renewed, one renewal for every caller that arrives while it runs, and a
 * failed renewal that keeps working credentials until they stop working.
 */
import { describe, expect, it } from '@jest/globals'
import { isoSeconds, renewingProvider, sessionFrom, type Session } from '../../src/auth/renewing.js'

const T0 = Date.parse('2026-01-01T00:00:00Z')
const MIN = 60_000
const HOUR = 60 * MIN
const keys = (n: number) => ({ accessKeyId: `id-${n}`, accessKeySecret: `secret-${n}` })

describe('sessionFrom', () => {
  it('renews with 20% of the lifetime left, at least 5 minutes, never before half of it', () => {
    expect(sessionFrom(keys(1), T0, T0 + 6 * HOUR)).toEqual({
      credentials: keys(1),
      expiresAt: T0 + 6 * HOUR,
      renewAt: T0 + 6 * HOUR - 72 * MIN,
      usableUntil: T0 + 6 * HOUR - MIN
    })
    expect(sessionFrom(keys(1), T0, T0 + HOUR).renewAt).toBe(T0 + 48 * MIN)
    expect(sessionFrom(keys(1), T0, T0 + 20 * MIN).renewAt).toBe(T0 + 15 * MIN)
    // Shorter than twice the margin: used for half its life, not renewed on every call.
    expect(sessionFrom(keys(1), T0, T0 + 4 * MIN)).toMatchObject({
      renewAt: T0 + 2 * MIN,
      usableUntil: T0 + 4 * MIN - 30_000
    })
  })
})

describe('renewingProvider', () => {
  function setup() {
    let clock = T0
    let serial = 0
    const kept: string[] = []
    const pending: Array<{ resolve: (s: Session) => void; reject: (e: unknown) => void }> = []
    const provider = renewingProvider({
      now: () => clock,
      renew: () =>
        new Promise<Session>((resolve, reject) => {
          pending.push({ resolve, reject })
        }),
      onKept: (error, current) =>
        kept.push(`${String(error)} kept ${current.credentials.accessKeyId}`)
    })
    const answer = () => {
      serial++
      pending.shift()!.resolve(sessionFrom(keys(serial), clock, clock + HOUR))
    }
    return { provider, pending, kept, answer, at: (ms: number) => (clock = T0 + ms) }
  }

  it('one renewal for every caller that arrives while it runs; none before renewAt', async () => {
    const s = setup()
    const calls = [s.provider(), s.provider(), s.provider()]
    expect(s.pending).toHaveLength(1)
    s.answer()
    expect(await Promise.all(calls)).toEqual([keys(1), keys(1), keys(1)])
    s.at(48 * MIN - 1)
    expect(await s.provider()).toEqual(keys(1))
    expect(s.pending).toHaveLength(0)
    s.at(48 * MIN)
    const renewed = s.provider()
    expect(s.pending).toHaveLength(1)
    s.answer()
    expect(await renewed).toEqual(keys(2))
  })

  it('a failed renewal keeps working credentials; once they stop working it is the error', async () => {
    const s = setup()
    const first = s.provider()
    s.answer()
    await first
    s.at(50 * MIN)
    const kept = s.provider()
    s.pending.shift()!.reject(new Error('503'))
    expect(await kept).toEqual(keys(1))
    expect(s.kept).toEqual(['Error: 503 kept id-1'])
    s.at(HOUR - MIN)
    const late = s.provider()
    s.pending.shift()!.reject(new Error('503 again'))
    await expect(late).rejects.toThrow('503 again')
  })
})

describe('isoSeconds', () => {
  it('to the second', () => {
    expect(isoSeconds(T0 + 1234)).toBe('2026-01-01T00:00:01Z')
  })
})
