/**
 * run() and runPost() around starting executions (in process, support/harness.ts): executions are
 * never left running unobserved, whether starts partly fail, the job is killed during the starts,
 * the state cannot be saved, or a cancel outlives the runner's window. Starts end, hang or fail
 * when the test says.
 */
import { describe, expect, it } from '@jest/globals'
import { startHangingGitHub } from './support/github-fake.js'
import { ENV, core, fake, run, runPost, useHarness } from './support/harness.js'

const h = useHarness({
  flows: [{ name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll', durationMs: 0 }] }]
})
const { unique, inputs, requestsFor, ended, until, held } = h

describe('an input too large to send', () => {
  it('fails the step naming the input and the limit, before any request', async () => {
    const name = unique('large')
    const before = h.emulator.requests.length
    const input = JSON.stringify({ text: ' '.repeat(400 * 1024) })
    core.resetCore(inputs([name], { start: 'true', input }))
    await run(ENV)
    expect(fake.failed).toMatch(
      /^fnf-wait: Input "input" is too large: StartExecution would send a form body of 1,228,8\d\d bytes/
    )
    expect(fake.failed).toMatch(/limit of 1,024 KiB per request/)
    expect(h.emulator.requests.slice(before)).toEqual([])
  })
})

describe('a partly failed start', () => {
  it('follows what started and reports the failed start as its own result', async () => {
    const [gone, a, b] = [unique('gone'), unique('a'), unique('b')]
    ended(gone)
    core.resetCore(inputs([gone, a, b], { start: 'true' }))
    const running = run(ENV)
    await h.emulator.waitForRequest(held(a))
    await h.emulator.waitForRequest(held(b))
    // The started ones are saved for the post step, the failed one is not.
    expect(fake.state.get('execution-name')!.split('\n').sort()).toEqual([a, b].sort())
    h.emulator.release('deploy', a, { output: { ok: 1 } })
    h.emulator.release('deploy', b, { output: { ok: 2 } })
    await running

    expect(fake.failed).toMatch(
      new RegExp(`^1 of 3 executions of flow deploy did not succeed: ${gone} \\(An execution named`)
    )
    const results = JSON.parse(fake.outputs.get('results')!)
    expect(results[a]).toMatchObject({ status: 'Succeeded', output: { ok: 1 } })
    expect(results[b]).toMatchObject({ status: 'Succeeded', output: { ok: 2 } })
    expect(results[gone].cause).toMatch(/already ended/)
    expect(fake.log).toContainEqual(
      expect.stringMatching(new RegExp(`^warning: Execution ${gone} could not be started`))
    )
    expect(fake.summary).toContain(gone)
    expect(requestsFor(gone, 'StopExecution')).toHaveLength(0)
    expect(fake.state.get('phase')).toBe('done')
  })

  it('fail-fast: a failed start stops the ones that started (stop-on-cancel: auto)', async () => {
    const [gone, a, b] = [unique('gone'), unique('a'), unique('b')]
    ended(gone)
    core.resetCore(inputs([a, gone, b], { start: 'true', 'fail-fast': 'true' }))
    await run(ENV)
    for (const name of [a, b]) {
      expect(requestsFor(name, 'StopExecution').map((r) => r.params.Error)).toEqual([
        'FnfWaitFailFast'
      ])
      expect(h.emulator.execution('deploy', name)?.status).toBe('Stopped')
    }
    expect(requestsFor(gone, 'StopExecution')).toHaveLength(0)
    expect(fake.failed).toMatch(/^3 of 3 executions of flow deploy did not succeed/)
    expect(fake.outputs.get('status')).toBe('Stopped')
  })

  it('stop-on-cancel: false with fail-fast: the started ones are left running, and named', async () => {
    const [gone, a] = [unique('gone'), unique('a')]
    ended(gone)
    core.resetCore(
      inputs([gone, a], { start: 'true', 'fail-fast': 'true', 'stop-on-cancel': 'false' })
    )
    await run(ENV)
    expect(requestsFor(a, 'StopExecution')).toHaveLength(0)
    expect(fake.failed).toMatch(new RegExp(`did not succeed: ${gone} \\(An execution named`))
    expect(JSON.parse(fake.outputs.get('results')!)[a].status).toBe('Running')
    h.emulator.release('deploy', a)
  })

  it('when every start fails, the step fails with the first reason and sends nothing more', async () => {
    const [x, y] = [unique('gone'), unique('gone')]
    ended(x)
    ended(y)
    core.resetCore(inputs([x, y], { start: 'true' }))
    const before = h.emulator.count()
    await run(ENV)
    expect(fake.failed).toMatch(/^fnf-wait: An execution named ".*" of flow deploy already ended/)
    expect(h.emulator.count() - before).toBe(2)
  })
})

describe('killed during the start phase', () => {
  it('each start is saved as it succeeds; the post step stops every one of them', async () => {
    const names = [unique('k'), unique('k'), unique('k'), unique('k')]
    // The first StartExecution to arrive never gets an answer: the phase cannot settle.
    h.emulator.injectFault({ kind: 'hang', action: 'StartExecution' })
    core.resetCore(inputs(names, { start: 'true' }))
    const running = run(ENV)
    const saved = () => fake.state.get('execution-name')?.split('\n').filter(Boolean) ?? []
    await until(() => saved().length === 3, running)
    expect(fake.state.get('phase')).toBe('waiting')
    const started = saved()
    const hung = names.find((n) => !started.includes(n))!
    expect(requestsFor(hung, 'StartExecution')[0]!.code).toBe('NoResponse')

    // The job is killed here: the post step runs with the state saved so far.
    const state = Object.fromEntries(fake.state)
    core.resetCore(inputs(names), state)
    await runPost(ENV)
    for (const name of started) {
      expect(h.emulator.execution('deploy', name)?.status).toBe('Stopped')
    }
    expect(requestsFor(hung, 'StopExecution')).toHaveLength(0)

    // (The in-process main step is still waiting on the hung start: cancel it to end the test.)
    core.resetCore(inputs(names, { start: 'true' }))
    process.emit('SIGINT')
    await running
    expect(fake.failed).toBe('The job was cancelled (SIGINT).')
  })
})

describe('an unwritable GITHUB_STATE', () => {
  it.each([
    ['missing file', 'Missing file at path: /nowhere/state'],
    ['permission denied', "EACCES: permission denied, open '/home/runner/state'"],
    ['read-only file system', "EROFS: read-only file system, open '/state'"]
  ])('%s: a clear error, and not one request', async (_, message) => {
    core.saveState.mockImplementationOnce(() => {
      throw new Error(message)
    })
    core.resetCore(inputs([unique('s')], { start: 'true' }))
    const before = h.emulator.count()
    await expect(run(ENV)).resolves.toBeUndefined()
    expect(fake.failed).toBe(
      `fnf-wait: Could not save the step's state for its post step (${
        process.env.GITHUB_STATE
          ? `GITHUB_STATE is ${process.env.GITHUB_STATE}`
          : 'GITHUB_STATE is not set'
      }): ${message}. Nothing was started or read; run the step where the runner provides a writable GITHUB_STATE file.`
    )
    expect(h.emulator.count()).toBe(before)
  })
})

describe('a cancel that outlives the runner’s window', () => {
  /** The step with a short cancel budget: the budget is the behaviour under test, not a race. */
  const BUDGET = { cancelBudgetMs: 300 }

  it('outputs and the failure message come before the stop; a hanging stop is cut', async () => {
    const name = unique('c')
    core.resetCore(inputs([name], { start: 'true' }))
    h.emulator.injectFault({ kind: 'hang', action: 'StopExecution' })
    const running = run(ENV, BUDGET)
    await h.emulator.waitForRequest(held(name))
    // What the step had written when its StopExecution reached the service.
    const atStop = h.emulator
      .waitForRequest((r) => r.action === 'StopExecution' && r.params.ExecutionName === name)
      .then(() => ({ status: fake.outputs.get('status'), failed: fake.failed }))
    process.emit('SIGINT')
    await running
    expect(await atStop).toEqual({ status: 'Running', failed: 'The job was cancelled (SIGINT).' })
    expect(fake.log).toContainEqual(
      expect.stringMatching(
        new RegExp(`^warning: 1 of 1 stops got no answer within the [\\d.]+s left .*\\(${name}\\)`)
      )
    )
    // Not stopped: the post step gets its second chance.
    expect(fake.state.get('phase')).toBe('waiting')
    expect(fake.state.get('execution-name')).toBe(name)
    h.emulator.release('deploy', name)
  })

  it('each stop has its own deadline: two hang, the third still goes through', async () => {
    const names = [unique('c'), unique('c'), unique('c')]
    core.resetCore(inputs(names, { start: 'true' }))
    const running = run(ENV, BUDGET)
    for (const name of names) await h.emulator.waitForRequest(held(name))
    h.emulator.injectFault({ kind: 'hang', action: 'StopExecution', count: 2 })
    process.emit('SIGINT')
    await running
    const stops = names.map((n) => requestsFor(n, 'StopExecution')[0]!)
    expect(stops.filter((r) => r.code === 'NoResponse')).toHaveLength(2)
    const through = stops.find((r) => r.code !== 'NoResponse')!
    expect(h.emulator.execution('deploy', through.params.ExecutionName!)?.status).toBe('Stopped')
    const hung = stops.filter((r) => r.code === 'NoResponse').map((r) => r.params.ExecutionName)
    expect(fake.log.filter((l) => /stops got no answer within/.test(l))).toEqual([
      expect.stringMatching(new RegExp(`^warning: 2 of 3 stops .*\\(${hung.join(', ')}\\)`))
    ])
    expect(fake.failed).toBe('The job was cancelled (SIGINT).')
    for (const r of stops)
      if (r.code === 'NoResponse') h.emulator.release('deploy', r.params.ExecutionName!)
  })

  it('a GitHub API call that hangs on the cancel path is cut too (pr-comment)', async () => {
    const github = await startHangingGitHub()
    const name = unique('c')
    core.resetCore(
      inputs([name], { start: 'true', 'pr-comment': 'always', 'github-token': 'ghs_fake' })
    )
    const running = run({ ...ENV, ...github.env }, BUDGET)
    await h.emulator.waitForRequest(held(name))
    process.emit('SIGINT')
    await github.asked
    await running
    expect(fake.log).toContainEqual(
      expect.stringMatching(/^warning: Could not comment on the pull request: no answer within/)
    )
    expect(fake.failed).toBe('The job was cancelled (SIGINT).')
    expect(h.emulator.execution('deploy', name)?.status).toBe('Stopped')
    await github.close()
  })
})
