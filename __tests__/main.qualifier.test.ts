/**
 * run() with `qualifier` (in process, support/harness.ts): the version or alias reaches
 * StartExecution, the report and the outputs; the alias's routes are best effort; and without
 * `start` the input is refused before any request.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { ENV, core, fake, run, useHarness } from './support/harness.js'
import { visibleText } from './support/history-markdown.js'

const NO_ALIAS = {
  accessKeyId: 'no-describe-alias',
  accessKeySecret: 'no-describe-alias-secret',
  deniedActions: ['DescribeFlowAlias']
}
const h = useHarness({
  flows: [{ name: 'deploy', steps: [{ type: 'task', name: 'roll', durationMs: 0 }] }],
  credentials: [NO_ALIAS],
  random: () => 0.5
})
const { unique, inputs, requestsFor } = h
beforeAll(() => {
  h.emulator.publishFlowVersion('deploy')
  h.emulator.publishFlowVersion('deploy')
  h.emulator.setFlowAlias('deploy', 'canary', [
    { version: 1, weight: 50 },
    { version: 2, weight: 50 }
  ])
})

describe('qualifier', () => {
  it('several executions through an alias: each started with it, the routes said once', async () => {
    const names = [unique('a'), unique('b')]
    core.resetCore(inputs(names, { start: 'true', qualifier: 'canary' }))
    const aliasReads = h.emulator.count('DescribeFlowAlias')
    await run(ENV)
    expect(fake.failed).toBeUndefined()
    for (const name of names) {
      expect(requestsFor(name, 'StartExecution').map((r) => r.params.Qualifier)).toEqual(['canary'])
    }
    expect(h.emulator.count('DescribeFlowAlias') - aliasReads).toBe(1)
    expect(fake.outputs.get('qualifier')).toBe('canary')
    const summary = visibleText(fake.summary)
    expect(summary).toContain('Flow deploy @ canary')
    expect(
      summary.match(/Alias canary runs version 1 \(50 %\) or version 2 \(50 %\)/g)
    ).toHaveLength(1)
  })

  it('DescribeFlowAlias denied: one debug line, and the report names the alias alone', async () => {
    const name = unique('denied')
    core.resetCore(
      inputs([name], {
        start: 'true',
        qualifier: 'canary',
        'access-key-id': NO_ALIAS.accessKeyId,
        'access-key-secret': NO_ALIAS.accessKeySecret
      })
    )
    await run(ENV)
    expect(fake.failed).toBeUndefined()
    expect(fake.log.filter((l) => l.includes('DescribeFlowAlias'))).toEqual([
      expect.stringMatching(/^debug: DescribeFlowAlias canary of flow deploy could not be read/)
    ])
    expect(h.warnings()).toEqual([])
    expect(visibleText(fake.summary)).toContain('Flow deploy @ canary')
    expect(fake.summary).not.toContain('Alias canary runs')
  })

  it('without start: refused before any request, naming the input', async () => {
    const name = unique('nostart')
    h.emulator.createExecution('deploy', name, {})
    core.resetCore(inputs([name], { qualifier: '2' }))
    const before = h.emulator.count()
    await run(ENV)
    expect(fake.failed).toMatch(
      /^fnf-wait: Input "qualifier" is "2", but it is only used when "start" is true/
    )
    expect(h.emulator.count()).toBe(before)
  })
})
