/**
 * The read-only step tree of the report (src/history/snapshot.ts) from the model's mutable one:
 * labels and paths, how a thread's status follows its last step, what a terminal execution does
 * to what was still running, and durations.
 */
import { describe, expect, it } from '@jest/globals'
import { snapshot } from '../../src/history/snapshot.js'
import { newNode, type MNode } from '../../src/history/tree.js'

function node(kind: MNode['kind'], name: string, more: Partial<MNode> = {}): MNode {
  return { ...newNode(kind, name, 1), ...more }
}

describe('snapshot', () => {
  it('labels branches and iterations by index, and joins the path', () => {
    const task = node('task', 'load', { status: 'Succeeded', startedAt: 1000, endedAt: 4000 })
    const branch = node('branch', '', { index: 2, children: [task], exited: true })
    const s = snapshot(node('parallel', 'fan', { children: [branch] }), ['etl'], false, false)
    const b = s.children[0]!
    expect(b.label).toBe('branch 2')
    expect(b.status).toBe('Succeeded')
    expect(b.children[0]!.pathText).toBe('etl › fan › branch 2 › load')
    expect(b.children[0]!.durationMs).toBe(3000)
    expect(snapshot(node('task', ''), [], false, false).label).toBe('(unnamed step)')
  })

  it('a thread whose last step failed uncaught failed, and ended when that step did', () => {
    const failed = node('task', 't', { status: 'Failed', startedAt: 0, endedAt: 500 })
    const iteration = node('iteration', '', { index: 0, children: [failed], startedAt: 0 })
    const s = snapshot(iteration, [], false, false)
    expect(s.status).toBe('Failed')
    expect(s.endedAt).toBe(500)
    expect(s.durationMs).toBe(500)
  })

  it('a caught failure is marked handled, for its scope too', () => {
    const failed = node('task', 't', { status: 'Failed', handled: true })
    expect(snapshot(failed, [], false, false).handled).toBe(true)
    const inner = node('task', 'inner', { status: 'Failed' })
    const s = snapshot(node('parallel', 'p', { children: [inner] }), [], false, true)
    expect(s.children[0]!.handled).toBe(true)
  })

  it('what still ran when the execution ended is Interrupted, with no end time', () => {
    const task = node('task', 't', { startedAt: 0, endedAt: 900 })
    task.attempts.push({ status: 'Running', startedAt: 0 } as MNode['attempts'][number])
    const s = snapshot(task, [], true, false)
    expect(s.status).toBe('Interrupted')
    expect(s.endedAt).toBeUndefined()
    expect(s.attemptList).toEqual([{ number: 1, status: 'Interrupted', startedAt: 0 }])
  })

  it('a failed step without a detail of its own takes its last failed attempt’s error', () => {
    const task = node('task', 't', { status: 'Failed' })
    task.attempts.push(
      { status: 'Failed', error: 'First', cause: 'one' } as MNode['attempts'][number],
      { status: 'Failed', error: 'Last', cause: 'two' } as MNode['attempts'][number]
    )
    expect(snapshot(task, [], true, false)).toMatchObject({
      error: 'Last',
      cause: 'two',
      attempts: 2
    })
  })
})
