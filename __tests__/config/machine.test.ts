/**
 * Which of the runner machine's sources are asked (src/config/machine.ts): the ECS instance RAM
 * role unless turned off or on a GitHub-hosted runner, then ALIBABA_CLOUD_CREDENTIALS_URI, with
 * the official chain's variables.
 */
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/config/errors.js'
import { describeMachine, machineSources } from '../../src/config/machine.js'

function errorOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}

describe('machineSources', () => {
  it('a self-hosted runner asks the metadata service, for the role it names if any', () => {
    expect(machineSources({})).toEqual({ ecs: { imdsV1: true } })
    expect(
      machineSources({
        ALIBABA_CLOUD_ECS_METADATA: 'ci-role',
        ALIBABA_CLOUD_IMDSV1_DISABLED: 'TRUE'
      })
    ).toEqual({
      ecs: { roleName: 'ci-role', roleFrom: 'ALIBABA_CLOUD_ECS_METADATA', imdsV1: false }
    })
  })

  it('IMDSv1 is off under either spelling of the variable the official chains read', () => {
    expect(machineSources({ ALIBABA_CLOUD_IMDSV1_DISABLE: 'true' })?.ecs?.imdsV1).toBe(false)
    expect(machineSources({ ALIBABA_CLOUD_IMDSV1_DISABLED: 'true' })?.ecs?.imdsV1).toBe(false)
    expect(machineSources({ ALIBABA_CLOUD_IMDSV1_DISABLE: 'false' })?.ecs?.imdsV1).toBe(true)
  })

  it('ALIBABA_CLOUD_ECS_METADATA_DISABLED and a GitHub-hosted runner leave the role out', () => {
    expect(machineSources({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' })).toBeUndefined()
    expect(machineSources({ RUNNER_ENVIRONMENT: 'github-hosted' })).toBeUndefined()
    // Naming a role is an explicit request: asked even there.
    expect(
      machineSources({ RUNNER_ENVIRONMENT: 'github-hosted', ALIBABA_CLOUD_ECS_METADATA: 'r' })?.ecs
    ).toEqual({ roleName: 'r', roleFrom: 'ALIBABA_CLOUD_ECS_METADATA', imdsV1: true })
    const uri = machineSources({
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
      ALIBABA_CLOUD_CREDENTIALS_URI: 'http://127.0.0.1:8/creds'
    })
    expect(uri).toEqual({ uri: 'http://127.0.0.1:8/creds' })
  })

  it('a profile of type ecs_ram_role goes first, with its role_name', () => {
    const profile = { roleName: 'from-file', source: 'profile "default" of ~/x' }
    expect(machineSources({ ALIBABA_CLOUD_ECS_METADATA: 'from-env' }, profile)?.ecs).toEqual({
      roleName: 'from-file',
      roleFrom: 'role_name of the profile "default" of ~/x',
      imdsV1: true
    })
    expect(
      errorOf(() => machineSources({ ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' }, profile))
    ).toBe(
      'The profile "default" of ~/x has type ecs_ram_role, but ALIBABA_CLOUD_ECS_METADATA_DISABLED ' +
        'is true: unset one of them.'
    )
  })

  it('refuses a role name that could change the metadata URL, and a URI that is not http(s)', () => {
    expect(
      errorOf(() => machineSources({ ALIBABA_CLOUD_ECS_METADATA: '../../user-data' }))
    ).toMatch(
      /^The environment variable ALIBABA_CLOUD_ECS_METADATA is "..\/..\/user-data", which is not a RAM role name/
    )
    expect(
      errorOf(() => machineSources({ ALIBABA_CLOUD_CREDENTIALS_URI: 'file:///etc/passwd' }))
    ).toMatch(
      /^Environment variable ALIBABA_CLOUD_CREDENTIALS_URI is not an http:\/\/ or https:\/\/ URL/
    )
  })
})

describe('describeMachine', () => {
  it('names the sources in the order they are asked', () => {
    expect(describeMachine({ ecs: { roleName: 'r', imdsV1: true }, uri: 'http://x/' })).toBe(
      "the runner's machine: the ECS instance RAM role r, then ALIBABA_CLOUD_CREDENTIALS_URI, " +
        'the first that gives them'
    )
  })
})
