/**
 * Each failed step's lines in the workspace's flow definition (src/step/locate-failures.ts), on
 * folded histories and real workspace files: the root cause two levels down and the other failures
 * by their history paths, a caught failure, the definition input or discovery, a file that is not
 * what ran, links to the lines, and every reason a step is not placed said once, never thrown.
 */
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '../support/core.js'
import type { Execution } from '../../src/fnf/types.js'
import type { ExecutionReport } from '../../src/history/index.js'
import { track, type Tracked } from '../../src/step/execution-outcome.js'
import { configOf } from '../support/config.js'
import { HistoryBuilder, fcCause } from '../support/history-builder.js'
import { fold } from '../support/history-model.js'
import { writeTree } from '../definition/helpers.js'

jest.unstable_mockModule('@actions/core', () => core)
const { failedSteps, locateFailures } = await import('../../src/step/locate-failures.js')

/** Lines 1-21: validate (4-8), fanout (9-21): branch 0 build, branch 1 each-region › push-image (18-21). */
const DEFINITION = `version: v1
type: flow
steps:
  - type: task
    name: validate
    catch:
      - errors: [FnF.ALL]
        goto: next
  - type: parallel
    name: fanout
    branches:
      - steps:
          - type: task
            name: build
      - steps:
          - type: foreach
            name: each-region
            steps:
              - type: task
                name: push-image
                resourceArn: acs:fc:::functions/push
`
/** The same steps two lines further down, and a step more: not the definition that ran. */
const EDITED = DEFINITION.replace('steps:\n', 'steps:\n  - type: pass\n    name: added\n')

const SHA = 'a'.repeat(40)
const HEAD = 'b'.repeat(40)
const RUNNER = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_SHA: SHA
}

/** validate fails and is caught; fanout › branch 1 › each-region fails in iterations 1 and 2. */
function failedReport(): ExecutionReport {
  const h = new HistoryBuilder().started({})
  h.top.task('validate', [{ fail: { error: 'Schema.Drift', cause: 'a new column' } }])
  const fanout = h.top.open('fanout')
  const b0 = fanout.branch(0)
  const b1 = fanout.branch(1)
  b0.task('build')
  b0.exit()
  const each = b1.open('each-region')
  const cause = fcCause('registry said no: 401')
  for (const i of [0, 1, 2]) {
    const it = each.iteration(i)
    if (i === 0) it.task('push-image').exit()
    else it.task('push-image', [{ fail: { error: 'FC.Unhandled', cause } }])
  }
  each.fail({ error: 'FC.Unhandled', cause })
  fanout.fail({ error: 'FC.Unhandled', cause })
  h.failed({ error: 'FC.Unhandled', cause })
  return fold(h.events, exec('Failed'))
}

function exec(status: Execution['Status'], FlowDefinition = DEFINITION): Execution {
  return { Name: 'run-1', FlowName: 'deploy', Status: status, FlowDefinition }
}

function ended(report: ExecutionReport, execution = exec('Failed'), name = 'run-1'): Tracked {
  return { ...track(name, '{}'), state: 'ended', execution: { ...execution, Name: name }, report }
}

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'fnf-wait-locate-')))
let serial = 0
/** A workspace (not a git checkout: the walk lists it) holding these files. */
function workspace(files: Record<string, string>): string {
  const root = join(scratch, `ws-${++serial}`)
  writeTree(root, files)
  return root
}

beforeEach(() => core.resetCore())
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const PUSH = 'fanout › branch 1 › each-region › iteration 1 › push-image'
const PUSH_2 = 'fanout › branch 1 › each-region › iteration 2 › push-image'

describe('failedSteps', () => {
  it('gives the root causes in blame order and the caught failure, each with its path from the top', () => {
    const { blamed, caught } = failedSteps(failedReport())
    expect(blamed.map((s) => s.node.pathText)).toEqual([PUSH, PUSH_2])
    expect(blamed[0]!.chain.map(({ kind, name, index }) => ({ kind, name, index }))).toEqual([
      { kind: 'parallel', name: 'fanout', index: undefined },
      { kind: 'branch', name: 'fanout', index: 1 },
      { kind: 'foreach', name: 'each-region', index: undefined },
      { kind: 'iteration', name: 'each-region', index: 1 },
      { kind: 'task', name: 'push-image', index: undefined }
    ])
    expect(caught.map((s) => s.node.pathText)).toEqual(['validate'])
  })

  it('has nothing to place for an execution that failed in no step', () => {
    const h = new HistoryBuilder().started({})
    h.failed({ error: 'FnF.OutputMapping', cause: 'bad' })
    expect(failedSteps(fold(h.events, exec('Failed')))).toEqual({ blamed: [], caught: [] })
  })
})

