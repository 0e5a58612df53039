/**
 * OIDC credentials end to end, in process: the real core.getIDToken against a fake of the
 * runner's token endpoint, the fake STS, and the FnF emulator. An FnfClient and waitForExecution
 * drive an execution that runs for several credential lifetimes. Time is the test's: the
 * provider and STS share a clock the test moves past each renewal point, and the test tells the
 * emulator to refuse a credential once it has expired on that clock (and every request signed
 * with it has arrived). Assertions are about which credentials signed which request and how many
 * renewals happened, never about wall-clock times.
 */
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Dispatcher } from 'undici'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import type { CredentialsProvider } from '../../src/fnf/types.js'
import { parseOidcInputs, type OidcConfig } from '../../src/config/oidc.js'
import { createOidcCredentials, type OidcDeps } from '../../src/auth/oidc-provider.js'
import { FnfClient } from '../../src/fnf/client.js'
import { createDispatcher } from '../../src/http/dispatcher.js'
import { Deadline } from '../../src/step/deadline.js'
import { waitForExecution, type ExecutionReader } from '../../src/step/wait.js'
import { githubJwt, startIdTokenFake, type IdTokenFake } from '../../emulator/id-token.js'
import { startStsFake, type StsFake } from '../../emulator/sts.js'

const ACCOUNT = '1234567890123456'
const ROLE = `acs:ram::${ACCOUNT}:role/fnf-waiter`
const OTHER_TEAM_ROLE = `acs:ram::${ACCOUNT}:role/other-team`
const PROVIDER = `acs:ram::${ACCOUNT}:oidc-provider/github`
const MINUTE = 60_000
/** The sessions asked for: 15 minutes, renewed 5 minutes before their end (the default margin). */
const SESSION_MS = 15 * MINUTE
const VARS = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'] as const

let dispatcher: Dispatcher
let emu: Emulator
let sts: StsFake
let idp: IdTokenFake
let dir: string
/** The provider's and STS's clock: moved by the tests only. */
let clock = 0
const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]))
/** What core.getIDToken prints (::debug::, ::add-mask::), kept out of the test output. */
let stdout: string[] = []

beforeAll(async () => {
  dispatcher = createDispatcher()
  emu = await startEmulator({
    // Only credentials the fake STS mints are accepted.
    credentials: [],
    rateLimit: null,
    // Held until the test releases it: the long wait lasts as many credential lifetimes as the
    // test needs, whatever the machine's speed.
    flows: [{ name: 'long', hold: true, steps: [{ type: 'wait', name: 'hold', durationMs: 0 }] }]
  })
  sts = await startStsFake({
    providers: [{ arn: PROVIDER, clientIds: ['sts.aliyuncs.com'] }],
    roles: [
      { arn: ROLE, providerArn: PROVIDER, subject: 'repo:octo-org/octo-repo:*' },
      { arn: OTHER_TEAM_ROLE, providerArn: PROVIDER, subject: 'repo:octo-org/other-repo:*' }
    ],
    now: () => clock,
    // Accepted until the test expires it: its Expiration is on the test's clock.
    onMint: (c) =>
      emu.addCredential({
        accessKeyId: c.accessKeyId,
        accessKeySecret: c.accessKeySecret,
        securityToken: c.securityToken
      })
  })
  idp = await startIdTokenFake()
  dir = mkdtempSync(join(tmpdir(), 'fnf-wait-oidc-'))
})

beforeEach(() => {
  clock = Math.floor(Date.now() / 1000) * 1000
  Object.assign(process.env, idp.env)
  stdout = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout.push(String(chunk))
    return true
  })
})

afterEach(() => {
  jest.restoreAllMocks()
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
})

afterAll(async () => {
  await Promise.all([emu.close(), sts.close(), idp.close()])
  await dispatcher.close()
  rmSync(dir, { recursive: true, force: true })
})

function oidcConfig(inputs: Record<string, string> = {}, env: Record<string, string> = {}) {
  const all: Record<string, string> = {
    'role-to-assume': ROLE,
    'oidc-provider-arn': PROVIDER,
    'sts-endpoint': sts.url,
    'role-duration-seconds': '900',
    ...inputs
  }
  const config = parseOidcInputs((name) => all[name] ?? '', { GITHUB_RUN_ID: '4242', ...env })
  if (!config) throw new Error('OIDC inputs not recognised')
  return config
}

