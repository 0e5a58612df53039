/**
 * run() on a self-hosted runner given no credentials (in process, support/harness.ts): the ECS
 * instance RAM role from a fake metadata service, renewed through a long wait; a credentials file;
 * ALIBABA_CLOUD_CREDENTIALS_URI; the chain's order between them; and the "No credentials" error
 * when the machine has none. Credentials expire when the test says (the fakes' Expiration, the
 * renewals' clock given through run()'s options, the emulator told to refuse a key), never by
 * real time, and the execution ends when the test releases it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_CREDENTIAL } from '../emulator/index.js'
import {
  startCredentialsUriFake,
  startEcsMetadataFake,
  type MachineCredential,
  type MachineFake
} from '../emulator/machine-credentials.js'
import { ENV, closedPort, core, fake, run, useHarness } from './support/harness.js'

const HOUR = 3_600_000
// A 60-second long poll lasts one real second: the wait keeps asking for credentials while the
// execution is held, and the test names the request that renews them.
const h = useHarness({
  speed: 60,
  flows: [{ name: 'long', hold: true, steps: [{ type: 'wait', name: 'hold', durationMs: 0 }] }]
})

/** The emulator accepts what the fakes give until the test expires it. */
const accept = (c: MachineCredential): void =>
  h.emulator.addCredential({
    accessKeyId: c.accessKeyId,
    accessKeySecret: c.accessKeySecret,
    securityToken: c.securityToken
  })

let imds: MachineFake
let home: string
let refused: string
beforeAll(async () => {
  imds = await startEcsMetadataFake({ roleName: 'fnf-runner', onMint: accept })
  home = mkdtempSync(join(tmpdir(), 'fnf-wait-home-'))
  refused = String(await closedPort())
})
afterAll(async () => {
  await imds.close()
  rmSync(home, { recursive: true, force: true })
})

/** A self-hosted runner's job: no key or role given, an empty home directory. */
function selfHosted(extra: Record<string, string> = {}): Record<string, string> {
  return { ...ENV, RUNNER_ENVIRONMENT: 'self-hosted', HOME: home, ...extra }
}

