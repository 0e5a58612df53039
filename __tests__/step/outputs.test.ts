import { describe, expect, it } from '@jest/globals'
import { cutUtf16, planOutputs, utf16Bytes } from '../../src/step/outputs.js'
import type { Execution } from '../../src/fnf/types.js'
import { track, type Tracked } from '../../src/step/execution-outcome.js'

const execution: Execution = {
  Name: 'run-1',
  FlowName: 'deploy',
  Status: 'Succeeded',
  StartedTime: '2026-01-01T00:00:00.000Z',
  StoppedTime: '2026-01-01T00:01:30.400Z',
  Input: '{"a":1}',
  Output: '{"ok":true}'
}
const defaults = { flowName: 'deploy', defaultOutputFile: () => '/tmp/default.json' }

function tracked(
  name: string,
  over: Record<string, unknown> = {},
  exec: Partial<Execution> = {}
): Tracked {
  return {
    ...track(name, '{}'),
    execution: { ...execution, Name: name, ...exec },
    ...over
  } as Tracked
}

describe('planOutputs with one execution', () => {
  it('sets every output from the execution', () => {
    const plan = planOutputs({ ...defaults, tracked: [tracked('run-1')] })
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
      'history-events': '',
      qualifier: '',
      results: JSON.stringify({
        'run-1': {
          status: 'Succeeded',
          output: { ok: true },
          'output-truncated': false,
          'failed-step': '',
          error: '',
          cause: '',
          'started-time': '2026-01-01T00:00:00.000Z',
          'stopped-time': '2026-01-01T00:01:30.400Z'
        }
      })
    })
    expect(plan.fileContent).toBeUndefined()
  })

  it('still names the flow and execution when nothing was read', () => {
    const plan = planOutputs({
      ...defaults,
      tracked: [track('run-1', '{}')],
      outputFile: '/tmp/x.json'
    })
    expect(plan.values.status).toBe('')
    expect(plan.values['flow-name']).toBe('deploy')
    expect(plan.values['execution-name']).toBe('run-1')
    expect(plan.values['output-file']).toBe('')
    expect(plan.fileContent).toBeUndefined()
  })

  it('writes the output file when asked, even when it fits', () => {
    const plan = planOutputs({
      ...defaults,
      tracked: [tracked('run-1')],
      outputFile: 'out/result.json'
    })
    expect(plan.values['output-file']).toBe('out/result.json')
    expect(plan.fileContent).toBe('{"ok":true}')
  })

  it('cuts an output over the budget, measured in UTF-16, and keeps the whole in a file', () => {
    // 300k characters: 600 KB as GitHub counts (UTF-16), over a 400 KB budget.
    const big = JSON.stringify({ text: 'é'.repeat(300_000) })
    const plan = planOutputs({
      ...defaults,
      tracked: [tracked('run-1', {}, { Output: big })],
      budgetBytes: 400_000
    })
    expect(plan.values['output-truncated']).toBe('true')
    expect(plan.values['output-file']).toBe('/tmp/default.json')
    expect(plan.fileContent).toBe(big)
    const total = Object.entries(plan.values).reduce((n, [k, v]) => n + utf16Bytes(k + v), 0)
    expect(total).toBeLessThanOrEqual(400_000)
    expect(big.startsWith(plan.values.output)).toBe(true)
    // results stays valid JSON: the output is left out of it rather than cut, and says so.
    expect(JSON.parse(plan.values.results)['run-1']).toMatchObject({
      output: null,
      'output-truncated': true
    })
  })

  it('flags a results entry whose output is not the whole output, never a bare null or text', () => {
    const entry = (exec: { [K in keyof Execution]?: Execution[K] | undefined }) =>
      JSON.parse(
        planOutputs({ ...defaults, tracked: [tracked('run-1', {}, exec as Partial<Execution>)] })
          .values.results
      )['run-1']
    // Cut short (a proxy, a listing): the text as it came, flagged.
    expect(entry({ Output: '{"ok":tr' })).toMatchObject({
      output: '{"ok":tr',
      'output-truncated': true
    })
    // A success without an output: something was lost on the way.
    expect(entry({ Output: undefined })).toMatchObject({ output: null, 'output-truncated': true })
    expect(entry({ Output: '' })).toMatchObject({ output: null, 'output-truncated': true })
    // A failure without one, or a run still going, has nothing to cut.
    expect(entry({ Status: 'Failed', Output: '' })).toMatchObject({
      output: null,
      'output-truncated': false
    })
    expect(entry({ Status: 'Running', Output: undefined })).toMatchObject({
      'output-truncated': false
    })
    // A JSON string is an output like any other.
    expect(entry({ Output: '"done"' })).toMatchObject({ output: 'done', 'output-truncated': false })
  })

  it('leaves stopped-time and duration empty while running', () => {
    const running = tracked(
      'run-1',
      { state: 'wait-timed-out' },
      { Status: 'Running', StoppedTime: '', Output: '' }
    )
    const plan = planOutputs({ ...defaults, tracked: [running] })
    expect(plan.values['duration-seconds']).toBe('')
    expect(plan.values['stopped-time']).toBe('')
    expect(plan.values['wait-timed-out']).toBe('true')
  })
})

