/**
 * DescribeMapRun's answer as the step reads it (src/fnf/map-run-answer.ts): only the fields it
 * uses, text made safe, counts finite and not negative, anything else left out.
 */
import { describe, expect, it } from '@jest/globals'
import { countOf, mapRunOf } from '../../src/fnf/map-run-answer.js'

describe('mapRunOf', () => {
  it('keeps the documented fields as they are', () => {
    const body = {
      Status: 'Failed',
      MapRunName: 'e0c4a1b2',
      ExecutionName: 'run-1',
      StartedTime: '2025-10-24T14:11:26+08:00',
      StoppedTime: '2025-10-24T14:12:01+08:00',
      Concurrency: 100,
      ToleratedFailedCount: 0,
      ToleratedFailedPercentage: 2.5,
      ItemCounts: { Total: 500, Pending: 0, Running: 0, Succeed: 497, Failed: 3, Aborted: 0 },
      RequestId: 'req-1'
    }
    expect(mapRunOf(body)).toEqual(body)
  })

  it('leaves out what is not of its type, and reads numbers sent as text', () => {
    const run = mapRunOf({
      Status: 'Running',
      Concurrency: '100',
      ToleratedFailedCount: -1,
      ToleratedFailedPercentage: 'lots',
      ItemCounts: { Total: '500', Pending: null, Running: Infinity, Succeed: {}, Failed: 3 },
      Extra: 'ignored',
      MapRunName: 42
    })
    expect(run).toEqual({
      Status: 'Running',
      Concurrency: 100,
      ItemCounts: { Total: 500, Failed: 3 }
    })
  })

  it('makes text from the wire safe to print', () => {
    const run = mapRunOf({ Status: '::error::owned\u0007', MapRunName: 'x'.repeat(1000) })
    expect(run.Status).not.toMatch(/^::/)
    expect(run.Status).not.toContain('\u0007')
    expect(run.MapRunName?.length).toBeLessThan(300)
  })
})

describe('countOf', () => {
  it.each([
    [3, 3],
    ['3', 3],
    [0, 0],
    [2.5, 2.5],
    [-1, undefined],
    ['', undefined],
    [' ', undefined],
    [NaN, undefined],
    [Infinity, undefined],
    [null, undefined],
    [true, undefined]
  ])('%p → %p', (value, expected) => {
    expect(countOf(value)).toBe(expected)
  })
})
