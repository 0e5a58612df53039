/**
 * What is known of each execution (src/step/tracked.ts): the worst status of several, and Running
 * for one never read.
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import { planOutputs } from '../../src/step/outputs.js'
import { track, type Tracked, worstStatus } from '../../src/step/tracked.js'

const defaults = {
  flowName: 'deploy',
  defaultOutputFile: () => '/tmp/fnf-wait/deploy/executions.output.json'
}

function tracked(name: string, status?: ExecutionStatus, exec: Partial<Execution> = {}): Tracked {
  if (!status) return track(name, '{}')
  return {
    ...track(name, '{}'),
    execution: { Name: name, FlowName: 'deploy', Status: status, Output: '{"ok":true}', ...exec }
  }
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
