/**
 * run() in process (support/harness.ts) with the flow's definition in the workspace: after the
 * histories, each failed execution's steps are placed at their lines, several executions each at
 * theirs, once per definition; what is not shown is not looked for; and a `definition` input that
 * leads out of the workspace fails the step before any request.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_FLOW_FILES, NIGHTLY_ETL } from '../emulator/demo-flows.js'
import { writeTree } from './definition/helpers.js'
import { ENV, core, fake, run, useHarness } from './support/harness.js'

// The demo flow runs a few seconds of emulated time; each execution ends by its script.
const h = useHarness({ speed: 20, flows: [NIGHTLY_ETL] })
const TEXT = readFileSync(DEMO_FLOW_FILES['nightly-etl']!, 'utf8')
const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'fnf-wait-main-definition-')))
const root = join(scratch, 'workspace')
writeTree(root, { 'flows/nightly-etl.yaml': TEXT, 'flows/other.yaml': 'steps: []\n' })
const env = { ...ENV, GITHUB_WORKSPACE: root, GITHUB_SHA: 'f'.repeat(40) }

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** 1-based number of the first line that is `text`, indented. */
function lineOf(text: string): number {
  return TEXT.split('\n').findIndex((l) => l.trim() === text) + 1
}

describe('the failed steps at their lines in the flow definition', () => {
  it('several executions: each annotated at the failing and the caught step, each summary linked', async () => {
    const names = [h.unique('etl'), h.unique('etl')]
    h.given(names, 'nightly-etl', { timeout: '5m' })
    await run(env)
    expect(fake.failed).toMatch(/^2 of 2 executions of flow nightly-etl did not succeed/)
    const start = lineOf('name: load-partition') - 1
    const placed = fake.annotations.filter((a) => a.file !== undefined)
    expect(placed).toEqual(
      names
        .flatMap((name) => [
          expect.objectContaining({
            level: 'error',
            title: `${name}: FnF nightly-etl: transform › branch 1 › load-partitions › iteration 2 › load-partition`,
            file: 'flows/nightly-etl.yaml',
            startLine: start,
            endLine: start + 2
          })
        ])
        .concat(
          names.map((name) =>
            expect.objectContaining({
              level: 'warning',
              title: `${name}: FnF nightly-etl: validate-schema (caught)`,
              file: 'flows/nightly-etl.yaml',
              startLine: lineOf('name: validate-schema') - 1,
              endLine: lineOf('goto: next')
            })
          )
        )
    )
    const link = `https://github.com/octo/app/blob/${'f'.repeat(40)}/flows/nightly-etl.yaml#L${start}-L${start + 2}`
    expect(fake.summary.split(link)).toHaveLength(3)
  })

  it('history: never leaves nothing to place, and the definition is not looked for', async () => {
    const [name] = [h.unique('etl')]
    h.given([name], 'nightly-etl', { timeout: '5m', history: 'never' })
    await run(env)
    expect(fake.failed).toMatch(/ended Failed/)
    expect(fake.annotations.some((a) => a.file !== undefined)).toBe(false)
    expect(fake.log.filter((l) => /definition/i.test(l))).toEqual([])
  })

  it('annotations, summary and PR comment all off: nothing is looked for', async () => {
    const [name] = [h.unique('etl')]
    h.given([name], 'nightly-etl', {
      timeout: '5m',
      annotations: 'false',
      summary: 'false',
      definition: 'flows/missing.yaml'
    })
    await run(env)
    // A definition input that names no file would be a warning, had it been looked for.
    expect(fake.annotations.filter((a) => a.level === 'warning')).toEqual([])
  })

  it('a definition input leading out of the workspace fails the step before any request', async () => {
    const before = h.emulator.requests.length
    core.resetCore(h.inputs([h.unique('never')], { definition: '../outside.yaml' }, 'nightly-etl'))
    await run(env)
    expect(fake.failed).toBe(
      'fnf-wait: Input "definition" is "../outside.yaml", which goes up out of the workspace with ' +
        '"..": give the path of the flow definition file relative to the workspace (YAML or JSON; ' +
        '*, ** and ? match names), or leave it empty to look for it among the tracked files.'
    )
    expect(h.emulator.requests.length).toBe(before)
  })
})
