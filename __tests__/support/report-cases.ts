/**
 * The failure report's cases, written once and run two ways: in process through run() for every
 * way the service can link history events (main.report.test.ts), and once through the bundle as a
 * child process (e2e/report.e2e.test.ts), which shows the files, the workflow commands on stdout
 * and the GitHub REST calls a runner sees. Each reads back the job summary, the annotations, the
 * outputs, and the comments a local fake of GitHub's REST API received.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import MarkdownIt from 'markdown-it'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type FlowScript,
  type Linking
} from '../../emulator/index.js'
import { NIGHTLY_ETL, RELEASE_PIPELINE } from '../../emulator/demo-flows.js'
import { startGitHubFake, type GitHubFake } from './github-fake.js'

/** What a runner keeps of one step: exit code, outputs, job summary, annotations. */
export interface StepRun {
  code: number | null
  outputs: Record<string, string>
  summary: string
  annotations: Array<{ level: string; title?: string; message: string }>
}

/** Runs the action once with these inputs and runner variables. */
export type RunStep = (options: {
  inputs: Record<string, string>
  env?: Record<string, string>
}) => Promise<StepRun>

/**
 * Emulated time runs this much faster than real time: the demo flows take seconds of emulated
 * time, and every execution still ends by its script (the slow flow outlasts the 1 s timeout
 * input by an hour of emulated time, 3 minutes of real time).
 */
const SPEED = 20

const HOSTILE = '<img src=x onerror=alert(1)>|`|</details>**x** @octocat'
const FLOWS: FlowScript[] = [
  NIGHTLY_ETL,
  RELEASE_PIPELINE,
  {
    name: 'hostile-flow',
    steps: [{ type: 'task', name: 'evil|step', fail: { error: 'Bad`Error', cause: HOSTILE } }]
  },
  {
    name: 'wide-flow',
    steps: [
      {
        type: 'foreach',
        name: 'each-shard',
        iterations: 400,
        steps: [{ type: 'task', name: 'work', durationMs: 10 }],
        padBytes: 2048
      }
    ]
  },
  {
    name: 'many-failures',
    steps: [
      {
        type: 'parallel',
        name: 'fanout',
        branches: Array.from({ length: 15 }, (_, i) => [
          {
            type: 'fail' as const,
            name: `region-${i}`,
            error: 'Deploy.Failed',
            cause: `region ${i} rejected`
          }
        ])
      }
    ]
  },
  { name: 'slow-flow', steps: [{ type: 'wait', name: 'long-wait', durationMs: 3_600_000 }] }
]

