/**
 * The `definition` input (src/config/definition.ts), on a real workspace with symlinks: a path or
 * pattern that leads out of the workspace is an input error naming the input, before any request;
 * one that stays inside is taken as given, even when the file is missing (that is a warning later,
 * when there is a failure to place).
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseDefinitionInput } from '../../src/config/definition.js'
import { BASE_INPUTS, configOf, inputErrorOf } from '../support/config.js'

const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'fnf-wait-definition-input-')))
const workspace = join(scratch, 'workspace')
mkdirSync(join(workspace, 'flows'), { recursive: true })
writeFileSync(join(workspace, 'flows', 'etl.yaml'), 'steps: []\n')
mkdirSync(join(scratch, 'elsewhere'))
writeFileSync(join(scratch, 'elsewhere', 'etl.yaml'), 'steps: []\n')
symlinkSync(join(scratch, 'elsewhere', 'etl.yaml'), join(workspace, 'flows', 'out.yaml'))
symlinkSync(join(scratch, 'elsewhere'), join(workspace, 'linked'))
symlinkSync('etl.yaml', join(workspace, 'flows', 'inside.yaml'))
symlinkSync('flows', join(workspace, 'also-flows'))
const env = { GITHUB_WORKSPACE: workspace }

afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the definition input: never a path out of the workspace', () => {
  it.each([
    ['/etc/passwd', 'is an absolute path, not one relative to the workspace'],
    [
      join(workspace, 'flows', 'etl.yaml'),
      'is an absolute path, not one relative to the workspace'
    ],
    ['../elsewhere/etl.yaml', 'goes up out of the workspace with ".."'],
    ['flows/../../elsewhere/*.yaml', 'goes up out of the workspace with ".."'],
    ['flows\\etl.yaml', 'has a backslash (separate directories with /)'],
    ['flows/out.yaml', 'leads outside the workspace through a symlink'],
    ['linked/etl.yaml', 'leads outside the workspace through a symlink'],
    // Missing under a directory that leads out: where it would be is outside all the same.
    ['linked/missing/flow.yaml', 'leads outside the workspace through a symlink'],
    ['linked/**/*.yaml', 'leads outside the workspace through a symlink']
  ])('refuses %j before any request: %s', (definition, reason) => {
    const message = inputErrorOf({ ...BASE_INPUTS, definition }, env)
    expect(message).toContain(
      `Input "definition" is ${JSON.stringify(definition)}, which ${reason}`
    )
    expect(message).toMatch(/give the path of the flow definition file relative to the workspace/)
  })

  it.each([
    ['flows/etl.yaml'],
    ['  flows/etl.yaml  '],
    ['flows/inside.yaml'],
    ['also-flows/etl.yaml'],
    ['flows/missing.yaml'],
    ['missing/dir/flow.yaml'],
    ['flows/*.yaml'],
    ['**/*.yaml']
  ])('takes %j, which stays inside', (definition) => {
    expect(configOf({ definition }, env)).toMatchObject({
      definition: definition.trim(),
      workspace
    })
  })

  it('is empty by default: the file is looked for', () => {
    expect(configOf({}, env)).toMatchObject({ definition: '', workspace })
  })

  it('without GITHUB_WORKSPACE (a local run), the workspace is the working directory', () => {
    expect(parseDefinitionInput('flows/etl.yaml', {})).toEqual({
      definition: 'flows/etl.yaml',
      workspace: process.cwd()
    })
  })

  it('cannot check symlinks in a workspace that does not exist: the lookup warns later', () => {
    const gone = { GITHUB_WORKSPACE: join(scratch, 'gone') }
    expect(parseDefinitionInput('flows/etl.yaml', gone)).toEqual({
      definition: 'flows/etl.yaml',
      workspace: gone.GITHUB_WORKSPACE
    })
  })
})
