/**
 * Finding the file that holds the executed definition (the input, a pattern, or discovery) in a
 * real temporary checkout, and the location the report will use.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeTree } from './helpers.js'
import {
  findDefinition,
  locationOf,
  type FindOutcome,
  type FindRequest,
  type FoundDefinition
} from '../../src/definition/index.js'

const EXECUTED = `version: v1
type: flow
steps:
  - type: task
    name: prepare
    resourceArn: acs:fc:::services/s/functions/prepare
  - type: parallel
    name: fan
    branches:
      - steps:
          - type: task
            name: push
            resourceArn: acs:fc:::services/s/functions/push
`
/** The same data as JSON, keys in another order. */
const AS_JSON = JSON.stringify(
  {
    steps: [
      { name: 'prepare', type: 'task', resourceArn: 'acs:fc:::services/s/functions/prepare' },
      {
        name: 'fan',
        type: 'parallel',
        branches: [
          {
            steps: [
              { name: 'push', type: 'task', resourceArn: 'acs:fc:::services/s/functions/push' }
            ]
          }
        ]
      }
    ],
    type: 'flow',
    version: 'v1'
  },
  null,
  2
)
const OLDER = EXECUTED.replace('functions/push', 'functions/push-v1')

let scratch: string
let workspace: string

function checkout(name: string, files: Record<string, string>): string {
  const root = join(scratch, name)
  writeTree(root, files)
  const git = spawnSync('git', ['init', '-q'], { cwd: root })
  const add = spawnSync('git', ['add', '-A'], { cwd: root })
  if (git.status !== 0 || add.status !== 0) throw new Error('git failed')
  return root
}

function find(input: string, extra: Partial<FindRequest> = {}): Promise<FindOutcome> {
  return findDefinition({ workspace, input, executed: EXECUTED, ...extra })
}

function found(outcome: FindOutcome): FoundDefinition {
  if (outcome.kind !== 'found') throw new Error(JSON.stringify(outcome))
  return outcome
}

function message(outcome: FindOutcome): string {
  if (outcome.kind !== 'error') throw new Error(`expected an input error, got ${outcome.kind}`)
  return outcome.message
}

function reason(outcome: FindOutcome): string {
  if (outcome.kind !== 'none') throw new Error(`expected no file, got ${JSON.stringify(outcome)}`)
  return outcome.reason
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'fnf-wait-find-'))
  workspace = checkout('workspace', {
    'flows/nightly.yaml': `# the nightly ETL\n${EXECUTED}`,
    'flows/older.yaml': OLDER,
    'flows/broken.yaml': 'steps: [\n',
    'flows/other.yml': 'version: v1\ntype: flow\nsteps:\n  - type: pass\n    name: prepare\n',
    'config/settings.json': '{"prepare": true}',
    'package.json': '{"name": "x"}',
    'README.md': '# flows\n'
  })
  writeTree(scratch, { 'outside.yaml': EXECUTED })
  // Tracked: a symlink leading out is listed, and must never count as holding the definition.
  symlinkSync(join(scratch, 'outside.yaml'), join(workspace, 'flows', 'escape.yaml'))
  spawnSync('git', ['add', 'flows/escape.yaml'], { cwd: workspace })
  spawnSync('mkfifo', [join(workspace, 'flows', 'pipe.yaml')])
})

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true })
})

describe('findDefinition with a path', () => {
  it('finds the file and knows it is the definition that ran', async () => {
    const file = found(await find('flows/nightly.yaml'))
    expect(file).toMatchObject({ kind: 'found', file: 'flows/nightly.yaml', sameDefinition: true })
    expect(file.difference).toBeUndefined()
    expect(
      locationOf(file, [
        { kind: 'parallel', name: 'fan' },
        { kind: 'branch', name: 'fan', index: 0 },
        { kind: 'task', name: 'push' }
      ])
    ).toEqual({
      kind: 'located',
      location: { file: 'flows/nightly.yaml', startLine: 12, endLine: 14, sameDefinition: true }
    })
  })

  it('reports the path as git names it', async () => {
    expect(found(await find('./flows//nightly.yaml'))).toMatchObject({ file: 'flows/nightly.yaml' })
    expect(found(await find('./flows/night*'))).toMatchObject({ file: 'flows/nightly.yaml' })
  })

  it('still locates in a file that differs from what ran, saying so', async () => {
    const file = found(await find('  flows/older.yaml  '))
    expect(file).toMatchObject({
      file: 'flows/older.yaml',
      sameDefinition: false,
      difference:
        'the file differs from the executed definition at "steps"[1]."branches"[0]."steps"[0]."resourceArn"'
    })
    expect(locationOf(file, [{ kind: 'task', name: 'prepare' }])).toEqual({
      kind: 'located',
      location: { file: 'flows/older.yaml', startLine: 4, endLine: 6, sameDefinition: false }
    })
    expect(locationOf(file, [{ kind: 'task', name: 'gone' }])).toEqual({
      kind: 'not-located',
      reason: 'the definition has no step named "gone" at the top level of "flows/older.yaml"'
    })
  })

  it.each([
    ['/etc/passwd', 'is an absolute path, not one relative to the workspace'],
    ['../outside.yaml', 'goes up out of the workspace with ".."'],
    ['flows/escape.yaml', 'leads outside the workspace (through a symlink)'],
    ['flows', 'is a directory, not a regular file'],
    ['flows/pipe.yaml', 'is a named pipe (FIFO), not a regular file'],
    ['flows/missing.yaml', 'does not exist in the workspace'],
    ['flows/broken.yaml', 'cannot be read: it is not valid YAML'],
    ['package.json', 'is not a flow definition (it has neither `steps:` nor `States:`)']
  ])('refuses %s, naming the input and what to do', async (input, what) => {
    const text = message(await find(input))
    expect(text).toContain(`Input "definition" is ${JSON.stringify(input)}, which ${what}`)
    expect(text).toContain('give the workspace-relative path of the flow definition file')
  })

  it('quotes a hostile input so it cannot read as a workflow command', async () => {
    const text = message(await find('x\n::error::pwned'))
    expect(text).not.toMatch(/^::/m)
    expect(text).toContain('"x\\n::error::pwned"')
  })

  it('says when the workspace itself cannot be read', async () => {
    const missing = join(scratch, 'no-such-workspace')
    expect(message(await find('flows/a.yaml', { workspace: missing }))).toContain('cannot be read')
    expect(reason(await find('', { workspace: missing }))).toContain('cannot be read')
  })
})

