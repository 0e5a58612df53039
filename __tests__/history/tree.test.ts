/**
 * The model's mutable step tree (src/history/tree.ts): new nodes, which nodes are scopes, the
 * scopes around a thread, and the attempt still running.
 */
import { describe, expect, it } from '@jest/globals'
import { isScope, newNode, runningAttempt, scopesOutward } from '../../src/history/tree.js'

describe('the step tree', () => {
  it('a new node is running, with nothing under it yet', () => {
    expect(newNode('task', 'deploy', 7)).toMatchObject({
      kind: 'task',
      name: 'deploy',
      status: 'Running',
      firstEventId: 7,
      attempts: [],
      children: [],
      handled: false,
      implicit: false
    })
  })

  it('scopes are the execution, branches and iterations', () => {
    expect(
      ['execution', 'branch', 'iteration'].map((k) => isScope(newNode(k as never, '', 0)))
    ).toEqual([true, true, true])
    expect(
      ['task', 'parallel', 'foreach', 'pass'].map((k) => isScope(newNode(k as never, '', 0)))
    ).toEqual([false, false, false, false])
  })

  it('scopesOutward walks from a thread to the execution, innermost first', () => {
    const execution = newNode('execution', '', 1)
    const parallel = { ...newNode('parallel', 'fan', 2), parent: execution }
    const branch = { ...newNode('branch', '', 3), parent: parallel }
    expect([...scopesOutward(branch)]).toEqual([branch, execution])
    expect([...scopesOutward(execution)]).toEqual([execution])
  })

  it('runningAttempt is the last attempt while it runs', () => {
    const task = newNode('task', 't', 1)
    expect(runningAttempt(task)).toBeUndefined()
    task.attempts.push({ status: 'Failed' } as never, { status: 'Running' } as never)
    expect(runningAttempt(task)).toEqual({ status: 'Running' })
    task.attempts.push({ status: 'Succeeded' } as never)
    expect(runningAttempt(task)).toBeUndefined()
  })
})
