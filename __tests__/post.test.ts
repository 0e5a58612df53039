/**
 * The post step (src/post.ts) in process (support/harness.ts): a second chance to stop what a
 * killed main step left running, and nothing to do after a main step that finished.
 */
import { describe, expect, it } from '@jest/globals'
import { DEMO_CREDENTIAL } from '../emulator/index.js'
import { ENV, core, fake, runPost, useHarness } from './support/harness.js'

const h = useHarness({
  flows: [
    // Held: ends only when a test releases it.
    { name: 'deploy', hold: true, steps: [{ type: 'task', name: 'roll-out', durationMs: 0 }] }
  ]
})
const { requestsFor } = h
const uniqueName = h.unique

describe('post step', () => {
  function postState(name: string, stopOnCancel: boolean, phase = 'waiting') {
    return {
      isPost: 'true',
      'flow-name': 'deploy',
      'execution-name': name,
      'stop-on-cancel': String(stopOnCancel),
      phase
    }
  }
  function inputs() {
    return {
      'flow-name': 'deploy',
      'execution-name': 'ignored',
      endpoint: h.emulator.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
    }
  }

  it('stops an execution the killed main step left running', async () => {
    const name = uniqueName('post')
    h.emulator.createExecution('deploy', name, {})
    core.resetCore(inputs(), postState(name, true))
    await runPost(ENV)
    expect(requestsFor(name, 'StopExecution').map((r) => r.params.Error)).toEqual([
      'GitHubRunCancelled'
    ])
    expect(h.emulator.execution('deploy', name)?.status).toBe('Stopped')
    expect(fake.failed).toBeUndefined()
  })

  it('does nothing after a main step that finished, or when told not to stop', async () => {
    const name = uniqueName('post')
    h.emulator.createExecution('deploy', name, {})
    const before = h.emulator.count()
    core.resetCore(inputs(), postState(name, true, 'done'))
    await runPost(ENV)
    core.resetCore(inputs(), postState(name, false))
    await runPost(ENV)
    expect(h.emulator.count()).toBe(before)
    expect(fake.log).toContainEqual(expect.stringMatching(/leaving .* as they are/))
    h.emulator.release('deploy', name)
  })

  it('says nothing when the main step left nothing behind (every name stopped or refused)', async () => {
    const [stopped, refused] = [uniqueName('post'), uniqueName('post')]
    core.resetCore(inputs(), {
      ...postState(stopped, false),
      starting: [stopped, refused].join('\n'),
      stopped,
      refused
    })
    await runPost(ENV)
    expect(fake.log.filter((l) => l.includes('as they are'))).toEqual([])
  })

  it('an execution that already ended is left alone, and the post step never fails', async () => {
    const name = uniqueName('post')
    h.emulator.createExecution('deploy', name, {})
    h.emulator.release('deploy', name)
    core.resetCore(inputs(), postState(name, true))
    await runPost(ENV)
    expect(requestsFor(name, 'StopExecution')).toHaveLength(0)
    expect(fake.log).toContainEqual(expect.stringMatching(/already ended Succeeded/))
    expect(fake.failed).toBeUndefined()
  })
})