/**
 * Provider + client the way main.ts wires them, with logs and masks recorded, on the test's
 * clock; `handed` counts the requests each credential was handed out for.
 */
function wire(config: OidcConfig, deps: OidcDeps = {}) {
  const lines: string[] = []
  const masked: string[] = []
  const handed = new Map<string, number>()
  const log = (line: string): void => {
    lines.push(line)
  }
  const { provider, stats } = createOidcCredentials(config, {
    log,
    setSecret: (secret) => masked.push(secret),
    dispatcher,
    now: () => clock,
    ...deps
  })
  const counted: CredentialsProvider = async () => {
    const credentials = await provider()
    handed.set(credentials.accessKeyId, (handed.get(credentials.accessKeyId) ?? 0) + 1)
    return credentials
  }
  const client = new FnfClient({ endpoint: emu.url, credentials: counted, dispatcher, log })
  return { client, stats, lines, masked, handed }
}

/**
 * As if a proxy cut every long poll to 1 s: the wait then sends a request about every second, so
 * the credentials are needed all through the wait rather than twice.
 */
function shortPolls(client: FnfClient): ExecutionReader {
  return {
    describeExecution: (params, options) => {
      const { flowName, executionName, waitTimeSeconds } = params
      const holds =
        (params as { holdUntil?: number }).holdUntil !== undefined || (waitTimeSeconds ?? 0) > 0
      return client.describeExecution(
        { flowName, executionName, waitTimeSeconds: holds ? 1 : 0 },
        options
      )
    }
  }
}

describe('OIDC credentials through a long wait', () => {
  it('renews before expiry so that no request is ever signed with expired credentials', async () => {
    const { client, stats, lines, masked, handed } = wire(oidcConfig())
    const firstRequest = emu.requests.length
    const firstAssume = sts.minted.length
    const firstIdToken = idp.issued.length
    emu.createExecution('long', 'renew-a')
    emu.createExecution('long', 'renew-b')

    // Two waits at once share the one provider (and its renewals).
    const waits = Promise.all(
      ['renew-a', 'renew-b'].map((executionName) =>
        waitForExecution(shortPolls(client), {
          flowName: 'long',
          executionName,
          deadline: Deadline.after(60_000)
        })
      )
    )
    const ended = waits.then(() => Promise.reject(new Error('the waits ended before two renewals')))
    const signedWith = (n: number) => (r: { params: Record<string, string | undefined> }) =>
      r.params.AccessKeyId !== undefined &&
      r.params.AccessKeyId === sts.minted[firstAssume + n]?.accessKeyId
    // Twice: a request signed with the current credentials arrives; the clock passes their
    // renewal point (10 of 15 minutes); a request signed with the next ones arrives; once every
    // request handed the old ones has arrived, the emulator refuses them from then on.
    for (const n of [0, 1]) {
      await Promise.race([emu.waitForRequest(signedWith(n)), ended])
      clock += 11 * MINUTE
      await Promise.race([emu.waitForRequest(signedWith(n + 1)), ended])
      const old = sts.minted[firstAssume + n]!
      await emu.waitForRequest(signedWith(n), handed.get(old.accessKeyId))
      clock += 5 * MINUTE
      emu.addCredential({ ...old, expiresAt: 0 })
    }
    // The wait goes on with the third credentials only.
    await Promise.race([emu.waitForRequest(signedWith(2), 2), ended])
    emu.release('long', 'renew-a')
    emu.release('long', 'renew-b')
    const results = await waits
    expect(results.map((r) => [r.kind, r.execution?.Status])).toEqual([
      ['ended', 'Succeeded'],
      ['ended', 'Succeeded']
    ])

    const requests = emu.requests.slice(firstRequest)
    const minted = sts.minted.slice(firstAssume)
    // The emulator refuses an expired credential on arrival, so a 200 means it was still valid:
    // no 403 InvalidSecurityToken.Expired.
    expect(requests.filter((r) => r.status !== 200)).toEqual([])
    for (const request of requests) {
      const credential = minted.find((c) => c.accessKeyId === request.params.AccessKeyId)
      expect(credential).toBeDefined()
      expect(request.params.SecurityToken).toBe(credential?.securityToken)
    }

    // Renewals: one per renewal point, each one used, each with its own fresh ID token for our
    // audience, the credentials used in the order they were minted.
    expect(stats.assumes).toBe(3)
    expect(minted).toHaveLength(3)
    expect(stats.failedRenewals).toBe(0)
    const used = requests.map((r) =>
      minted.findIndex((c) => c.accessKeyId === r.params.AccessKeyId)
    )
    expect(new Set(used)).toEqual(new Set([0, 1, 2]))
    const idTokens = minted.map((c) => c.oidcToken)
    expect(new Set(idTokens).size).toBe(idTokens.length)
    expect(idp.issued.slice(firstIdToken)).toEqual(idTokens)
    expect(new Set(idp.requests.slice(firstIdToken).map((r) => r.audience))).toEqual(
      new Set(['sts.aliyuncs.com'])
    )
    expect(minted.every((c) => c.roleSessionName === 'fnf-wait-4242-1')).toBe(true)

    // Every secret was masked; none reached a log line.
    const secrets = minted.flatMap((c) => [c.accessKeyId, c.accessKeySecret, c.securityToken])
    for (const secret of [...secrets, ...idTokens]) expect(masked).toContain(secret)
    const log = lines.join('\n')
    for (const secret of [...secrets, ...idTokens]) expect(log).not.toContain(secret)
    expect(lines.filter((l) => l.startsWith('Renewed STS credentials'))).toHaveLength(
      stats.assumes - 1
    )
    // core.getIDToken masks the ID token itself too.
    expect(stdout.join('')).toContain(`::add-mask::${idTokens[0]}`)
  })

  it('re-reads ALIBABA_CLOUD_OIDC_TOKEN_FILE for each renewal', async () => {
    const file = join(dir, 'token')
    const { client, stats } = wire(oidcConfig({}, { ALIBABA_CLOUD_OIDC_TOKEN_FILE: file }))
    const requestsBefore = idp.requests.length
    const firstAssume = sts.minted.length
    emu.createExecution('long', 'from-file')
    const target = { flowName: 'long', executionName: 'from-file', waitTimeSeconds: 0 }

    const tokens = [
      githubJwt({ audience: 'sts.aliyuncs.com' }),
      githubJwt({ audience: 'sts.aliyuncs.com' })
    ]
    writeFileSync(file, tokens[0] ?? '')
    await client.describeExecution(target)
    writeFileSync(file, tokens[1] ?? '')
    await client.describeExecution(target) // still within the session: no assume
    clock += SESSION_MS // past the renewal point
    await client.describeExecution(target)

    expect(stats.assumes).toBe(2)
    expect(sts.minted.slice(firstAssume).map((c) => c.oidcToken)).toEqual(tokens)
    expect(idp.requests.length).toBe(requestsBefore)
  })
})