describe('findDefinition with a pattern', () => {
  it('takes the one file a pattern matches, whether or not it is what ran', async () => {
    expect(found(await find('flows/*ly.yaml'))).toMatchObject({
      file: 'flows/nightly.yaml',
      sameDefinition: true
    })
    expect(found(await find('**/old?r.yaml'))).toMatchObject({
      file: 'flows/older.yaml',
      sameDefinition: false
    })
  })

  it('among several matches, takes the one holding the executed definition', async () => {
    expect(found(await find('flows/*'))).toMatchObject({
      file: 'flows/nightly.yaml',
      sameDefinition: true
    })
  })

  it('refuses a pattern that matches nothing, or several files none or many of which ran', async () => {
    expect(message(await find('flows/*.toml'))).toContain('which matches no file in the workspace')
    expect(message(await find('flows/o*'))).toContain(
      'which matches 2 files, and none holds the definition'
    )
    const twice = checkout('twice', { 'a.yaml': EXECUTED, 'b.json': AS_JSON })
    expect(message(await find('*', { workspace: twice }))).toContain(
      'which matches 2 files, and 2 of them hold the definition the execution ran ("a.yaml", "b.json")'
    )
    expect(message(await find('*', { workspace: twice, limits: { maxCandidates: 1 } }))).toContain(
      'which matches 2 files, more than the 1 that are compared'
    )
    expect(message(await find('*', { workspace: twice, limits: { maxListed: 1 } }))).toContain(
      'the workspace has more files than the 1 it can be matched against'
    )
  })
})

describe('findDefinition by discovery', () => {
  it('takes the one tracked file whose data equals the executed definition, YAML or JSON', async () => {
    expect(found(await find(''))).toMatchObject({
      file: 'flows/nightly.yaml',
      sameDefinition: true
    })
    const json = checkout('json', { 'flow.json': AS_JSON, 'other.yaml': OLDER })
    expect(found(await find('', { workspace: json }))).toMatchObject({
      file: 'flow.json',
      sameDefinition: true
    })
  })

  it('finds none, with a reason, when no file or several hold it', async () => {
    const none = checkout('none', { 'a.yaml': OLDER, 'b.json': '{}' })
    expect(reason(await find('', { workspace: none }))).toBe(
      'none of the 2 tracked .yaml/.yml/.json files holds the definition the execution ran'
    )
    const twice = checkout('twice-again', { 'a.yaml': EXECUTED, 'b/c.json': AS_JSON })
    expect(reason(await find('', { workspace: twice }))).toBe(
      '2 tracked .yaml/.yml/.json files hold the definition the execution ran ("a.yaml", "b/c.json"): set the definition input to one of them'
    )
  })

  it('does not look at untracked files in a checkout, and walks a workspace that is not one', async () => {
    const untracked = checkout('untracked', { 'other.yaml': OLDER })
    writeTree(untracked, { 'flow.yaml': EXECUTED })
    expect(reason(await find('', { workspace: untracked }))).toContain('none of the 1 tracked')
    const plain = join(scratch, 'plain')
    writeTree(plain, { 'deep/flow.yaml': EXECUTED, 'node_modules/copy/flow.yaml': EXECUTED })
    expect(found(await find('', { workspace: plain }))).toMatchObject({ file: 'deep/flow.yaml' })
  })

  it('gives up past its bounds rather than guess', async () => {
    expect(reason(await find('', { limits: { maxCandidates: 3 } }))).toBe(
      'there are more than 3 tracked .yaml/.yml/.json files: set the definition input'
    )
    expect(reason(await find('', { limits: { maxTotalBytes: 300 } }))).toBe(
      'the files compared passed 300 bytes before the last one: set the definition input'
    )
    const large = checkout('large', { 'flow.yaml': EXECUTED })
    expect(reason(await find('', { workspace: large, limits: { maxFileBytes: 100 } }))).toContain(
      'none of the 1 tracked'
    )
  })

  it('finds none when the executed definition cannot be read', async () => {
    expect(reason(await find('', { executed: 'steps: [\n' }))).toMatch(
      /^the executed definition cannot be read: it is not valid YAML/
    )
  })
})
