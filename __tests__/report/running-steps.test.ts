/**
 * The running-steps line of live progress (src/report/running-steps.ts, pure): which steps run, for how
 * long, and in which attempt, as plain text that can never become a workflow command.
 */
import { describe, expect, it } from '@jest/globals'
import type { FlowScript } from '../../emulator/index.js'
import { createHistoryModel } from '../../src/history/index.js'
import { caughtFailures, runningLine, safe } from '../../src/report/running-steps.js'
import { T0, MINUTE, eventsOf, FOREACH } from '../support/progress-histories.js'

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
