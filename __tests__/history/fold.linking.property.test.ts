/**
 * The root cause must not depend on how the service links events. Generated flows (parallel inside
 * foreach inside parallel, retries, caught failures before and after the root cause, interleaved
 * branches and concurrent iterations) are compiled by the emulator under each linking and folded;
 * the root cause must be the same under all four.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { compileTimeline } from '../../emulator/compile.js'
import {
  LINKINGS,
  type FlowScript,
  type Linking,
  type StepScript
} from '../../emulator/flow-script.js'
import type { HistoryEvent } from '../../src/fnf/types.js'
import {
  createHistoryModel,
  type ExecutionReport,
  type FailureCause
} from '../../src/history/index.js'

/** Shapes without names; names are given afterwards so that every step's is unique. */
type Shape =
  | { type: 'task'; ms: number; retries: number; fail: boolean; catch: boolean }
  | { type: 'pass'; ms: number }
  | { type: 'parallel'; branches: Shape[][] }
  | { type: 'foreach'; iterations: number; concurrency: number; steps: Shape[]; failAt?: number }

const leaf: fc.Arbitrary<Shape> = fc.oneof(
  fc.record({
    type: fc.constant('task' as const),
    ms: fc.integer({ min: 0, max: 300 }),
    retries: fc.integer({ min: 0, max: 2 }),
    fail: fc.boolean(),
    catch: fc.boolean()
  }),
  fc.record({ type: fc.constant('pass' as const), ms: fc.integer({ min: 0, max: 200 }) })
)

const shape: fc.Arbitrary<Shape> = fc.letrec<{ step: Shape }>((tie) => ({
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      type: fc.constant('parallel' as const),
      branches: fc.array(fc.array(tie('step'), { minLength: 1, maxLength: 3 }), {
        minLength: 2,
        maxLength: 3
      })
    }),
    fc.record(
      {
        type: fc.constant('foreach' as const),
        iterations: fc.integer({ min: 1, max: 4 }),
        concurrency: fc.integer({ min: 1, max: 4 }),
        steps: fc.array(tie('step'), { minLength: 1, maxLength: 2 }),
        failAt: fc.integer({ min: 0, max: 3 })
      },
      { requiredKeys: ['type', 'iterations', 'concurrency', 'steps'] }
    )
  )
})).step

function toScript(shapes: Shape[], counter: { n: number }): StepScript[] {
  return shapes.map((s): StepScript => {
    const name = `s${++counter.n}`
    switch (s.type) {
      case 'task': {
        const task: StepScript = { type: 'task', name, durationMs: s.ms, retries: s.retries }
        // Every failure has its own cause, so "whose error propagated" can tell them apart.
        if (s.fail) task.fail = { error: 'FC.Unhandled', cause: `${name} failed` }
        if (s.catch) task.catch = true
        return task
      }
      case 'pass':
        return { type: 'pass', name, durationMs: s.ms }
      case 'parallel':
        return { type: 'parallel', name, branches: s.branches.map((b) => toScript(b, counter)) }
      case 'foreach': {
        const steps = toScript(s.steps, counter)
        const out: StepScript = {
          type: 'foreach',
          name,
          iterations: s.iterations,
          concurrency: s.concurrency,
          steps
        }
        const target = firstLeaf(steps)
        if (s.failAt !== undefined && s.failAt < s.iterations && target !== undefined) {
          out.failAt = { iteration: s.failAt, step: target }
        }
        return out
      }
    }
  })
}

function firstLeaf(steps: StepScript[]): string | undefined {
  for (const s of steps) {
    if (s.type === 'task' || s.type === 'pass') return s.name
  }
  return undefined
}

/**
 * `dropOpenings`: the history lacks the StepEntered/StepStarted of every parallel/foreach step
 * (an owner's opening events may be missing), so its branches' first events find no owner opened.
 */
function fold(script: FlowScript, linking: Linking, dropOpenings = false): ExecutionReport {
  const timeline = compileTimeline({ ...script, linking }, {}, Date.parse('2026-01-01T00:00:00Z'))
  const owners = new Set<string>()
  for (const e of timeline.events) {
    if (e.type === 'BranchEntered' || e.type === 'IterationEntered') owners.add(e.stepName)
  }
  const kept = timeline.events.filter(
    (e) =>
      !dropOpenings ||
      !(owners.has(e.stepName) && (e.type === 'StepEntered' || e.type === 'StepStarted'))
  )
  const events: HistoryEvent[] = kept.map((e) => ({
    EventId: e.id,
    Type: e.type,
    StepName: e.stepName,
    Time: new Date(e.at).toISOString(),
    ScheduleEventId: e.scheduleEventId,
    EventDetail: e.detail
  }))
  const model = createHistoryModel()
  for (let i = 0; i < events.length; i += 50) model.add(events.slice(i, i + 50))
  return model.result({ Name: 'e', FlowName: 'f', Status: timeline.status })
}

function leafOf(r: ExecutionReport): Record<string, unknown> | undefined {
  const c = r.rootCause
  if (c === undefined) return undefined
  if (c.kind !== 'failure') return { kind: c.kind }
  return { name: c.step?.name, kind: c.step?.kind, error: c.error, cause: c.cause }
}

describe('root cause under every linking', () => {
  const seen = { cases: 0, failed: 0, approximate: 0 }

  it('is the same leaf, error and cause; path and attempts too unless the report says approximate', () => {
    fc.assert(
      fc.property(fc.array(shape, { minLength: 1, maxLength: 4 }), fc.boolean(), (shapes, drop) => {
        const script: FlowScript = { name: 'generated', steps: toScript(shapes, { n: 0 }) }
        // The exact tree: every event, linked per thread.
        const byThread = fold(script, 'thread')
        seen.cases += 1
        if (byThread.status === 'Failed') seen.failed += 1
        const expected = byThread.rootCause as FailureCause | undefined
        // The thread-linked tree is exact: a failure is never blamed on a parallel/foreach step.
        if (expected?.step !== undefined) {
          expect(['task', 'step']).toContain(expected.step.kind)
          expect(expected.step.handled).toBe(false)
        }
        expect(byThread.approximate).toBe(false)
        for (const linking of LINKINGS) {
          const r = fold(script, linking, drop)
          expect({ linking, status: r.status }).toEqual({ linking, status: byThread.status })
          expect({ linking, leaf: leafOf(r) }).toEqual({ linking, leaf: leafOf(byThread) })
          if (r.approximate) {
            seen.approximate += 1
            continue
          }
          const got = r.rootCause as FailureCause | undefined
          expect({ linking, path: got?.pathText, attempts: got?.attempts }).toEqual({
            linking,
            path: expected?.pathText,
            attempts: expected?.attempts
          })
        }
      }),
      { numRuns: Number(process.env.LINKING_PROPERTY_RUNS ?? 300) }
    )
    // The generator must reach what it is for: failed executions, and guessed trees.
    if (process.env.LINKING_PROPERTY_STATS) console.log(seen)
    expect(seen.failed).toBeGreaterThan(seen.cases / 5)
    expect(seen.approximate).toBeGreaterThan(0)
  })
})
