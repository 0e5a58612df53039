/**
 * What is known of each execution (src/step/execution-outcome.ts): worst first, the worst status of several
 * (Running for one never read), and which did not succeed.
 */
import { describe, expect, it } from '@jest/globals'
import type { ExecutionStatus } from '../../src/fnf/types.js'
import { planOutputs } from '../../src/step/outputs.js'
import {
  bySeverity,
  isUnsuccessful,
  worstStatus,
  type Tracked
} from '../../src/step/execution-outcome.js'
import { tracked } from '../support/tracked.js'

const defaults = {
  flowName: 'deploy',
  defaultOutputFile: () => '/tmp/fnf-wait/deploy/executions.output.json'
}

describe('status: the worst outcome, Running for an execution never read', () => {
  it.each([
    [['Succeeded', undefined], 'Running'],
    [['Succeeded', 'Succeeded', undefined], 'Running'],
    [[undefined, 'Failed'], 'Failed'],
    [[undefined, 'Stopped'], 'Stopped'],
    [[undefined, 'Running'], 'Running'],
    [[undefined, undefined], '']
  ] as [(ExecutionStatus | undefined)[], string][])('%j → %j', (statuses, expected) => {
    const all = statuses.map((s, i) => tracked(`e${i}`, s))
    expect(worstStatus(all)).toBe(expected)
    expect(planOutputs({ ...defaults, tracked: all }).values.status).toBe(expected)
  })
})

describe('severity', () => {
  it('orders worst first, keeping the given order among equals', () => {
    const list = [
      tracked('ok', 'Succeeded'),
      tracked('run', 'Running'),
      tracked('unread'),
      tracked('f1', 'Failed'),
      tracked('stop', 'Stopped'),
      tracked('f2', 'Failed'),
      tracked('late', 'TimedOut')
    ]
    expect(bySeverity(list).map((t) => t.name)).toEqual([
      'f1',
      'f2',
      'late',
      'stop',
      'unread',
      'run',
      'ok'
    ])
  })

  it('isUnsuccessful: anything but a Succeeded end that was waited for', () => {
    expect(isUnsuccessful(tracked('ok', 'Succeeded'))).toBe(false)
    expect(
      isUnsuccessful({ ...tracked('ok', 'Succeeded'), state: 'wait-timed-out' } as Tracked)
    ).toBe(true)
    expect(
      isUnsuccessful({
        ...tracked('ok', 'Succeeded'),
        state: 'lost',
        error: new Error('x')
      } as Tracked)
    ).toBe(true)
    expect(isUnsuccessful(tracked('unread'))).toBe(true)
    expect(isUnsuccessful(tracked('f', 'Failed'))).toBe(true)
  })
})
