/**
 * The documented event types (src/history/events.ts): the 21 of the API pages, and which of them
 * are the execution's own.
 */
import { describe, expect, it } from '@jest/globals'
import { DOCUMENTED_EVENT_TYPES, isExecutionEvent } from '../../src/history/events.js'

describe('documented event types', () => {
  it('lists the 21 types the API pages document', () => {
    expect(DOCUMENTED_EVENT_TYPES.size).toBe(21)
    for (const type of ['ExecutionStarted', 'StepFailed', 'BranchExited', 'TaskTimedOut'])
      expect(DOCUMENTED_EVENT_TYPES.has(type)).toBe(true)
  })

  it('isExecutionEvent: only the documented Execution* types', () => {
    expect(isExecutionEvent('ExecutionFailed')).toBe(true)
    expect(isExecutionEvent('ExecutionStopped')).toBe(true)
    expect(isExecutionEvent('StepStarted')).toBe(false)
    expect(isExecutionEvent('ExecutionPaused')).toBe(false) // not documented: kept, not trusted
  })
})
