/** The MapRun plan (map-run-plan.ts): when items start and end, and how the MapRun ends. */
import { describe, expect, it } from '@jest/globals'
import { exceedsTolerance, planMapRun, type PlanInput } from '../map-run-plan.js'
import type { EndStatus } from '../timeline.js'

/** Items that each run `ms` and end as `how(i)` says; Infinity ms holds an item. */
function input(
  total: number,
  ms: (i: number) => number,
  over: Partial<PlanInput> = {},
  how: (i: number) => EndStatus = () => 'Succeeded'
): PlanInput {
  return {
    startAt: 1000,
    total,
    concurrency: 2,
    toleratedCount: undefined,
    toleratedPercentage: undefined,
    failFast: true,
    abortAt: Infinity,
    admitAt: () => -Infinity,
    endOf: (i, t) => ({ at: t + ms(i), status: how(i) }),
    ...over
  }
}

describe('planMapRun', () => {
  it('starts items in index order as slots free up, at most `concurrency` at once', () => {
    const plan = planMapRun(input(5, (i) => [10, 30, 10, 10, 10][i] ?? 0))
    expect([...plan.start]).toEqual([1000, 1000, 1010, 1020, 1030])
    expect([...plan.end]).toEqual([1010, 1030, 1020, 1030, 1040])
    expect(plan.outcome).toEqual({ at: 1040, status: 'Succeeded' })
  })

  it('leaves the outcome open while a held item (Infinity) runs, and never starts what waits on it', () => {
    const plan = planMapRun(input(4, (i) => (i === 0 ? Infinity : 10)))
    expect([...plan.start]).toEqual([1000, 1000, 1010, 1020])
    expect(plan.outcome).toBeUndefined()
    const blocked = planMapRun(input(3, () => Infinity))
    expect([...blocked.start]).toEqual([1000, 1000, Infinity])
  })

  it('fails at the moment failures exceed the tolerance; later items never start', () => {
    const fail = (i: number): EndStatus => (i === 1 ? 'Failed' : 'Succeeded')
    const plan = planMapRun(input(6, () => 10, {}, fail))
    expect(plan.outcome).toEqual({ at: 1010, status: 'Failed' })
    expect([...plan.start]).toEqual([1000, 1000, Infinity, Infinity, Infinity, Infinity])
  })

  it('counts the ends of one moment together before checking the tolerance', () => {
    // Items 0 and 1 fail at the same moment: one tolerated, two are not.
    const plan = planMapRun(
      input(
        4,
        () => 10,
        { toleratedCount: 1 },
        (i) => (i < 2 ? 'Failed' : 'Succeeded')
      )
    )
    expect(plan.outcome).toEqual({ at: 1010, status: 'Failed' })
  })

  it('succeeds with tolerated failures; timed-out and stopped children count as failures', () => {
    const how = (i: number): EndStatus =>
      (['Failed', 'TimedOut', 'Stopped'] as const)[i] ?? 'Succeeded'
    expect(planMapRun(input(10, () => 10, { toleratedCount: 3 }, how)).outcome).toEqual({
      at: 1050,
      status: 'Succeeded'
    })
    expect(planMapRun(input(10, () => 10, { toleratedCount: 2 }, how)).outcome?.status).toBe(
      'Failed'
    )
  })

  it('with failFast false runs every item, then the tolerance decides', () => {
    const plan = planMapRun(
      input(
        4,
        () => 10,
        { failFast: false },
        (i) => (i === 0 ? 'Failed' : 'Succeeded')
      )
    )
    expect([...plan.start]).toEqual([1000, 1000, 1010, 1010])
    expect(plan.outcome).toEqual({ at: 1020, status: 'Failed' })
  })

  it('is aborted when the parent ends first; ends at that moment are counted before', () => {
    const plan = planMapRun(input(6, () => 10, { abortAt: 1010 }))
    expect(plan.outcome).toEqual({ at: 1010, status: 'Aborted' })
    // The slots freed at 1010 start nothing: the MapRun ended then.
    expect([...plan.start]).toEqual([1000, 1000, Infinity, Infinity, Infinity, Infinity])
    expect(planMapRun(input(2, () => 10, { abortAt: 500 })).outcome).toEqual({
      at: 500,
      status: 'Aborted'
    })
  })

  it('starts held items only once admitted, and no earlier than their admission', () => {
    const admitAt = (i: number): number => (i < 3 ? 900 : i < 4 ? 1050 : Infinity)
    const plan = planMapRun(input(6, () => 10, { admitAt }))
    expect([...plan.start]).toEqual([1000, 1000, 1010, 1050, Infinity, Infinity])
    expect(plan.outcome).toBeUndefined()
  })

  it('an empty MapRun succeeds when it starts', () => {
    expect(planMapRun(input(0, () => 10)).outcome).toEqual({ at: 1000, status: 'Succeeded' })
  })

  it('plans far beyond the default MaxItems (10,000)', () => {
    const plan = planMapRun(input(100_000, () => 10, { concurrency: 100 }))
    expect(plan.outcome).toEqual({ at: 1000 + 10 * 1000, status: 'Succeeded' })
  })
})

describe('exceedsTolerance', () => {
  it('tolerates nothing when neither is set, and fails when either set one is exceeded', () => {
    expect(exceedsTolerance(1, 500, undefined, undefined)).toBe(true)
    expect(exceedsTolerance(0, 500, undefined, undefined)).toBe(false)
    expect(exceedsTolerance(5, 500, 5, undefined)).toBe(false)
    expect(exceedsTolerance(6, 500, 5, undefined)).toBe(true)
    // 1% of 500 is 5.
    expect(exceedsTolerance(5, 500, undefined, 1)).toBe(false)
    expect(exceedsTolerance(6, 500, undefined, 1)).toBe(true)
    expect(exceedsTolerance(6, 500, 100, 1)).toBe(true)
    expect(exceedsTolerance(3, 500, 5, 100)).toBe(false)
  })
})
