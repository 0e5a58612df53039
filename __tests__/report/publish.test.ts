/**
 * Publishing the report (src/report/publish.ts) through the typed core fake: the job summary and
 * annotations as the inputs ask, errors or warnings by whether the step fails, credentials
 * redacted, a failed write only a warning, and no PR comment outside a pull request.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import type { Execution } from '../../src/fnf/types.js'
import { clearSecrets, registerSecret } from '../../src/base/secrets.js'
import { executionView } from '../../src/report/view.js'
import { configOf } from '../support/config.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { fold } from '../support/history-model.js'

jest.unstable_mockModule('@actions/core', () => core)
const { publishReport } = await import('../../src/report/publish.js')

const SECRET = 'publish-secret-value'
const failed = {
  kind: 'single' as const,
  execution: executionView({
    flowName: 'deploy',
    executionName: 'e-1',
    execution: {
      Name: 'e-1',
      FlowName: 'deploy',
      Status: 'Failed',
      StartedTime: '2024-06-24T02:58:42Z',
      StoppedTime: '2024-06-24T02:59:42Z'
    } as Execution,
    historyNote: `the cause echoed ${SECRET}`
  })
}

beforeEach(() => {
  core.resetCore()
  registerSecret(SECRET)
})
afterEach(() => clearSecrets())

describe('publishReport', () => {
  it('writes the summary, redacted, and error annotations when the step fails', async () => {
    await publishReport(configOf(), failed, true, {})
    expect(core.fake.summary).toContain('FnF execution failed')
    expect(core.fake.summary).toContain('***')
    expect(core.fake.summary).not.toContain(SECRET)
    expect(core.fake.annotations.length).toBeGreaterThan(0)
    expect(core.fake.annotations.every((a) => a.level === 'error')).toBe(true)
  })

  it('a failure the step tolerates is annotated as a warning', async () => {
    await publishReport(configOf({ 'fail-on': 'TimedOut' }), failed, false, {})
    expect(core.fake.annotations.length).toBeGreaterThan(0)
    expect(core.fake.annotations.every((a) => a.level === 'warning')).toBe(true)
  })

  it('summary: false and annotations: false write neither', async () => {
    await publishReport(configOf({ summary: 'false', annotations: 'false' }), failed, true, {})
    expect(core.fake.summary).toBe('')
    expect(core.fake.annotations).toEqual([])
  })

  it('a summary that cannot be written is a warning, and the annotations still go out', async () => {
    const write = jest.spyOn(core.summary, 'write').mockRejectedValueOnce(new Error('EACCES'))
    await publishReport(configOf(), failed, true, {})
    write.mockRestore()
    expect(core.fake.log).toContainEqual('warning: Could not write the job summary: EACCES')
    expect(core.fake.annotations.some((a) => a.level === 'error')).toBe(true)
    core.summary.emptyBuffer()
  })

  it('pr-comment outside a pull request event says so and calls no API', async () => {
    await publishReport(
      configOf({ 'pr-comment': 'always', 'github-token': 'ghs_x', summary: 'false' }),
      failed,
      true,
      { GITHUB_EVENT_NAME: 'push', GITHUB_API_URL: 'http://127.0.0.1:9' }
    )
    expect(core.fake.log).toContainEqual(
      "info: pr-comment: this run's event is push, not pull_request or pull_request_target; no comment."
    )
  })

  it('pr-comment on a pull_request event whose payload names no pull request says that', async () => {
    await publishReport(
      configOf({ 'pr-comment': 'always', 'github-token': 'ghs_x', summary: 'false' }),
      failed,
      true,
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_API_URL: 'http://127.0.0.1:9' }
    )
    expect(core.fake.log).toContainEqual(
      "info: pr-comment: the pull_request event's payload (GITHUB_EVENT_PATH) names no pull request; no comment."
    )
  })
})

describe('annotations at the lines of the flow definition', () => {
  const place = { file: 'flows/etl.yaml', startLine: 9, endLine: 12, sameDefinition: true }
  const caught = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      pathText: `check-${i}`,
      error: 'E.Caught',
      count: 1,
      place: { ...place, startLine: 20 + i, endLine: 20 + i }
    }))
  /** Failed in `push` (a step of the history), placed; and `n` caught failures, placed. */
  function located(n: number) {
    const h = new HistoryBuilder().started()
    h.top.fail('push', { error: 'E.Push', cause: 'no' })
    h.failed({ error: 'E.Push', cause: 'no' })
    const execution = { Name: 'e-1', FlowName: 'deploy', Status: 'Failed' } as Execution
    const view = executionView({
      flowName: 'deploy',
      executionName: 'e-1',
      execution,
      report: fold(h.events, execution),
      locations: { steps: new Map([['push', place]]), caught: caught(n) }
    })
    return { kind: 'single' as const, execution: view }
  }

  it("errors at the failed step's lines, a warning at each caught one's", async () => {
    await publishReport(configOf(), located(1), true, {})
    expect(core.fake.annotations).toEqual([
      {
        level: 'error',
        title: 'FnF deploy: push',
        message: 'E.Push: no',
        file: 'flows/etl.yaml',
        startLine: 9,
        endLine: 12
      },
      {
        level: 'warning',
        title: 'FnF deploy: check-0 (caught)',
        message: 'E.Caught. The flow caught this failure and went on.',
        file: 'flows/etl.yaml',
        startLine: 20,
        endLine: 20
      }
    ])
  })

  it("caught failures get GitHub's 10 warnings, less those the tolerated failure took", async () => {
    await publishReport(configOf(), located(12), true, {})
    expect(core.fake.annotations.filter((a) => a.level === 'warning')).toHaveLength(10)
    core.resetCore()
    await publishReport(configOf({ 'fail-on': 'TimedOut' }), located(12), false, {})
    const warnings = core.fake.annotations.filter((a) => a.level === 'warning')
    expect(warnings).toHaveLength(10)
    expect(warnings[0]).toMatchObject({ title: 'FnF deploy: push', file: 'flows/etl.yaml' })
  })

  it('annotations: false writes none of them', async () => {
    await publishReport(configOf({ annotations: 'false' }), located(1), true, {})
    expect(core.fake.annotations).toEqual([])
  })
})
