/**
 * The official chain's credentials file (src/config/profile-file.ts): the file and profile the
 * variables name, the types fnf-wait reads, and errors that quote no value from the file.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '../../src/config/errors.js'
import { parseIni, readProfile } from '../../src/config/profile-file.js'

const dir = mkdtempSync(join(tmpdir(), 'fnf-wait-profile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

function errorOf(env: Record<string, string>): string {
  try {
    readProfile(env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

describe('readProfile', () => {
  it('the default path under HOME, profile default', () => {
    const home = join(dir, 'home')
    mkdirSync(join(home, '.alibabacloud'), { recursive: true })
    writeFileSync(
      join(home, '.alibabacloud', 'credentials'),
      '; keys\n[default]\ntype = access_key\naccess_key_id = LTAIh # id\naccess_key_secret = "s;h"\n'
    )
    expect(readProfile({ HOME: home })).toEqual({
      kind: 'keys',
      credentials: { accessKeyId: 'LTAIh', accessKeySecret: 's;h' },
      source: `profile "default" of ${join(home, '.alibabacloud', 'credentials')}`
    })
  })

  it('no file at the default path, or no default profile in it: nothing, no error', () => {
    expect(readProfile({ HOME: join(dir, 'nobody') })).toBeUndefined()
    const home = join(dir, 'other')
    mkdirSync(join(home, '.alibabacloud'), { recursive: true })
    writeFileSync(join(home, '.alibabacloud', 'credentials'), '[prod]\ntype = access_key\n')
    expect(readProfile({ HOME: home })).toBeUndefined()
  })

  it('ecs_ram_role: the role to ask the metadata service for', () => {
    const path = file('ecs', '[ci]\ntype = ecs_ram_role\nrole_name = runner-role\n')
    expect(
      readProfile({ ALIBABA_CLOUD_CREDENTIALS_FILE: path, ALIBABA_CLOUD_PROFILE: 'ci' })
    ).toEqual({
      kind: 'ecs-role',
      roleName: 'runner-role',
      source: `profile "ci" of ${path} (ALIBABA_CLOUD_CREDENTIALS_FILE)`
    })
  })

  it('what the variables name must be there', () => {
    const missing = join(dir, 'absent')
    expect(errorOf({ ALIBABA_CLOUD_CREDENTIALS_FILE: missing })).toBe(
      `Environment variable ALIBABA_CLOUD_CREDENTIALS_FILE names credentials file ${missing}, which ` +
        'does not exist: give the path of the INI file that holds the profile, or unset the variable.'
    )
    const path = file('two', '[a]\ntype = access_key\n[b]\n')
    expect(errorOf({ ALIBABA_CLOUD_CREDENTIALS_FILE: path, ALIBABA_CLOUD_PROFILE: 'c' })).toBe(
      `The credentials file ${path} (ALIBABA_CLOUD_CREDENTIALS_FILE) has no profile "c" ` +
        '(ALIBABA_CLOUD_PROFILE); its profiles: "a", "b". Set ALIBABA_CLOUD_PROFILE to one of them.'
    )
    expect(errorOf({ ALIBABA_CLOUD_CREDENTIALS_FILE: dir })).toMatch(
      /is a directory, not an INI file/
    )
  })

  it('types it cannot use are refused with what to do, never quoting a secret', () => {
    const env = (text: string) => ({ ALIBABA_CLOUD_CREDENTIALS_FILE: file('t', text) })
    expect(errorOf(env('[default]\ntype = ram_role_arn\naccess_key_secret = TOPSECRET\n'))).toMatch(
      /has type ram_role_arn: fnf-wait does not assume a role with AccessKeys \(AssumeRole\): use "role-to-assume"/
    )
    expect(errorOf(env('[default]\ntype = rsa_key_pair\n'))).toMatch(
      /has type rsa_key_pair, and fnf-wait reads these: access_key, ecs_ram_role\.$/
    )
    const half = errorOf(env('[default]\ntype = access_key\naccess_key_secret = TOPSECRET\n'))
    expect(half).toMatch(/has type access_key but no access_key_id: give both/)
    expect(half).not.toContain('TOPSECRET')
  })
})

describe('parseIni', () => {
  it('sections, comments, quotes; a repeated section adds to the first', () => {
    const ini = parseIni("# c\n[a]\nx = 1 ; note\n[b]\ny = 'q # not a comment'\n[a]\nz=2\nstray\n")
    expect([...ini.get('a')!]).toEqual([
      ['x', '1'],
      ['z', '2']
    ])
    expect(ini.get('b')!.get('y')).toBe('q # not a comment')
  })
})
