/**
 * The ECS instance RAM role from the metadata service (src/auth/ecs-metadata.ts), against the fake
 * of it (emulator/machine-credentials.ts): the session token as the official chain sends it, the
 * IMDSv1 fallback and ALIBABA_CLOUD_IMDSV1_DISABLED, and errors that say what to do.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  startEcsMetadataFake,
  type EcsMetadataFakeOptions,
  type MachineFake
} from '../../emulator/machine-credentials.js'
import { fetchEcsRole, METADATA_TOKEN_TTL_SECONDS } from '../../src/auth/ecs-metadata.js'
import { MachineCredentialsError } from '../../src/auth/machine-source.js'
import type { EcsRoleConfig } from '../../src/config/machine.js'

let fake: MachineFake | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function fetchFrom(
  opts: EcsMetadataFakeOptions,
  config: EcsRoleConfig = { imdsV1: true },
  first = true
) {
  fake = await startEcsMetadataFake(opts)
  const masked: string[] = []
  const got = await fetchEcsRole({
    config,
    origin: fake.url,
    first,
    setSecret: (s) => masked.push(s)
  })
  const asked = fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)
  return { got, masked, asked, fake }
}

describe('fetchEcsRole', () => {
  it('a hardened instance: token first, with its TTL, then the role and its credentials', async () => {
    const { got, masked, asked, fake } = await fetchFrom({ roleName: 'ci', mode: 'hardened' })
    const minted = fake.minted[0]!
    expect(got).toEqual({
      credentials: {
        accessKeyId: minted.accessKeyId,
        accessKeySecret: minted.accessKeySecret,
        securityToken: minted.securityToken
      },
      expiration: minted.expiresAt,
      roleName: 'ci',
      withToken: true
    })
    expect(asked).toEqual([
      'PUT /latest/api/token 200',
      'GET /latest/meta-data/ram/security-credentials/ 200',
      'GET /latest/meta-data/ram/security-credentials/ci 200'
    ])
    expect(fake.requests[0]!.ttl).toBe(String(METADATA_TOKEN_TTL_SECONDS))
    // The token is masked before the requests that carry it.
    expect(masked).toEqual([fake.requests[1]!.token])
  })

  it('an instance with no session token: the same requests without one (IMDSv1)', async () => {
    const { got, asked } = await fetchFrom(
      { roleName: 'ci', mode: 'no-tokens' },
      {
        roleName: 'ci',
        imdsV1: true
      }
    )
    expect(got).toMatchObject({ roleName: 'ci', withToken: false })
    expect(asked).toEqual([
      'PUT /latest/api/token 404',
      'GET /latest/meta-data/ram/security-credentials/ci 200'
    ])
  })

  it('ALIBABA_CLOUD_IMDSV1_DISABLED: no request goes without the token', async () => {
    const { got, asked } = await fetchFrom({ roleName: 'ci', mode: 'no-tokens' }, { imdsV1: false })
    expect(asked).toEqual(['PUT /latest/api/token 404'])
    expect(got).toBeInstanceOf(MachineCredentialsError)
    expect((got as Error).message).toMatch(
      /ALIBABA_CLOUD_IMDSV1_DISABLED \(or _DISABLE\) is true, so no request goes without/
    )
  })

  it('a role that is not attached, or none: final errors naming what to attach', async () => {
    const named = await fetchFrom(
      { roleName: 'other' },
      { roleName: 'ci', roleFrom: 'ALIBABA_CLOUD_ECS_METADATA', imdsV1: true }
    )
    expect(named.got).toMatchObject({ status: 404, retryable: false })
    expect((named.got as Error).message).toMatch(
      /No RAM role ci \(ALIBABA_CLOUD_ECS_METADATA\) is attached to this instance/
    )
    await fake!.close()
    const none = await fetchFrom({})
    expect(none.got).toMatchObject({ status: 404, retryable: false })
    expect((none.got as Error).message).toMatch(/No RAM role is attached to this ECS instance/)
  })

  it('a 5xx is retryable; nothing listening is final on the first request only', async () => {
    fake = await startEcsMetadataFake({ roleName: 'ci' })
    // The token request and the role list: a busy service, worth asking again.
    fake.fail({ status: 503, count: 2 })
    const busy = await fetchEcsRole({
      config: { imdsV1: true },
      origin: fake.url,
      first: true,
      setSecret: () => {}
    })
    expect(busy).toMatchObject({ status: 503, retryable: true })
    expect(fake.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 503', 'GET 503'])
    const url = fake.url
    await fake.close()
    fake = undefined
    const gone = await fetchEcsRole({
      config: { imdsV1: true },
      origin: url,
      first: true,
      setSecret: () => {}
    })
    expect(gone).toMatchObject({ unreachable: true, retryable: false })
    expect((gone as Error).message).toMatch(
      /does not look like an ECS instance.*ALIBABA_CLOUD_ECS_METADATA_DISABLED=true/
    )
    const later = await fetchEcsRole({
      config: { imdsV1: true },
      origin: url,
      first: false,
      setSecret: () => {}
    })
    expect(later).toMatchObject({ unreachable: true, retryable: true })
  })
})