describe('OIDC errors a user can fix', () => {
  async function failure(config: OidcConfig): Promise<string> {
    const { client } = wire(config)
    const describes = () => emu.requests.filter((r) => r.action === 'DescribeFlow').length
    const before = describes()
    try {
      await client.describeFlow({ name: 'long' })
    } catch (error) {
      // Nothing unsigned or half-signed went to FnF.
      expect(describes()).toBe(before)
      return (error as Error).message
    }
    throw new Error('expected the credentials to fail')
  }

  it('no id-token: write permission', async () => {
    for (const name of VARS) delete process.env[name]
    const stsBefore = sts.requests.length
    expect(await failure(oidcConfig())).toContain('Add "permissions: id-token: write" to the job')
    expect(sts.requests.length).toBe(stsBefore)
  })

  it('an audience the OIDC provider does not accept', async () => {
    const message = await failure(oidcConfig({ audience: 'github-actions' }))
    expect(message).toContain('AuthenticationFail.OIDCToken.AudienceNotMatch')
    expect(message).toContain('the "audience" input must match one of the provider\'s Client IDs')
    expect(message).toContain('("github-actions")')
  })

  it('a role whose trust policy does not cover this repository', async () => {
    const message = await failure(oidcConfig({ 'role-to-assume': OTHER_TEAM_ROLE }))
    expect(message).toContain('HTTP 401 AuthenticationFail.NoPermission: There is no permission')
    expect(message).toContain(`Role ${OTHER_TEAM_ROLE} cannot be assumed with this token`)
    expect(message).toContain(
      'condition on "oidc:sub" that matches this token\'s sub claim "repo:octo-org/octo-repo:ref:refs/heads/main"'
    )
  })
})