describe('planOutputs with a qualifier or an express execution', () => {
  it('says which version or alias was asked for, and nothing when none was', () => {
    const asked = planOutputs({ ...defaults, qualifier: 'canary', tracked: [tracked('run-1')] })
    expect(asked.values.qualifier).toBe('canary')
    expect(planOutputs({ ...defaults, tracked: [tracked('run-1')] }).values.qualifier).toBe('')
  })

  it("takes an express execution's error and cause from StartSyncExecution's answer", () => {
    const plan = planOutputs({
      ...defaults,
      tracked: [
        tracked(
          'run-1',
          { state: 'ended', express: true },
          {
            Status: 'Failed',
            Output: '',
            ErrorCode: 'Smoke.Failed',
            ErrorMessage: '{"errorMessage":"HTTP 503 from /health","errorType":"Probe"}'
          }
        )
      ]
    })
    expect(plan.values).toMatchObject({
      status: 'Failed',
      'failed-step': '',
      error: 'Smoke.Failed',
      cause: 'HTTP 503 from /health'
    })
    expect(JSON.parse(plan.values.results)['run-1']).toMatchObject({
      error: 'Smoke.Failed',
      cause: 'HTTP 503 from /health'
    })
  })
})

describe('planOutputs with several executions', () => {
  const many = [
    tracked('eu', {}, { Output: '{"region":"eu"}', StartedTime: '2026-01-01T00:00:10.000Z' }),
    tracked('us', {}, { Status: 'Failed', Output: '', StoppedTime: '2026-01-01T00:05:00.000Z' }),
    tracked('ap', {}, { Status: 'TimedOut', Output: '' })
  ]

  it('reports the worst status and objects keyed by execution name', () => {
    const plan = planOutputs({ ...defaults, tracked: many })
    expect(plan.values.status).toBe('Failed')
    expect(plan.values['execution-name']).toBe('eu\nus\nap')
    expect(JSON.parse(plan.values.output)).toEqual({ eu: { region: 'eu' }, us: null, ap: null })
    expect(JSON.parse(plan.values.input)).toEqual({ eu: { a: 1 }, us: { a: 1 }, ap: { a: 1 } })
    const results = JSON.parse(plan.values.results)
    expect(Object.keys(results)).toEqual(['eu', 'us', 'ap'])
    expect(results.us.status).toBe('Failed')
    expect(results.eu.output).toEqual({ region: 'eu' })
    // From the first start to the last end.
    expect(plan.values['started-time']).toBe('2026-01-01T00:00:00.000Z')
    expect(plan.values['stopped-time']).toBe('2026-01-01T00:05:00.000Z')
  })

  it('orders outcomes Failed, TimedOut, Stopped, Running (our timeout), Succeeded', () => {
    const status = (list: Tracked[]) => planOutputs({ ...defaults, tracked: list }).values.status
    expect(status([tracked('a'), tracked('b', {}, { Status: 'Stopped' })])).toBe('Stopped')
    expect(
      status([tracked('a', {}, { Status: 'Stopped' }), tracked('b', {}, { Status: 'TimedOut' })])
    ).toBe('TimedOut')
    expect(
      status([tracked('a'), tracked('b', { state: 'wait-timed-out' }, { Status: 'Running' })])
    ).toBe('Running')
    expect(status([tracked('a'), tracked('b')])).toBe('Succeeded')
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
