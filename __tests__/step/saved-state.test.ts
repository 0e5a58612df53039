/**
 * The step's saved state (src/step/saved-state.ts) through the typed core fake: what the post step
 * reads back, a first save that cannot be written failing the step before any request, and later
 * ones only warning.
 */
import { beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'

jest.unstable_mockModule('@actions/core', () => core)
const {
  StateError,
  isPost,
  leftovers,
  loadState,
  markMainStarted,
  saveDone,
  saveRefused,
  saveStarted,
  saveStarting,
  saveStopped,
  saveWaiting
} = await import('../../src/step/saved-state.js')

beforeEach(() => core.resetCore())

describe('saved state', () => {
  it('round-trips what the post step needs, the last save of a key winning', () => {
    expect(isPost()).toBe(false)
    markMainStarted()
    saveWaiting('deploy', [], true)
    saveStarted(['a'])
    saveStarted(['a', 'b'])
    expect(isPost()).toBe(true)
    expect(loadState()).toEqual({
      phase: 'waiting',
      flowName: 'deploy',
      executionNames: ['a', 'b'],
      starting: [],
      refused: [],
      stopped: [],
      stopOnCancel: true
    })
    saveDone()
    expect(loadState().phase).toBe('done')
  })

  it('leftovers: started first, then sent-but-unanswered; never refused or stopped names', () => {
    markMainStarted()
    saveWaiting('deploy', [], true)
    // Saved before any StartExecution went out.
    saveStarting(['u1', 's1', 'r1', 's2', 'u2', 'x1'])
    saveStarted(['s2', 's1', 'x1'])
    saveRefused(['r1'])
    saveStopped(['x1'])
    expect(leftovers(loadState())).toEqual([
      { name: 's2', started: true },
      { name: 's1', started: true },
      { name: 'u1', started: false },
      { name: 'u2', started: false }
    ])
  })

  it('reads an empty state as nothing to stop', () => {
    expect(loadState()).toEqual({
      phase: '',
      flowName: '',
      executionNames: [],
      starting: [],
      refused: [],
      stopped: [],
      stopOnCancel: false
    })
  })

  it('the first save failing is a StateError that says what to do', () => {
    core.saveState.mockImplementationOnce(() => {
      throw new Error('EROFS: read-only file system')
    })
    let thrown: unknown
    try {
      markMainStarted()
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(StateError)
    expect((thrown as Error).message).toMatch(
      /^Could not save the step's state for its post step \(GITHUB_STATE .*\): EROFS: read-only file system\. Nothing was started or read; run the step where the runner provides a writable GITHUB_STATE file\.$/
    )
  })

  it('a later save failing is a warning naming the key, and the rest are still saved', () => {
    core.saveState.mockImplementationOnce(() => {
      throw new Error('disk full')
    })
    saveWaiting('deploy', ['a'], false)
    expect(core.fake.log).toEqual([
      "warning: Could not save the step's state for its post step (flow-name): disk full"
    ])
    expect(loadState()).toMatchObject({ executionNames: ['a'], phase: 'waiting' })
  })
})
