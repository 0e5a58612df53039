/**
 * A cancel with a large fan-out, in process (support/harness.ts): the stops take the whole
 * StopExecution bucket (not the 80 % the wait keeps to), in a deliberate order; every name is
 * saved before its StartExecution goes out; a PR comment under way when the cancel comes gets
 * what is left of the window; and the post step stops what is left, unanswered starts included,
 * until each is stopped or known ended. The client's own rate limiter is the one under test (the
 * emulator does not throttle here); counts and order are asserted, never durations.
 */
import { describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL } from '../emulator/index.js'
import { startHangingGitHub } from './support/github-fake.js'
import { ENV, core, fake, run, runPost, useHarness } from './support/harness.js'

const h = useHarness({
  flows: [{ name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll', durationMs: 0 }] }]
})
const { unique, inputs } = h

/** Under the 500 ms StopExecution's bucket takes to refill one token at 2/s: only the burst fits. */
const BUDGET = { cancelBudgetMs: 450 }

const stopsSent = () =>
  h.emulator.requests.filter((r) => r.action === 'StopExecution').map((r) => r.params.ExecutionName)

describe('cancel of a large fan-out', () => {
  it('the stops take the whole burst (10, not 8), known-running first in the order given, unanswered starts last', async () => {
    const names = Array.from({ length: 12 }, () => unique('fan'))
    core.resetCore(inputs(names, { start: 'true' }))
    // The first StartExecution to arrive is never answered.
    h.emulator.injectFault({ kind: 'hang', action: 'StartExecution' })
    const savedAtFirstStart = h.emulator
      .waitForRequest((r) => r.action === 'StartExecution')
      .then(() => fake.state.get('starting'))
    const running = run(ENV, BUDGET)
    // Cancelled during the start phase: eleven answered, one never will be.
    const answered = () => fake.log.filter((l) => l.startsWith('info: Started execution'))
    await h.until(() => answered().length === 11, running)
    const hung = h.emulator.requests.find(
      (r) => r.action === 'StartExecution' && r.code === 'NoResponse'
    )!.params.ExecutionName!
    const known = names.filter((n) => n !== hung)
    process.emit('SIGINT')
    await running

    // Every name was saved before the first StartExecution reached the service.
    expect((await savedAtFirstStart)?.split('\n')).toEqual(names)
    // The whole burst of the "other APIs" bucket, in the order given; the rest left for later.
    expect(stopsSent()).toEqual(known.slice(0, 10))
    expect(fake.state.get('stopped')?.split('\n').sort()).toEqual(known.slice(0, 10).sort())
    expect(h.warnings()).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^warning: 2 of 12 stops got no answer .*post step stops them \\(${known[10]}, ${hung}\\)`
        )
      )
    )
    expect(fake.state.get('phase')).toBe('waiting')

    // The post step, with the state the runner keeps: the 11th, then the unanswered start.
    const state = Object.fromEntries(fake.state)
    core.resetCore(inputs(names, { start: 'true' }), state)
    await runPost(ENV)
    expect(stopsSent().slice(10)).toEqual([known[10]])
    expect(fake.log).toContainEqual(
      `info: Execution ${hung} never started (its start had no answer).`
    )
    for (const n of known) expect(h.emulator.execution('deploy', n)?.status).toBe('Stopped')
  })

  it('the post step keeps going until each is stopped or known ended; never a refused or stopped name', async () => {
    const [started, unanswered, missing, stopped, refused, ended] = [
      'started',
      'unanswered',
      'missing',
      'stopped',
      'refused',
      'ended'
    ].map(unique) as [string, string, string, string, string, string]
    for (const n of [started, unanswered, stopped, refused])
      h.emulator.createExecution('deploy', n, {})
    h.ended(ended)
    // Twice "Update conflict, please retry": read again, stop again.
    h.emulator.injectFault({ kind: 'conflict', action: 'StopExecution', count: 2 })
    core.resetCore(
      {
        'flow-name': 'deploy',
        endpoint: h.emulator.url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
        start: 'true'
      },
      {
        isPost: 'true',
        phase: 'waiting',
        'flow-name': 'deploy',
        'stop-on-cancel': 'true',
        starting: [unanswered, missing, refused, started, stopped, ended].join('\n'),
        'execution-name': [started, stopped, ended].join('\n'),
        refused,
        stopped
      }
    )
    await runPost(ENV)
    expect(h.emulator.execution('deploy', started)?.status).toBe('Stopped')
    expect(h.emulator.execution('deploy', unanswered)?.status).toBe('Stopped')
    expect(h.emulator.execution('deploy', stopped)?.status).toBe('Running')
    expect(h.emulator.execution('deploy', refused)?.status).toBe('Running')
    const answered = h.emulator.requests
      .filter((r) => r.action === 'StopExecution' && r.status === 200)
      .map((r) => r.params.ExecutionName)
    expect(answered.slice(-2)).toEqual([started, unanswered])
    expect(fake.log).toContainEqual(
      `info: Execution ${missing} never started (its start had no answer).`
    )
    expect(fake.log).toContainEqual(
      `info: Execution ${ended} already ended Succeeded; nothing to stop.`
    )
    expect(h.warnings()).toEqual([])
    h.emulator.release('deploy', stopped)
    h.emulator.release('deploy', refused)
  })

  it('a cancel while the PR comment hangs: the comment gets what is left of the window, the step its failure', async () => {
    const github = await startHangingGitHub()
    const name = unique('pr')
    h.given([name], 'deploy', { 'pr-comment': 'always', 'github-token': 'ghs_fake' })
    const running = run({ ...ENV, ...github.env }, BUDGET)
    await h.whenHeld(name, running)
    h.emulator.release('deploy', name, { status: 'Failed', error: 'E', cause: 'c' })
    // The wait is over and the comment under way when the cancel comes.
    await github.asked
    process.emit('SIGINT')
    await running
    expect(fake.log).toContainEqual(
      expect.stringMatching(
        /^warning: Could not comment on the pull request: no answer within 0\.5s/
      )
    )
    expect(fake.failed).toMatch(/did not succeed|Failed/)
    await github.close()
  })
})
