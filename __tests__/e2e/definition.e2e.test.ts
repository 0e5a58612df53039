/**
 * End-to-end: the failure at the line of the flow definition that failed. The bundle runs as a
 * child process in a workspace (a git checkout) holding the demo flows' definition files, against
 * the emulator serving those same texts: the workflow commands on stdout point at the failing
 * step two levels down (a foreach/Map inside a parallel branch) and at the caught step, in both
 * specs; the job summary links the lines. A file that is not what ran says so; a `definition`
 * leading out of the workspace fails before any request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { DEMO_FLOW_FILES, NIGHTLY_ETL, NIGHTLY_ETL_CLOUDFLOW } from '../../emulator/demo-flows.js'
import { runAction, type ActionRun } from '../../scripts/run-action.js'
import { writeTree } from '../definition/helpers.js'

/** The demo flows take a few seconds of emulated time; each execution still ends by its script. */
const SPEED = 20
const FAILED = 'transform › branch 1 › load-partitions › iteration 2 › load-partition'
const HEAD = 'c0ffee'.padEnd(40, '0')

let emulator: Emulator
let scratch: string
let serial = 0

beforeAll(async () => {
  emulator = await startEmulator({ speed: SPEED, flows: [NIGHTLY_ETL, NIGHTLY_ETL_CLOUDFLOW] })
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'fnf-wait-definition-e2e-')))
})
afterAll(async () => {
  await emulator.close()
  rmSync(scratch, { recursive: true, force: true })
})

function demoText(flow: string): string {
  return readFileSync(DEMO_FLOW_FILES[flow]!, 'utf8')
}

/** A workspace holding these files; a git checkout that tracks them when `git` is true. */
function workspace(files: Record<string, string>, git = false): string {
  const root = join(scratch, `ws-${++serial}`)
  writeTree(root, files)
  if (git) {
    execFileSync('git', ['init', '--quiet'], { cwd: root })
    execFileSync('git', ['add', '.'], { cwd: root })
  }
  return root
}

/**
 * The lines of the step named `name` as a person reads the file, worked out without a YAML
 * parser: from the list item's `-` line (the one before the name) to the last line indented at
 * least as far as the name.
 */
function stepLines(text: string, name: string): { line: number; endLine: number } {
  const lines = text.split('\n')
  const at = lines.findIndex((l) => new RegExp(`^\\s+(name|Name): ${name}$`).test(l))
  if (at < 1) throw new Error(`no step ${name}`)
  const indent = lines[at]!.search(/\S/)
  let end = at
  while (end + 1 < lines.length && lines[end + 1]!.search(/\S/) >= indent) end += 1
  return { line: at, endLine: end + 1 }
}

async function runIn(
  root: string,
  flow: string,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): Promise<ActionRun> {
  const name = `def-${process.pid}-${++serial}`
  emulator.createExecution(flow, name, {})
  return runAction({
    inputs: {
      'flow-name': flow,
      'execution-name': name,
      endpoint: emulator.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
      timeout: '5m',
      ...inputs
    },
    env: { GITHUB_WORKSPACE: root, ...env }
  })
}

describe.each([
  ['legacy FDL', 'nightly-etl'],
  ['CloudFlow', 'nightly-etl-cloudflow']
])('%s: the demo definition in the workspace', (_spec, flow) => {
  const file = `flows/${flow}.yaml`
  const text = demoText(flow)

  it('the failing step two levels down is an error at its lines, the caught step a warning at its', async () => {
    // Both demo definitions are tracked; only one is what this flow ran.
    const root = workspace(
      {
        'flows/nightly-etl.yaml': demoText('nightly-etl'),
        'flows/nightly-etl-cloudflow.yaml': demoText('nightly-etl-cloudflow'),
        'package.json': '{"name": "app"}\n'
      },
      true
    )
    const run = await runIn(root, flow)
    expect(run.code).toBe(1)
    const failed = stepLines(text, 'load-partition')
    const caught = stepLines(text, 'validate-schema')
    expect(run.stdout).toContain(
      `::error title=FnF ${flow}%3A ${FAILED},file=${file},line=${failed.line},endLine=${failed.endLine}::FC.ConnectionTimeout`
    )
    expect(run.annotations).toContainEqual({
      level: 'warning',
      title: `FnF ${flow}: validate-schema (caught)`,
      message:
        'Validation.SchemaDrift: column "region" is new; continuing. The flow caught this failure and went on.',
      file,
      ...caught
    })
    const sha = '0'.repeat(40)
    expect(run.summary).toContain(
      `- **Definition:** <a href="https://github.com/octo/app/blob/${sha}/${file}#L${failed.line}-L${failed.endLine}">` +
        `<code>${file}</code>, lines ${failed.line}–${failed.endLine}</a>\n`
    )
  })
})

describe('the definition input', () => {
  it("names a file that is not what ran: the annotation points at the step's lines there, and says so", async () => {
    // Someone added a step at the top since the flow was deployed: every line moved down by two.
    const edited = demoText('nightly-etl').replace(
      'steps:\n',
      'steps:\n  - type: pass\n    name: announce\n'
    )
    const root = workspace({ 'flows/etl.yaml': edited })
    const run = await runIn(root, 'nightly-etl', { definition: 'flows/etl.yaml' })
    expect(run.code).toBe(1)
    const [error] = run.annotations.filter((a) => a.level === 'error')
    expect(error).toMatchObject({ file: 'flows/etl.yaml', ...stepLines(edited, 'load-partition') })
    expect(error!.message).toContain(
      'The execution ran a different definition; this is where a step of that name is now.'
    )
    expect(run.summary).toContain(
      '(the execution ran a different definition; this is where a step of that name is now)'
    )
  })

  it("links a pull request's head commit", async () => {
    const root = workspace({ 'flows/etl.yaml': demoText('nightly-etl') })
    const event = join(root, 'event.json')
    writeTree(root, { 'event.json': JSON.stringify({ pull_request: { head: { sha: HEAD } } }) })
    const run = await runIn(
      root,
      'nightly-etl',
      { definition: 'flows/*.yaml' },
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event }
    )
    expect(run.summary).toContain(`https://github.com/octo/app/blob/${HEAD}/flows/etl.yaml#L`)
  })

  it.each([
    ['../outside.yaml', 'goes up out of the workspace with ".."'],
    ['/etc/passwd', 'is an absolute path, not one relative to the workspace'],
    ['flows/link.yaml', 'leads outside the workspace through a symlink']
  ])('%j fails the step before any request: %s', async (definition, reason) => {
    const root = workspace({ 'flows/etl.yaml': demoText('nightly-etl') })
    writeTree(scratch, { 'outside.yaml': demoText('nightly-etl') })
    symlinkSync(join(scratch, 'outside.yaml'), join(root, 'flows', 'link.yaml'))
    const before = emulator.requests.length
    const run = await runAction({
      inputs: {
        'flow-name': 'nightly-etl',
        'execution-name': 'never-read',
        endpoint: emulator.url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
        definition
      },
      env: { GITHUB_WORKSPACE: root }
    })
    expect(run.code).toBe(1)
    expect(emulator.requests.length).toBe(before)
    expect(run.stdout).toContain(
      `::error::fnf-wait: Input "definition" is ${JSON.stringify(definition)}, which ${reason}`
    )
  })
})