/** The report's cases against an emulator that links history events as `linking` says. */
export function reportCases(linking: Linking, runAction: RunStep): void {
  let emulator: Emulator
  let github: GitHubFake
  let serial = 0

  beforeAll(async () => {
    // The report must not depend on how the service links history events.
    emulator = await startEmulator({ speed: SPEED, flows: FLOWS.map((f) => ({ ...f, linking })) })
    github = await startGitHubFake()
  })
  afterAll(async () => {
    await emulator.close()
    await github.close()
  })

  function inputsFor(flow: string, extra: Record<string, string> = {}): Record<string, string> {
    const name = `r-${process.pid}-${++serial}`
    emulator.createExecution(flow, name, {})
    return {
      'flow-name': flow,
      'execution-name': name,
      endpoint: emulator.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
      ...extra
    }
  }

  function historyRequests(name: string): number {
    return emulator.requests.filter(
      (r) => r.action === 'GetExecutionHistory' && r.params.ExecutionName === name
    ).length
  }

  describe('a failure inside nested steps', () => {
    it('names the root cause in outputs, annotations, the failure message and the summary', async () => {
      const inputs = inputsFor('nightly-etl')
      const run = await runAction({ inputs })
      expect(run.code).toBe(1)
      const path = 'transform › branch 1 › load-partitions › iteration 2 › load-partition'
      expect(run.outputs).toMatchObject({
        status: 'Failed',
        'failed-step': path,
        error: 'FC.ConnectionTimeout',
        cause: 'connect ETIMEDOUT 10.0.3.7:5432'
      })
      expect(Number(run.outputs['history-events'])).toBeGreaterThan(40)
      const errors = run.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(2)
      expect(errors[0]).toMatchObject({ title: `FnF nightly-etl: ${path}` })
      expect(errors[0]!.message).toMatch(/FC\.ConnectionTimeout: connect ETIMEDOUT.*3 attempts/)
      expect(errors[1]!.message).toMatch(
        /ended Failed.*Root cause: step transform › .* load-partition/
      )
      // The caught failure is shown, but not blamed.
      expect(run.summary).toMatch(/validate-schema.*Failed \(caught\)/)
      expect(run.summary).toContain('#### Root cause')
      expect(run.summary.indexOf('Root cause')).toBeLessThan(run.summary.indexOf('| Step |'))
    })

    it('renders hostile flow content as text', async () => {
      const run = await runAction({ inputs: inputsFor('hostile-flow') })
      expect(run.code).toBe(1)
      const html = new MarkdownIt({ html: true }).render(run.summary)
      expect(html).not.toMatch(/<img/i)
      expect(html).not.toContain('<strong>x</strong>')
      expect(html.match(/<details/g)?.length ?? 0).toBe(html.match(/<\/details>/g)?.length ?? 0)
      expect(run.summary).not.toMatch(/(^|[^\u200b])@octocat/)
      // The table keeps six columns even though the step name has a pipe.
      const row = run.summary.split('\n').find((line) => line.startsWith('| evil'))
      expect(row?.split(/(?<!\\)\|/).length).toBe(8)
      expect(run.outputs.cause).toBe(HOSTILE)
    })

    it('caps error annotations at GitHub’s 10 per step, with a count of the rest', async () => {
      const run = await runAction({ inputs: inputsFor('many-failures') })
      const errors = run.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(10)
      // 8 root causes, then one that counts the other 7; the 10th is the step's own failure.
      expect(`${errors[8]!.title} ${errors[8]!.message}`).toMatch(/7 more/)
      expect(errors[8]!.message).toContain('region-14')
    })
  })

  describe('the history input', () => {
    it('never: no history request, summary still written', async () => {
      const inputs = inputsFor('nightly-etl', { history: 'never' })
      const run = await runAction({ inputs })
      expect(run.code).toBe(1)
      expect(historyRequests(inputs['execution-name']!)).toBe(0)
      expect(run.outputs['failed-step']).toBe('')
      expect(run.outputs['history-events']).toBe('')
      expect(run.summary).toMatch(/nightly-etl/)
    })

    it('on-failure (default): no history request for a success', async () => {
      const inputs = inputsFor('release-pipeline')
      const run = await runAction({ inputs })
      expect(run.code).toBe(0)
      expect(historyRequests(inputs['execution-name']!)).toBe(0)
      expect(run.summary).toMatch(/Succeeded/)
    })

    it('always: a timeline on success, paged 100 events a page (small pages)', async () => {
      const inputs = inputsFor('wide-flow', { history: 'always' })
      const run = await runAction({ inputs })
      expect(run.code).toBe(0)
      const events = Number(run.outputs['history-events'])
      expect(events).toBeGreaterThan(2000)
      const limits = emulator.requests
        .filter(
          (r) =>
            r.action === 'GetExecutionHistory' &&
            r.params.ExecutionName === inputs['execution-name']
        )
        .map((r) => r.params.Limit)
      // No byte cap per page is documented: 100 events of up to 64 KiB keep each answer small.
      expect(limits.length).toBeGreaterThanOrEqual(Math.ceil(events / 100))
      expect(new Set(limits)).toEqual(new Set(['100']))
      expect(run.summary).toMatch(/each-shard/)
      expect(run.annotations.filter((a) => a.level === 'error')).toHaveLength(0)
    })

    it('our own timeout: the steps still running are named', async () => {
      const run = await runAction({ inputs: inputsFor('slow-flow', { timeout: '1s' }) })
      expect(run.code).toBe(1)
      expect(run.outputs['wait-timed-out']).toBe('true')
      const errors = run.annotations.filter((a) => a.level === 'error')
      expect(errors.some((a) => /long-wait/.test(`${a.title} ${a.message}`))).toBe(true)
      expect(run.summary).toMatch(/long-wait/)
    })
  })

  describe('summary and annotations can be turned off', () => {
    it('summary: false, annotations: false', async () => {
      const run = await runAction({
        inputs: inputsFor('nightly-etl', { summary: 'false', annotations: 'false' })
      })
      expect(run.code).toBe(1)
      expect(run.summary).toBe('')
      // Only the step's own failure remains.
      expect(run.annotations.filter((a) => a.level === 'error')).toHaveLength(1)
    })
  })

  describe('pr-comment', () => {
    function pullRequestEnv(number: number): Record<string, string> {
      const event = join(mkdtempSync(join(tmpdir(), 'fnf-wait-event-')), 'event.json')
      writeFileSync(
        event,
        JSON.stringify({
          pull_request: { number },
          repository: { name: 'app', owner: { login: 'octo' } }
        })
      )
      return {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event,
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: 'octo/app'
      }
    }

    it('creates one comment per flow and PR, then updates it in place', async () => {
      const env = pullRequestEnv(7)
      const inputs = { 'pr-comment': 'on-failure', 'github-token': 'ghs_fake_token' }
      const first = await runAction({ inputs: inputsFor('nightly-etl', inputs), env })
      expect(first.code).toBe(1)
      expect(github.comments('octo', 'app', 7)).toHaveLength(1)
      const second = await runAction({ inputs: inputsFor('nightly-etl', inputs), env })
      expect(second.code).toBe(1)
      const comments = github.comments('octo', 'app', 7)
      expect(comments).toHaveLength(1)
      // Updated in place: it names the second execution and no longer the first (the names share
      // their `r-<pid>-` prefix, so only the whole name, up to its closing tag, tells them apart).
      expect(comments[0]!.body).toContain(`<code>${second.outputs['execution-name']}</code>`)
      expect(comments[0]!.body).not.toContain(`<code>${first.outputs['execution-name']}</code>`)
      expect(comments[0]!.body).toContain('<!-- fnf-wait:flow=')
      const methods = github.requests.filter(
        (r) => r.path.includes('/issues/7/comments') || r.path.includes('/issues/comments/')
      )
      expect(methods.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'PATCH'])
      expect(github.requests.every((r) => r.headers.authorization === 'token ghs_fake_token')).toBe(
        true
      )
    })

    it('a missing permission is a warning with the permissions line, not a failure', async () => {
      github.failWith('GET', /\/issues\/8\/comments/, 403, {
        body: { message: 'Resource not accessible by integration' }
      })
      const env = pullRequestEnv(8)
      const run = await runAction({
        inputs: inputsFor('release-pipeline', {
          'pr-comment': 'always',
          'github-token': 'ghs_fake_token'
        }),
        env
      })
      expect(run.code).toBe(0)
      expect(
        run.annotations.some((a) => a.level === 'warning' && /pull-requests: write/.test(a.message))
      ).toBe(true)
    })

    it('does nothing outside a pull request event', async () => {
      const before = github.requests.length
      const run = await runAction({
        inputs: inputsFor('nightly-etl', {
          'pr-comment': 'always',
          'github-token': 'ghs_fake_token'
        }),
        env: { GITHUB_API_URL: github.url }
      })
      expect(run.code).toBe(1)
      expect(github.requests.length).toBe(before)
    })
  })
}
