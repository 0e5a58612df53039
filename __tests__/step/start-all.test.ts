/**
 * The start phase (src/step/start-all.ts) against the emulator: one start (adopting this run's own
 * on a retry); with several names each start is reported as it succeeds, a failed start becomes
 * that execution's own result, and only when nothing can be followed does the phase throw. (A
 * cancel while starting: follow-all.test.ts.)
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { useFollowing } from '../support/follow.js'
import { NO_DESCRIBE_FLOW } from '../support/express.js'
import { DEMO_CREDENTIAL } from '../../emulator/index.js'
import { followError, track, type Following } from '../../src/step/execution-outcome.js'

jest.unstable_mockModule('@actions/core', () => core)
const { startAll, startOne } = await import('../../src/step/start-all.js')

const f = useFollowing({
  flows: [
    { name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll', durationMs: 0 }] },
    { name: 'smoke', executionMode: 'Express', steps: [{ type: 'pass', name: 'probe' }] }
  ],
  credentials: [DEMO_CREDENTIAL, NO_DESCRIBE_FLOW]
})
let serial = 0
const unique = (prefix: string) => `${prefix}-${++serial}`
beforeEach(() => core.resetCore())

/** An execution that already ended: starting that name again fails. */
function ended(name: string): void {
  f.emulator.createExecution('deploy', name, {})
  f.emulator.release('deploy', name)
}

function slots(names: string[]): Following[] {
  return names.map((n) => track(n, '{}'))
}

describe('startAll', () => {
  it('reports the growing list of started names, and a failed start as that slot’s error', async () => {
    const [a, gone, b] = [unique('a'), unique('gone'), unique('b')]
    ended(gone)
    const saved: string[][] = []
    const result = await startAll(
      f.context({ 'execution-name': [a, gone, b].join('\n'), start: 'true' }),
      slots([a, gone, b]),
      (names) => saved.push([...names])
    )
    const latest = result.outcomes
    expect(result.failed).toEqual([gone])
    expect(saved.map((s) => s.length)).toEqual([1, 2])
    expect(saved.at(-1)!.sort()).toEqual([a, b].sort())
    expect(latest[0]!.execution?.Status).toBe('Running')
    expect(followError(latest[1]!)).toBeInstanceOf(Error)
    expect(core.fake.log).toContainEqual(
      expect.stringMatching(new RegExp(`^warning: Execution ${gone} could not be started`))
    )
    for (const n of [a, b]) f.emulator.release('deploy', n)
  })

  it('throws the first error when every start failed', async () => {
    const [x, y] = [unique('gone'), unique('gone')]
    ended(x)
    ended(y)
    await expect(
      startAll(
        f.context({ 'execution-name': `${x}\n${y}`, start: 'true' }),
        slots([x, y]),
        () => {}
      )
    ).rejects.toThrow(/already ended/)
  })
})

describe('startOne', () => {
  it('starts the execution with its input', async () => {
    const name = unique('one')
    const t = await startOne(f.context({ 'execution-name': name }), track(name, '{"v":1}'))
    expect(t.execution?.Status).toBe('Running')
    const start = f.emulator.requests.find(
      (r) => r.action === 'StartExecution' && r.params.ExecutionName === name
    )!
    expect(start.params.Input).toBe('{"v":1}')
    expect(core.fake.log).toContain(`info: Started execution ${name} of flow deploy.`)
  })

  it('a given name that already ended is an error that says to use a new one', async () => {
    const name = unique('one')
    f.emulator.createExecution('deploy', name, {})
    f.emulator.release('deploy', name)
    await expect(
      startOne(f.context({ 'execution-name': name, start: 'true' }), track(name, '{}'))
    ).rejects.toThrow(/already ended; execution names are unique within a flow\. Use a new/)
  })

  it('a name made from the run that already exists is this run’s own: it is read, not refused', async () => {
    const context = f.context({ 'execution-name': '', start: 'true' })
    const name = context.config.executions[0]!.name
    f.emulator.createExecution('deploy', name, {})
    f.emulator.release('deploy', name, { status: 'Failed', error: 'E', cause: 'c' })
    const t = await startOne(context, track(name, '{}'))
    expect(t.execution?.Status).toBe('Failed')
    expect(core.fake.log).toContain(
      `info: Execution ${name} was already started by this run; reading how it ended.`
    )
  })
})

describe('an express flow', () => {
  const actions = (name: string) =>
    f.emulator.requests.filter((r) => r.params.ExecutionName === name).map((r) => r.action)

  it('StartExecution first, DescribeFlow after its refusal, then StartSyncExecution to the end', async () => {
    const name = unique('x')
    const t = await startOne(f.context({ 'flow-name': 'smoke', start: 'true' }), track(name, '{}'))
    expect(t).toMatchObject({ state: 'ended', express: true })
    expect(t.execution?.Status).toBe('Succeeded')
    expect(actions(name)).toEqual(['StartExecution', 'StartSyncExecution'])
  })

  it('without DescribeFlow, StartSyncExecution is tried on the refusal alone', async () => {
    const name = unique('x')
    const context = {
      ...f.context({ 'flow-name': 'smoke', start: 'true' }),
      client: f.client(NO_DESCRIBE_FLOW)
    }
    const t = await startOne(context, track(name, '{}'))
    expect(t.execution?.Status).toBe('Succeeded')
    expect(actions(name)).toEqual(['StartExecution', 'StartSyncExecution'])
  })

  it('a standard flow refused, with DescribeFlow denied: the first refusal stands, nothing started', async () => {
    const name = unique('refused')
    f.emulator.injectFault({
      kind: 'answer',
      action: 'StartExecution',
      status: 400,
      body: JSON.stringify({ Code: 'InvalidArgument', Message: 'no', RequestId: 'r' })
    })
    const context = { ...f.context({ start: 'true' }), client: f.client(NO_DESCRIBE_FLOW) }
    await expect(startOne(context, track(name, '{}'))).rejects.toMatchObject({
      action: 'StartExecution',
      code: 'InvalidArgument'
    })
    expect(actions(name)).toEqual(['StartExecution', 'StartSyncExecution'])
    expect(f.emulator.execution('deploy', name)).toBeUndefined()
    expect(core.fake.log).toContainEqual(
      expect.stringMatching(
        /^info: StartExecution of .* was refused, DescribeFlow could not say whether flow deploy is an Express flow, and StartSyncExecution was refused too \(StartSyncExecution failed: HTTP 400 ActionNotSupported/
      )
    )
  })

  it('startAll: express executions run at once, none is saved for a stop, each is left to itself', async () => {
    const names = [unique('x'), unique('x')]
    const saved: string[][] = []
    const left: string[][] = []
    const describesBefore = f.emulator.count('DescribeFlow')
    const result = await startAll(
      f.context({ 'flow-name': 'smoke', 'execution-name': names.join('\n'), start: 'true' }),
      slots(names),
      (started) => saved.push([...started]),
      { refused: (names) => left.push([...names]) }
    )
    expect(result.outcomes.map((t) => [t.state, t.express])).toEqual([
      ['ended', true],
      ['ended', true]
    ])
    expect(saved).toEqual([])
    // The post step leaves them: no API stops an express execution.
    expect(left.at(-1)?.toSorted()).toEqual(names.toSorted())
    expect(f.emulator.count('DescribeFlow') - describesBefore).toBe(1)
  })
})
