/**
 * Where events go (src/history/placement.ts, through the history model) when a history is not as
 * documented: unknown events, links that do not resolve, missing opening events, duplicates.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { Execution, HistoryEvent } from '../../src/fnf/types.js'
import { createHistoryModel, type FailureCause } from '../../src/history/index.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { fold, find, exec, nestedFailure } from '../support/history-model.js'

describe('history model: unfamiliar histories', () => {
  it('keeps unknown events on the step or scope they belong to', () => {
    const h = new HistoryBuilder().started()
    h.top.emit('ExecutionPaused', '', {})
    const each = h.top.open('map')
    h.top.emit('StepHeartbeat', 'map', { progress: 'r' })
    const it0 = each.iteration(0)
    it0.emit('IterationHeartbeat', 'map', {})
    it0.task('work')
    it0.exit()
    each.succeed()
    h.succeeded()
    const r = fold(h.events, exec('Succeeded'))
    expect(r.unknownEventCount).toBe(1)
    expect(r.unknownEvents[0]).toMatchObject({ type: 'ExecutionPaused' })
    expect(find(r.steps, 'map')?.unknownEvents.map((u) => u.type)).toEqual(['StepHeartbeat'])
    // StepName names the owner, but the event sits in the iteration's thread.
    expect(find(r.steps, 'map › iteration 0')?.unknownEvents.map((u) => u.type)).toEqual([
      'IterationHeartbeat'
    ])
    expect(r.stats.unknownEvents).toBe(3)
    expect(r.stats.unknownEventTypes).toEqual({
      ExecutionPaused: 1,
      StepHeartbeat: 1,
      IterationHeartbeat: 1
    })
    expect(find(r.steps, 'map › iteration 0 › work')?.status).toBe('Succeeded')
    expect(r.status).toBe('Succeeded')
  })

  it('attaches events whose ScheduleEventId does not resolve to the nearest open scope', () => {
    const h = new HistoryBuilder().started()
    const par = h.top.open('fanout')
    const b0 = par.branch(0)
    const s = b0.open('deep')
    // Lost link: points at an event that is not in the history.
    h.emit('TaskScheduled', 'deep', {}, 9999)
    h.emit('TaskFailed', 'deep', { error: 'E', cause: 'c' }, 9998)
    s.fail({ error: 'E', cause: 'c' })
    h.emit('Mystery', 'nowhere', {}, 0)
    par.fail({ error: 'E', cause: 'c' })
    h.failed({ error: 'E', cause: 'c' })
    const r = fold(h.events, exec('Failed'))
    expect(r.stats.unresolvedLinks).toBe(3)
    expect(find(r.steps, 'fanout › branch 0 › deep')).toMatchObject({
      attempts: 1,
      status: 'Failed'
    })
    expect(find(r.steps, 'fanout › branch 0')?.unknownEvents.map((u) => u.type)).toEqual([
      'Mystery'
    ])
    expect((r.rootCause as FailureCause).pathText).toBe('fanout › branch 0 › deep')
  })

  it('builds the same tree when a parallel step ends with a link into its last branch', () => {
    const h = new HistoryBuilder().started()
    const par = h.top.open('fanout')
    const b0 = par.branch(0)
    b0.task('x')
    b0.exit()
    // Some services link the owner's end to the event that completed it.
    h.emit('StepSucceeded', 'fanout', {}, h.events.at(-1)!.EventId)
    h.emit('StepExited', 'fanout', {}, h.events.at(-1)!.EventId)
    h.top.last = h.events.at(-1)!.EventId
    h.top.pass('after')
    h.succeeded()
    const r = fold(h.events, exec('Succeeded'))
    expect(r.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      'fanout:Succeeded',
      'after:Succeeded'
    ])
    expect(r.stats.steps).toBe(3)
  })

  it('creates implicit nodes for events whose opening event is missing', () => {
    const h = new HistoryBuilder().started()
    h.top.emit('StepStarted', 'mid', {})
    h.top.emit('StepFailed', 'mid', { error: 'E', cause: 'c' })
    h.failed({ error: 'E', cause: 'c' })
    const r = fold(h.events, exec('Failed'))
    expect(r.steps[0]).toMatchObject({ name: 'mid', implicit: true, status: 'Failed' })
    expect((r.rootCause as FailureCause).pathText).toBe('mid')
  })

  it('matches steps with names too long to keep whole', () => {
    const long = 'n'.repeat(1000)
    const h = new HistoryBuilder().started()
    h.top.task(long, [{ fail: { error: 'E', cause: 'c' } }])
    h.failed({ error: 'E', cause: 'c' })
    const r = fold(h.events, exec('Failed'))
    expect(r.steps).toHaveLength(1)
    expect(r.steps[0]).toMatchObject({
      kind: 'task',
      attempts: 1,
      status: 'Failed',
      implicit: false
    })
    expect(r.steps[0]!.name.length).toBeLessThan(300)
    expect((r.rootCause as FailureCause).step).toBe(r.steps[0])
  })

  it('ignores events served twice (overlapping pages)', () => {
    const h = nestedFailure()
    const model = createHistoryModel()
    model.add(h.events.slice(0, 50))
    model.add(h.events.slice(40))
    const r = model.result(exec('Failed'))
    expect(r).toEqual({ ...fold(h.events, exec('Failed')), stats: r.stats })
    expect(r.stats.duplicateEvents).toBe(10)
  })

  it('survives arbitrary event streams', () => {
    const types = [
      'StepEntered',
      'StepStarted',
      'StepFailed',
      'StepExited',
      'TaskScheduled',
      'TaskFailed',
      'BranchEntered',
      'BranchExited',
      'IterationEntered',
      'IterationExited',
      'ExecutionFailed',
      'Weird'
    ]
    const event = fc.record({
      Type: fc.constantFrom(...types),
      ScheduleEventId: fc.integer({ min: 0, max: 40 }),
      StepName: fc.constantFrom('', 'a', 'b'),
      EventDetail: fc.oneof(
        fc.string(),
        fc.constant('{"error":"E","cause":"{\\"errorMessage\\":1}"}'),
        fc.constant('{"index":1}')
      )
    })
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 40 }),
        fc.constantFrom<Execution['Status']>('Failed', 'Stopped', 'Running'),
        (raw, status) => {
          const events: HistoryEvent[] = raw.map((e, i) => ({
            ...e,
            EventId: i + 1,
            Time: `2024-01-01T00:00:${String(i).padStart(2, '0')}Z`
          }))
          // Random links: no linking to compare with, only the report as given.
          const model = createHistoryModel()
          for (let i = 0; i < events.length; i += 7) model.add(events.slice(i, i + 7))
          const r = model.result(exec(status))
          if (status !== 'Running') expect(r.status).toBe(status)
          if (status === 'Failed') expect(r.rootCauses.length).toBeGreaterThan(0)
        }
      ),
      { numRuns: 200 }
    )
  })
})
