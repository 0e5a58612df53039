import { describe, expect, it } from '@jest/globals'
import { cutUtf16, planOutputs, utf16Bytes } from '../src/outputs.js'
import type { Execution } from '../src/fnf/types.js'

const execution: Execution = {
  Name: 'run-1',
  FlowName: 'deploy',
  Status: 'Succeeded',
  StartedTime: '2026-01-01T00:00:00.000Z',
  StoppedTime: '2026-01-01T00:01:30.400Z',
  Input: '{"a":1}',
  Output: '{"ok":true}'
}
const defaults = {
  flowName: 'deploy',
  executionName: 'run-1',
  waitTimedOut: false,
  defaultOutputFile: () => '/tmp/default.json'
}

describe('planOutputs', () => {
  it('sets every output from the execution', () => {
    const plan = planOutputs({ ...defaults, execution })
    expect(plan.values).toEqual({
      status: 'Succeeded',
      output: '{"ok":true}',
      input: '{"a":1}',
      'execution-name': 'run-1',
      'flow-name': 'deploy',
      'started-time': '2026-01-01T00:00:00.000Z',
      'stopped-time': '2026-01-01T00:01:30.400Z',
      'duration-seconds': '90',
      'wait-timed-out': 'false',
      'output-file': '',
      'output-truncated': 'false',
      'failed-step': '',
      error: '',
      cause: '',
      'history-events': ''
    })
    expect(plan.fileContent).toBeUndefined()
  })

  it('still names the flow and execution when nothing was read', () => {
    const plan = planOutputs({ ...defaults, outputFile: '/tmp/x.json' })
    expect(plan.values.status).toBe('')
    expect(plan.values['flow-name']).toBe('deploy')
    expect(plan.values['output-file']).toBe('')
    expect(plan.fileContent).toBeUndefined()
  })

  it('writes the output file when asked, even when it fits', () => {
    const plan = planOutputs({ ...defaults, execution, outputFile: 'out/result.json' })
    expect(plan.values['output-file']).toBe('out/result.json')
    expect(plan.fileContent).toBe('{"ok":true}')
  })

  it('cuts an output over the budget, measured in UTF-16, and keeps the whole in a file', () => {
    // 300k characters: 600 KB as GitHub counts (UTF-16), over a 400 KB budget.
    const big = JSON.stringify({ text: 'é'.repeat(300_000) })
    const plan = planOutputs({
      ...defaults,
      execution: { ...execution, Output: big },
      budgetBytes: 400_000
    })
    expect(plan.values['output-truncated']).toBe('true')
    expect(plan.values['output-file']).toBe('/tmp/default.json')
    expect(plan.fileContent).toBe(big)
    const total = Object.entries(plan.values).reduce((n, [k, v]) => n + utf16Bytes(k + v), 0)
    expect(total).toBeLessThanOrEqual(400_000)
    expect(big.startsWith(plan.values.output)).toBe(true)
  })

  it('leaves stopped-time and duration empty while running', () => {
    const running: Execution = { ...execution, Status: 'Running', StoppedTime: '', Output: '' }
    const plan = planOutputs({ ...defaults, execution: running, waitTimedOut: true })
    expect(plan.values['duration-seconds']).toBe('')
    expect(plan.values['wait-timed-out']).toBe('true')
  })
})

describe('cutUtf16', () => {
  it('never splits a surrogate pair', () => {
    const text = 'a😀b'
    expect(cutUtf16(text, 4)).toBe('a')
    expect(cutUtf16(text, 6)).toBe('a😀')
    expect(cutUtf16(text, 100)).toBe(text)
  })
})