describe('locateFailures', () => {
  it('finds the file that ran among the workspace files and places every failed step, linked', async () => {
    const root = workspace({ 'flows/deploy.yaml': DEFINITION, 'other.yaml': 'steps: []\n' })
    const config = configOf({}, { GITHUB_WORKSPACE: root })
    const located = await locateFailures(config, [ended(failedReport())], RUNNER)
    const places = located.get('run-1')!
    const url = `https://github.com/octo/app/blob/${SHA}/flows/deploy.yaml#L19-L21`
    const push = {
      file: 'flows/deploy.yaml',
      startLine: 19,
      endLine: 21,
      sameDefinition: true,
      url
    }
    expect(Object.fromEntries(places.steps)).toEqual({ [PUSH]: push, [PUSH_2]: push })
    expect(places.caught).toEqual([
      {
        pathText: 'validate',
        error: 'Schema.Drift',
        cause: 'a new column',
        count: 1,
        place: {
          file: 'flows/deploy.yaml',
          startLine: 4,
          endLine: 8,
          sameDefinition: true,
          url: `https://github.com/octo/app/blob/${SHA}/flows/deploy.yaml#L4-L8`
        }
      }
    ])
    expect(core.fake.annotations).toEqual([])
  })

  it("the definition input names a file that is not what ran: its lines, said to be another definition's", async () => {
    const root = workspace({ 'flows/deploy.yaml': EDITED })
    const config = configOf({ definition: 'flows/deploy.yaml' }, { GITHUB_WORKSPACE: root })
    const located = await locateFailures(config, [ended(failedReport())], {})
    expect(located.get('run-1')!.steps.get(PUSH)).toEqual({
      file: 'flows/deploy.yaml',
      startLine: 21,
      endLine: 23,
      sameDefinition: false
    })
    expect(core.fake.log).toContain(
      'debug: flows/deploy.yaml is not what run-1 ran: the file differs from the executed definition at "steps".'
    )
  })

  it("links a pull request's head commit, not the merge commit the job checked out", async () => {
    const root = workspace({ 'deploy.yaml': DEFINITION })
    const event = join(root, 'event.json')
    writeFileSync(event, JSON.stringify({ pull_request: { head: { sha: HEAD } } }))
    const config = configOf({}, { GITHUB_WORKSPACE: root })
    const env = { ...RUNNER, GITHUB_EVENT_PATH: event }
    const located = await locateFailures(config, [ended(failedReport())], env)
    expect(located.get('run-1')!.steps.get(PUSH)?.url).toBe(
      `https://github.com/octo/app/blob/${HEAD}/deploy.yaml#L19-L21`
    )
  })

  it('one lookup per definition for several executions, each placed', async () => {
    const root = workspace({ 'deploy.yaml': DEFINITION })
    const config = configOf({}, { GITHUB_WORKSPACE: root })
    const outcomes = ['a', 'b'].map((name) => ended(failedReport(), exec('Failed'), name))
    const located = await locateFailures(config, outcomes, {})
    expect([...located.keys()]).toEqual(['a', 'b'])
  })

  it('no file holds what ran: nothing placed, one debug line saying why', async () => {
    const root = workspace({ 'deploy.yaml': EDITED, 'copy.yaml': EDITED })
    const config = configOf({}, { GITHUB_WORKSPACE: root })
    const outcomes = ['a', 'b'].map((name) => ended(failedReport(), exec('Failed'), name))
    expect((await locateFailures(config, outcomes, {})).size).toBe(0)
    const debug = core.fake.log.filter((l) => l.startsWith('debug: '))
    expect(debug).toEqual([
      'debug: No flow definition file for a: none of the 2 workspace .yaml/.yml/.json files holds the definition the execution ran.'
    ])
  })

  it('two files hold what ran: nothing placed, the debug line names them', async () => {
    const root = workspace({ 'a.yaml': DEFINITION, 'b.yaml': DEFINITION })
    const config = configOf({}, { GITHUB_WORKSPACE: root })
    expect((await locateFailures(config, [ended(failedReport())], {})).size).toBe(0)
    expect(core.fake.log).toContainEqual(
      expect.stringMatching(
        /^debug: .*2 workspace .* files hold .*"a.yaml", "b.yaml".*set the definition input/
      )
    )
  })

  it('a definition input that names no file is a warning naming the input, once', async () => {
    const root = workspace({ 'deploy.yaml': DEFINITION })
    const config = configOf({ definition: 'flows/gone.yaml' }, { GITHUB_WORKSPACE: root })
    const outcomes = ['a', 'b'].map((name) => ended(failedReport(), exec('Failed'), name))
    expect((await locateFailures(config, outcomes, {})).size).toBe(0)
    expect(core.fake.annotations).toEqual([
      {
        level: 'warning',
        message: expect.stringMatching(
          /^Input "definition" is "flows\/gone.yaml", which does not exist in the workspace/
        )
      }
    ])
  })

  it.each([
    ['huge', 'x: 1\n'.repeat(300_000), /is 1,500,000 bytes, over the limit of 1 MiB/],
    ['deeply nested', `${'['.repeat(500)}${']'.repeat(500)}\n`, /cannot be read: it nests deeper/]
  ])(
    'a %s file named by the input is refused within bounds, with a warning',
    async (_kind, text, why) => {
      const root = workspace({ 'flow.yaml': text })
      const config = configOf({ definition: 'flow.yaml' }, { GITHUB_WORKSPACE: root })
      expect((await locateFailures(config, [ended(failedReport())], {})).size).toBe(0)
      expect(core.fake.annotations).toEqual([
        { level: 'warning', message: expect.stringMatching(why) }
      ])
    }
  )

  it('a step the file does not have is left unplaced, with a debug line; the others are placed', async () => {
    const renamed = DEFINITION.replace('name: validate', 'name: check')
    const root = workspace({ 'deploy.yaml': renamed })
    const config = configOf({ definition: 'deploy.yaml' }, { GITHUB_WORKSPACE: root })
    const places = (await locateFailures(config, [ended(failedReport())], {})).get('run-1')!
    expect(places.caught).toEqual([])
    expect(places.steps.get(PUSH)).toMatchObject({ startLine: 19, sameDefinition: false })
    expect(core.fake.log).toContainEqual(
      'debug: run-1: validate is not placed: the definition has no step named "validate" at the top level of "deploy.yaml".'
    )
  })

  it('without a FlowDefinition from the service, nothing is looked for', async () => {
    const root = workspace({ 'deploy.yaml': DEFINITION })
    const config = configOf({}, { GITHUB_WORKSPACE: root })
    const outcome = ended(failedReport(), exec('Failed', ''))
    expect((await locateFailures(config, [outcome], {})).size).toBe(0)
    expect(core.fake.log).toEqual([
      'debug: run-1: the service gave no FlowDefinition, so no step is placed in a file.'
    ])
  })

  it('nothing failed, or no history was read: nothing to look for, nothing logged', async () => {
    const h = new HistoryBuilder().started({})
    h.top.task('validate')
    h.succeeded()
    const ok = ended(fold(h.events, exec('Succeeded')), exec('Succeeded'), 'ok')
    const unread: Tracked = { ...track('unread', '{}'), state: 'ended', execution: exec('Failed') }
    const config = configOf({}, { GITHUB_WORKSPACE: workspace({ 'deploy.yaml': DEFINITION }) })
    expect((await locateFailures(config, [ok, unread], {})).size).toBe(0)
    expect(core.fake.log).toEqual([])
  })

  it('a caught step in many iterations is one place, counted', async () => {
    const h = new HistoryBuilder().started({})
    const fanout = h.top.open('fanout')
    fanout.branch(0).task('build').exit()
    const b1 = fanout.branch(1)
    const each = b1.open('each-region')
    for (const i of [0, 1, 2]) {
      const it = each.iteration(i)
      // Caught: the iteration goes on past it.
      it.task('push-image', [{ fail: { error: 'FC.Flaky', cause: 'caught' } }])
      it.pass('note-it')
      it.exit()
    }
    each.succeed()
    b1.exit()
    fanout.succeed()
    h.succeeded()
    const report = fold(h.events, exec('Succeeded'))
    const config = configOf({}, { GITHUB_WORKSPACE: workspace({ 'deploy.yaml': DEFINITION }) })
    const located = await locateFailures(config, [ended(report, exec('Succeeded'))], {})
    expect(located.get('run-1')!.caught).toEqual([
      expect.objectContaining({ count: 3, place: expect.objectContaining({ startLine: 19 }) })
    ])
  })
})
