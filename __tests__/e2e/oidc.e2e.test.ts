/**
 * Keyless auth end to end: dist/index.js gets GitHub ID tokens from a fake of the runner's token
 * endpoint, assumes the role at a fake STS that mints 3-second credentials, and waits on an
 * execution that outlives several of them. The emulator accepts each credential only until it
 * expires (plus the time a request may take to arrive), so a request signed with a stale one
 * would fail the run.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { runAction } from '../../scripts/run-action.js'
import { startIdTokenFake, type IdTokenFake } from '../../emulator/id-token.js'
import { startStsFake, type StsFake } from '../../emulator/sts.js'

const ACCOUNT = '1234567890123456'
const ROLE = `acs:ram::${ACCOUNT}:role/fnf-waiter`
const FOREIGN_ROLE = `acs:ram::${ACCOUNT}:role/other-team`
const PROVIDER = `acs:ram::${ACCOUNT}:oidc-provider/github`
// A 60-second long poll lasts 3 real seconds at speed 20, as long as a credential lives, so
// requests keep being signed all through. The execution is held until the action has renewed three
// times and signed a request with the fourth credential: the count is an event, not a race.
const SPEED = 20
const TRANSIT_MS = 2000
const mintWaiters: Array<() => void> = []

/** Resolves once STS has minted `count` credentials in all. */
function mintedAtLeast(count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (sts.minted.length >= count) resolve()
      else mintWaiters.push(check)
    }
    check()
  })
}

let emulator: Emulator
let sts: StsFake
let idp: IdTokenFake
let serial = 0

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [],
    speed: SPEED,
    flows: [
      {
        name: 'long-deploy',
        hold: true,
        steps: [{ type: 'wait', name: 'roll-out', durationMs: 1000 }]
      }
    ]
  })
  sts = await startStsFake({
    providers: [{ arn: PROVIDER, clientIds: ['sts.aliyuncs.com'] }],
    roles: [
      { arn: ROLE, providerArn: PROVIDER, subject: 'repo:octo-org/octo-repo:*' },
      { arn: FOREIGN_ROLE, providerArn: PROVIDER, subject: 'repo:octo-org/other-repo:*' }
    ],
    expiresInMs: 3000,
    onMint: (credential) => {
      // The emulator refuses a credential TRANSIT_MS after the expiry the action was told: on a
      // busy machine a request signed in time may arrive late. A credential the action failed to
      // renew is still refused, one lifetime before the next. The exact expiry is decided on a
      // clock the test moves in __tests__/auth/oidc-provider.long-wait.test.ts.
      emulator.addCredential({ ...credential, expiresAt: credential.expiresAt + TRANSIT_MS })
      for (const waiter of mintWaiters.splice(0)) waiter()
    }
  })
  idp = await startIdTokenFake()
})
afterAll(async () => {
  await Promise.all([emulator.close(), sts.close(), idp.close()])
})

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  const name = `oidc-${process.pid}-${++serial}`
  emulator.createExecution('long-deploy', name, {})
  return {
    'flow-name': 'long-deploy',
    'execution-name': name,
    endpoint: emulator.url,
    'role-to-assume': ROLE,
    'oidc-provider-arn': PROVIDER,
    'sts-endpoint': sts.url,
    'role-duration-seconds': '900',
    ...extra
  }
}

describe('OIDC credentials through a long wait', () => {
  it('renews before each expiry, so every request is signed with live credentials', async () => {
    const given = inputs()
    const name = given['execution-name']!
    const assumesBefore = sts.minted.length
    const running = runAction({ inputs: given, env: idp.env })
    // The first assume and three renewals, then a request signed with the fourth credential.
    await Promise.race([
      mintedAtLeast(assumesBefore + 4),
      running.then((r) => Promise.reject(new Error(`the action ended early:\n${r.stdout}`)))
    ])
    const fourth = sts.minted[assumesBefore + 3]!.accessKeyId
    await emulator.waitForRequest(
      (r) => r.params.ExecutionName === name && r.params.AccessKeyId === fourth
    )
    emulator.release('long-deploy', name)
    const run = await running
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('Succeeded')

    const requests = emulator.requests.filter((r) => r.params.ExecutionName === name)
    expect(requests.length).toBeGreaterThanOrEqual(4)
    expect(requests.every((r) => r.status === 200)).toBe(true)
    const keysUsed = new Set(requests.map((r) => r.params.AccessKeyId))
    const renewals = sts.minted.length - assumesBefore - 1
    console.log(
      `OIDC long wait: ${requests.length} FnF requests, ${renewals} renewals, ${keysUsed.size} key pairs used`
    )
    expect(renewals).toBeGreaterThanOrEqual(3)
    expect(keysUsed.size).toBeGreaterThanOrEqual(4)
    // Each assume used a fresh ID token with the configured audience.
    const tokens = sts.requests.slice(-renewals - 1).map((r) => r.form.OIDCToken)
    expect(new Set(tokens).size).toBe(tokens.length)
    // Every minted secret and token was masked before it could be printed.
    for (const minted of sts.minted.slice(assumesBefore)) {
      for (const secret of [minted.accessKeySecret, minted.securityToken]) {
        expect(run.stdout).toContain(`::add-mask::${secret}`)
        expect(run.stdout.split(`::add-mask::${secret}`).join('')).not.toContain(secret)
      }
    }
  })

  it('without id-token: write, says which permission to add, and sends nothing to FnF', async () => {
    const given = inputs()
    const before = emulator.count()
    const run = await runAction({ inputs: given })
    expect(run.code).toBe(1)
    expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(/id-token: write/)
    expect(emulator.count()).toBe(before)
  })

  it('a role that does not trust this repository: STS code and the trust-policy advice', async () => {
    const run = await runAction({
      inputs: inputs({ 'role-to-assume': FOREIGN_ROLE }),
      env: idp.env
    })
    expect(run.code).toBe(1)
    const message = run.annotations.find((a) => a.level === 'error')?.message ?? ''
    expect(message).toMatch(/AuthenticationFail|NoPermission/)
    expect(message).toMatch(/trust policy/)
  })

  it('an audience the provider does not accept names the audience input', async () => {
    const run = await runAction({ inputs: inputs({ audience: 'github-actions' }), env: idp.env })
    expect(run.code).toBe(1)
    expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(/"audience"/)
  })
})
