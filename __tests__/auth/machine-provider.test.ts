/**
 * Credentials from the runner's machine (src/auth/machine-provider.ts) against the fakes of the
 * metadata service and a credentials URI, on a clock the test moves and with no real backoff:
 * the first source that answers is kept, renewals that fail keep good credentials, secrets are
 * masked before anything could print them.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  startCredentialsUriFake,
  startEcsMetadataFake,
  type MachineFake
} from '../../emulator/machine-credentials.js'
import { createMachineCredentials, NoCredentialsError } from '../../src/auth/machine-provider.js'
import type { MachineConfig } from '../../src/config/machine.js'

const HOUR = 3_600_000
let fakes: MachineFake[] = []
afterEach(async () => {
  await Promise.all(fakes.map((f) => f.close()))
  fakes = []
})

function setup(config: MachineConfig, metadataOrigin: string) {
  const t0 = Math.floor(Date.now() / 1000) * 1000
  let clock = t0
  const lines: string[] = []
  const masked: string[] = []
  const { provider, stats } = createMachineCredentials(config, {
    metadataOrigin,
    now: () => clock,
    log: (line) => lines.push(line),
    setSecret: (s) => masked.push(s),
    sleep: async () => {},
    random: () => 0
  })
  return { provider, stats, lines, masked, t0, at: (ms: number) => (clock = t0 + ms) }
}

describe('createMachineCredentials', () => {
  it('an instance with no role: the credentials URI next, and kept from then on', async () => {
    const imds = await startEcsMetadataFake({})
    const uri = await startCredentialsUriFake({ expiresAt: Date.now() + HOUR })
    fakes.push(imds, uri)
    const s = setup({ ecs: { imdsV1: true }, uri: `${uri.url}/c` }, imds.url)
    const first = await s.provider()
    expect(first.accessKeyId).toBe(uri.minted[0]!.accessKeyId)
    expect(s.lines[0]).toMatch(
      /^Credentials from ALIBABA_CLOUD_CREDENTIALS_URI \(http:\/\/127\.0\.0\.1:\d+\/c\): valid until/
    )
    // Past the renewal point: only the source that answered is asked, and it has not rotated.
    const imdsAsked = imds.requests.length
    s.at(50 * 60_000)
    expect((await s.provider()).accessKeyId).toBe(first.accessKeyId)
    expect(imds.requests.length).toBe(imdsAsked)
    expect(uri.requests).toHaveLength(2)
    expect(s.lines.at(-1)).toMatch(
      /^Asked ALIBABA_CLOUD_CREDENTIALS_URI .*again: the same credentials/
    )
    expect(s.masked).toEqual(
      expect.arrayContaining([first.accessKeySecret, first.securityToken, first.accessKeyId])
    )
    expect(s.lines.join('\n')).not.toContain(first.accessKeySecret)
  })

  it('a renewal that fails keeps the current credentials while they work', async () => {
    const imds = await startEcsMetadataFake({ roleName: 'ci', expiresAt: Date.now() + HOUR })
    fakes.push(imds)
    const s = setup({ ecs: { imdsV1: true } }, imds.url)
    const first = await s.provider()
    s.at(50 * 60_000)
    imds.fail({ status: 503, count: 20 })
    expect(await s.provider()).toEqual(first)
    expect(s.stats).toEqual({ fetches: 1, failedRenewals: 1 })
    expect(s.lines.at(-1)).toMatch(
      /^Could not renew the credentials \(.*HTTP 503.*\); the current ones stay in use until .*, and the next request tries again\.$/
    )
  })

  it('no source answers: each one named, then every way to give credentials', async () => {
    const imds = await startEcsMetadataFake({})
    fakes.push(imds)
    const s = setup(
      { ecs: { roleName: 'ci', roleFrom: 'ALIBABA_CLOUD_ECS_METADATA', imdsV1: true } },
      imds.url
    )
    const error = await Promise.resolve(s.provider()).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(NoCredentialsError)
    expect((error as Error).message).toMatch(
      /^No credentials: none was given, and the runner's machine gave none \(the ECS metadata service at .*No RAM role ci \(ALIBABA_CLOUD_ECS_METADATA\) is attached.*\)\. To fix it, give the "role-to-assume"/
    )
  })
})
