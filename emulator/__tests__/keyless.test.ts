/**
 * `npm run emulator`'s keyless auth (keyless.ts): the ID-token endpoint's token buys STS
 * credentials for the README's role, which the FnF emulator then accepts until STS's Expiration.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../index.js'
import {
  DEMO_ID_TOKEN_REQUEST_TOKEN,
  DEMO_OIDC_PROVIDER_ARN,
  DEMO_ROLE_ARN,
  keylessPorts,
  startKeyless,
  type Keyless
} from '../keyless.js'
import { rawCall, rpcTimestamp } from '../raw-rpc.js'

let emulator: Emulator
let keyless: Keyless

beforeAll(async () => {
  emulator = await startEmulator({ credentials: [], flows: [{ name: 'f', steps: [] }] })
  keyless = await startKeyless(emulator)
})
afterAll(async () => {
  await Promise.all([emulator.close(), keyless.close()])
})

/** The ID token, as @actions/core's getIDToken asks for it. */
async function idToken(requestToken: string): Promise<Response> {
  const url = `${keyless.info.idToken.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sts.aliyuncs.com`
  return fetch(url, { headers: { authorization: `Bearer ${requestToken}` } })
}

/** AssumeRoleWithOIDC as the official credentials library sends it: anonymous, query + form. */
async function assume(token: string, durationSeconds: number): Promise<Record<string, string>> {
  const query = new URLSearchParams({
    Action: 'AssumeRoleWithOIDC',
    Version: '2015-04-01',
    Format: 'JSON',
    Timestamp: rpcTimestamp(Date.now())
  })
  const res = await fetch(`${keyless.info.sts.endpoint}/?${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      OIDCProviderArn: DEMO_OIDC_PROVIDER_ARN,
      RoleArn: DEMO_ROLE_ARN,
      OIDCToken: token,
      RoleSessionName: 'keyless-test',
      DurationSeconds: String(durationSeconds)
    })
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { Credentials: Record<string, string> }).Credentials
}

describe('keyless auth beside the emulator', () => {
  it('describes itself as the first stdout line shows it', () => {
    expect(keyless.info).toEqual({
      sts: {
        endpoint: keyless.sts.url,
        oidcProviderArn: DEMO_OIDC_PROVIDER_ARN,
        roleArn: DEMO_ROLE_ARN
      },
      idToken: {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${keyless.idToken.url}/idtoken?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: DEMO_ID_TOKEN_REQUEST_TOKEN
      }
    })
  })

  it('trades an ID token for credentials the FnF emulator accepts, until STS says', async () => {
    const res = await idToken(DEMO_ID_TOKEN_REQUEST_TOKEN)
    expect(res.status).toBe(200)
    const { value } = (await res.json()) as { value: string }

    const before = Date.now()
    const credentials = await assume(value, 900)
    const after = Date.now()
    // STS's Expiration is DurationSeconds after the call, to the second.
    const expiration = Date.parse(credentials.Expiration!)
    expect(expiration).toBeGreaterThan(before + 899_000)
    expect(expiration).toBeLessThanOrEqual(after + 900_000)
    // The emulator was handed that instant: it refuses the credential from then on.
    expect(keyless.sts.minted.at(-1)?.expiresAt).toBe(expiration)

    const credential = {
      accessKeyId: credentials.AccessKeyId!,
      accessKeySecret: credentials.AccessKeySecret!,
      securityToken: credentials.SecurityToken!
    }
    const described = await rawCall(emulator.url, 'DescribeFlow', { Name: 'f' }, { credential })
    expect(described.status).toBe(200)
    // Without its security token the same key pair is refused.
    const { securityToken: _, ...bare } = credential
    const refused = await rawCall(emulator.url, 'DescribeFlow', { Name: 'f' }, { credential: bare })
    expect(refused.status).toBe(403)
  })

  it('gives ID tokens only for the request token it shows', async () => {
    expect((await idToken('another-token')).status).toBe(401)
  })
})

describe('keylessPorts', () => {
  it('puts STS and the ID-token endpoint on the two ports after a given one', () => {
    expect(keylessPorts(4010)).toEqual({ sts: 4011, idToken: 4012 })
  })
  it('takes free ports when the emulator does', () => {
    expect(keylessPorts(0)).toEqual({ sts: 0, idToken: 0 })
  })
})