/** Inputs without credentials. */
function given(name: string, extra: Record<string, string> = {}): void {
  h.emulator.createExecution('long', name, {})
  core.resetCore({
    'flow-name': 'long',
    'execution-name': name,
    endpoint: h.emulator.url,
    progress: 'false',
    ...extra
  })
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

describe('the ECS instance RAM role', () => {
  it('renews its credentials through a long wait, before they expire', async () => {
    const name = h.unique('ecs-long')
    given(name)
    let clock = Math.floor(Date.now() / 1000) * 1000
    const first = imds.rotate(clock + 6 * HOUR)
    const imdsBefore = imds.requests.length
    const running = run(selfHosted(), {
      machine: { metadataOrigin: imds.url, now: () => clock }
    })
    await h.whenHeld(name, running)

    // Past the renewal point (72 minutes before the end, 20% of six hours), before the end:
    // the instance has rotated, and the next request the wait sends renews.
    clock += 5 * HOUR
    const second = imds.rotate(clock + 6 * HOUR)
    const byKey = (key: string) => (r: { params: Record<string, string | undefined> }) =>
      r.params.ExecutionName === name && r.params.AccessKeyId === key
    await Promise.race([
      h.emulator.waitForRequest(byKey(second.accessKeyId)),
      running.then(() => Promise.reject(new Error(`run() ended:\n${fake.log.join('\n')}`)))
    ])
    // The first credentials expire now, on the renewals' clock and at the emulator: one stream
    // of long polls, so none signed with them is still on its way. The wait goes on.
    clock += 2 * HOUR
    h.emulator.addCredential({ ...first, expiresAt: 0 })
    await h.emulator.waitForRequest((r) => byKey(second.accessKeyId)(r) && r.holding === true, 2)
    h.emulator.release('long', name)
    await running

    expect(fake.failed).toBeUndefined()
    expect(fake.outputs.get('status')).toBe('Succeeded')
    const requests = h.requestsFor(name)
    expect(requests.filter((r) => r.status !== 200)).toEqual([])
    const keys = requests.map((r) => r.params.AccessKeyId)
    expect(new Set(keys)).toEqual(new Set([first.accessKeyId, second.accessKeyId]))
    expect(keys.lastIndexOf(first.accessKeyId)).toBeLessThan(keys.indexOf(second.accessKeyId))

    // Asked twice, each time as the official chain asks: a session token, then the role and
    // its credentials with it.
    const asked = imds.requests.slice(imdsBefore)
    const round = [
      'PUT /latest/api/token',
      'GET /latest/meta-data/ram/security-credentials/',
      'GET /latest/meta-data/ram/security-credentials/fnf-runner'
    ]
    expect(asked.map((r) => `${r.method} ${r.path}`)).toEqual([...round, ...round])
    expect(asked.filter((r) => r.method === 'PUT').map((r) => r.ttl)).toEqual(['21600', '21600'])
    expect(asked.filter((r) => r.method === 'GET').every((r) => r.token !== undefined)).toBe(true)

    const role = 'the ECS instance RAM role fnf-runner (metadata service, with a session token)'
    expect(fake.log).toContain(
      "info: Credentials from the runner's machine: the ECS instance RAM role."
    )
    expect(fake.log).toContain(
      `info: Credentials from ${role}: valid until ${iso(first.expiresAt)}, renewed after ` +
        `${iso(first.expiresAt - 1.2 * HOUR)}.`
    )
    expect(fake.log).toContainEqual(
      expect.stringMatching(
        `^info: Renewed the credentials from ${role.replace(/[()]/g, '\\$&')}: valid until ${iso(second.expiresAt)}`
      )
    )
    for (const c of [first, second]) {
      for (const secret of [c.accessKeySecret, c.securityToken]) {
        expect(fake.secrets).toContain(secret)
        expect(fake.log.join('\n')).not.toContain(secret)
      }
    }
    expect(fake.secrets).toEqual(expect.arrayContaining(asked.flatMap((r) => r.token ?? [])))
  })
})

describe('the other sources of a self-hosted runner', () => {
  it('a credentials file: the profile ALIBABA_CLOUD_PROFILE names', async () => {
    const name = h.unique('profile')
    given(name)
    h.emulator.release('long', name)
    const dir = join(home, 'profiles')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, 'credentials')
    writeFileSync(
      file,
      [
        '[default]',
        'type = ecs_ram_role',
        '',
        '[ci]',
        'type = access_key',
        `access_key_id = ${DEMO_CREDENTIAL.accessKeyId}`,
        `access_key_secret = ${DEMO_CREDENTIAL.accessKeySecret}`
      ].join('\n')
    )
    await run(selfHosted({ ALIBABA_CLOUD_CREDENTIALS_FILE: file, ALIBABA_CLOUD_PROFILE: 'ci' }), {
      machine: { metadataOrigin: `http://127.0.0.1:${refused}` }
    })
    expect(fake.failed).toBeUndefined()
    expect(fake.log).toContain(
      `info: Credentials from the profile "ci" of ${file} (ALIBABA_CLOUD_CREDENTIALS_FILE).`
    )
    expect(fake.secrets).toContain(DEMO_CREDENTIAL.accessKeySecret)
  })

  it('ALIBABA_CLOUD_CREDENTIALS_URI, after an instance with no RAM role', async () => {
    const name = h.unique('uri')
    given(name)
    h.emulator.release('long', name)
    const noRole = await startEcsMetadataFake({ onMint: accept })
    const server = await startCredentialsUriFake({ onMint: accept })
    try {
      const env = selfHosted({
        ALIBABA_CLOUD_CREDENTIALS_URI: `${server.url}/credentials?secret=s3cr3t-query`
      })
      await run(env, { machine: { metadataOrigin: noRole.url } })
      expect(fake.failed).toBeUndefined()
      expect(h.requestsFor(name)[0]?.params.AccessKeyId).toBe(server.minted[0]?.accessKeyId)
      expect(noRole.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'PUT /latest/api/token 200',
        'GET /latest/meta-data/ram/security-credentials/ 404'
      ])
      const from = `ALIBABA_CLOUD_CREDENTIALS_URI (${server.url}/credentials)`
      expect(fake.log).toContain(
        "info: Credentials from the runner's machine: the ECS instance RAM role, then " +
          'ALIBABA_CLOUD_CREDENTIALS_URI, the first that gives them.'
      )
      expect(fake.log).toContainEqual(
        expect.stringContaining(`info: Credentials from ${from}: valid until`)
      )
      expect(fake.log.join('\n')).not.toContain('s3cr3t-query')
    } finally {
      await Promise.all([noRole.close(), server.close()])
    }
  })

  it('none answers: the step fails before any FnF request, naming each source and what to set', async () => {
    const name = h.unique('none')
    given(name)
    await run(selfHosted(), { machine: { metadataOrigin: `http://127.0.0.1:${refused}` } })
    expect(h.requestsFor(name)).toEqual([])
    expect(fake.failed).toMatch(
      new RegExp(
        "^fnf-wait: No credentials: none was given, and the runner's machine gave none \\(the ECS " +
          `metadata service at http://127.0.0.1:${refused}: ECONNREFUSED`
      )
    )
    expect(fake.failed).toContain('This runner does not look like an ECS instance')
    expect(fake.failed).toContain('"role-to-assume" and "oidc-provider-arn"')
    h.emulator.release('long', name)
  })

  it('a GitHub-hosted runner is never asked for an ECS role: the inputs to give, at once', async () => {
    const name = h.unique('hosted')
    given(name)
    await run({ ...ENV, RUNNER_ENVIRONMENT: 'github-hosted', HOME: home })
    expect(fake.failed).toMatch(
      /^fnf-wait: No credentials: give the "role-to-assume" and "oidc-provider-arn" inputs/
    )
    expect(h.requestsFor(name)).toEqual([])
    h.emulator.release('long', name)
  })
})
