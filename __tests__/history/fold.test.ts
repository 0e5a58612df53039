/**
 * Folding a history into the report model (src/history/fold.ts): a success, task attempts, the
 * status when DescribeExecution is older, and the largest history page by page within memory.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createHistoryModel, type FailureCause } from '../../src/history/index.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { LARGE_FOREACH, PROBE_TASK, largeHistoryPages } from '../support/history-large.js'
import { fold, exec } from '../support/history-model.js'

describe('history model: success', () => {
  it('folds the documented sample (one pass step)', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('pass1')
    h.succeeded()
    const r = fold(h.events, exec('Succeeded'))
    expect(r.status).toBe('Succeeded')
    expect(r.rootCause).toBeUndefined()
    expect(r.rootCauses).toEqual([])
    expect(r.running).toEqual([])
    expect(r.steps).toHaveLength(1)
    expect(r.steps[0]).toMatchObject({
      kind: 'step',
      name: 'pass1',
      status: 'Succeeded',
      durationMs: 2000,
      attempts: 0,
      pathText: 'pass1'
    })
    expect(r.durationMs).toBe(5000)
    expect(r.stats).toMatchObject({ events: 6, steps: 1, unresolvedLinks: 0, unknownEvents: 0 })
  })

  it('counts task attempts, including a retried one that succeeded', () => {
    const h = new HistoryBuilder().started()
    h.top.task('call', [
      { fail: { error: 'E', cause: 'c1' } },
      { timeout: { error: 'T', cause: 'c2' } },
      'ok'
    ])
    h.succeeded()
    const step = fold(h.events).steps[0]!
    expect(step).toMatchObject({ kind: 'task', status: 'Succeeded', attempts: 3 })
    expect(step.attemptList.map((a) => a.status)).toEqual(['Failed', 'TimedOut', 'Succeeded'])
    expect(step.attemptList[1]).toMatchObject({ number: 2, endType: 'TaskTimedOut', error: 'T' })
    expect(step.error).toBeUndefined()
  })

  it('takes the status from the history when DescribeExecution is older', () => {
    const h = new HistoryBuilder().started()
    h.top.pass('a')
    h.succeeded()
    expect(fold(h.events, exec('Running')).status).toBe('Succeeded')
    expect(fold(h.events).status).toBe('Succeeded')
    expect(fold([], exec('Failed')).status).toBe('Failed')
    expect(fold([]).status).toBe('Unknown')
  })
})

describe('history model: the largest history', () => {
  it('folds 5000 events of 32 KiB page by page and keeps causes short', () => {
    const model = createHistoryModel()
    let events = 0
    for (const page of largeHistoryPages(999)) {
      events += page.length
      model.add(page)
    }
    const r = model.result(exec('Failed'))
    expect(events).toBe(5000)
    expect(r.stats.events).toBe(5000)
    const root = r.rootCause as FailureCause
    expect(root.pathText).toBe(`${LARGE_FOREACH} › iteration 355 › push-image`)
    expect(root.attempts).toBe(2)
    expect(root.cause!.length).toBeLessThan(4200)
    expect(root.causeRaw!.length).toBeLessThan(4200)
    const each = r.steps.find((s) => s.name === LARGE_FOREACH)!
    expect(each.children).toHaveLength(356)
    const attempt = each.children[0]!.children[0]!.attemptList[0]!
    expect(attempt.cause!.length).toBeLessThan(1100)
  })

  it('stays small in memory once the pages are dropped', () => {
    // A child process with --expose-gc: jest's own heap is too noisy to measure.
    const probe = fileURLToPath(new URL('../support/history-memory-probe.ts', import.meta.url))
    const out = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', probe], {
      encoding: 'utf8',
      timeout: 60_000
    })
    expect(out.stderr).toBe('')
    const { retainedBytes, events, rootCause } = JSON.parse(out.stdout) as {
      retainedBytes: number
      events: number
      rootCause: string
    }
    expect(events).toBe(5000)
    expect(rootCause).toBe(`${LARGE_FOREACH} › iteration 355 › ${PROBE_TASK}`)
    // 5000 × 32 KiB went through; what stays is the tree and short strings (about 2 MB).
    // Keeping slices of the details instead of copies (see text.ts detach) retains about 13 MB.
    expect(retainedBytes).toBeLessThan(6 * 1024 * 1024)
  })
})
