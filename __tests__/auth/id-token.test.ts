/**
 * The ID token: through the real core.getIDToken against a fake of the runner's token endpoint,
 * or from ALIBABA_CLOUD_OIDC_TOKEN_FILE, re-read on every call.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createIdTokenSource,
  decodeJwtClaims,
  IdTokenError,
  MISSING_PERMISSION
} from '../../src/auth/id-token.js'
import { githubJwt, startIdTokenFake, type IdTokenFake } from '../../emulator/id-token.js'

const VARS = ['ACTIONS_ID_TOKEN_REQUEST_URL', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'] as const

let fake: IdTokenFake
let dir: string
const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]))

beforeAll(async () => {
  fake = await startIdTokenFake()
  dir = mkdtempSync(join(tmpdir(), 'fnf-wait-id-token-'))
})

afterEach(() => {
  for (const name of VARS) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
})

afterAll(async () => {
  await fake.close()
  rmSync(dir, { recursive: true, force: true })
})

async function rejection(promise: Promise<unknown>): Promise<IdTokenError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(IdTokenError)
    return error as IdTokenError
  }
  throw new Error('expected an IdTokenError')
}

describe('GitHub ID token', () => {
  it('asks the runner endpoint for the audience, a fresh token each time, masked by core', async () => {
    Object.assign(process.env, fake.env)
    // core.getIDToken writes ::debug:: and ::add-mask:: commands to stdout.
    const written: string[] = []
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk))
      return true
    })
    try {
      const source = createIdTokenSource({ audience: 'sts.aliyuncs.com' })
      const before = fake.requests.length
      const first = await source()
      const second = await source()
      expect(first).not.toBe(second)
      expect(fake.issued.slice(-2)).toEqual([first, second])
      expect(fake.requests.slice(before)).toEqual([
        { audience: 'sts.aliyuncs.com', authorized: true },
        { audience: 'sts.aliyuncs.com', authorized: true }
      ])
      expect(decodeJwtClaims(first)).toMatchObject({ aud: 'sts.aliyuncs.com' })
      expect(written.join('')).toContain(`::add-mask::${first}`)
    } finally {
      write.mockRestore()
    }
  })

  it('says to add "permissions: id-token: write" when the runner gave no token endpoint', async () => {
    for (const name of VARS) delete process.env[name]
    const getIDToken = jest.fn(async () => 'never')
    const error = await rejection(createIdTokenSource({ audience: 'x', getIDToken })())
    expect(error.message).toBe(MISSING_PERMISSION)
    expect(error.message).toContain('Add "permissions: id-token: write" to the job')
    expect(getIDToken).not.toHaveBeenCalled()

    // Half of the pair is no better.
    const half = createIdTokenSource({
      audience: 'x',
      getIDToken,
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: fake.env.ACTIONS_ID_TOKEN_REQUEST_URL }
    })
    expect((await rejection(half())).message).toBe(MISSING_PERMISSION)
  })

  it('gives up on a token endpoint that never answers', async () => {
    const source = createIdTokenSource({
      audience: 'sts.aliyuncs.com',
      env: fake.env,
      getIDToken: () => new Promise<string>(() => {}),
      timeoutMs: 20
    })
    expect((await rejection(source())).message).toBe(
      'Could not get a GitHub ID token for audience "sts.aliyuncs.com": no answer within 0.02s.'
    )
  })

  it('passes on a refusal from the token endpoint with the audience', async () => {
    Object.assign(process.env, fake.env)
    fake.failNext(403)
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
    try {
      const error = await rejection(createIdTokenSource({ audience: 'sts.aliyuncs.com' })())
      expect(error.message).toMatch(
        /^Could not get a GitHub ID token for audience "sts\.aliyuncs\.com": .*Error Code : 403/
      )
      expect(error.message).not.toContain('\n')
    } finally {
      write.mockRestore()
    }
  })
})

describe('ALIBABA_CLOUD_OIDC_TOKEN_FILE', () => {
  it('re-reads the file on every call and never asks GitHub', async () => {
    const file = join(dir, 'token')
    const getIDToken = jest.fn(async () => 'never')
    const source = createIdTokenSource({
      audience: 'ignored',
      tokenFile: file,
      getIDToken,
      env: {}
    })
    const first = githubJwt({ audience: 'sts.aliyuncs.com' })
    writeFileSync(file, `${first}\n`)
    expect(await source()).toBe(first)
    // A sidecar (or a Kubernetes projected volume) rotates the token in place.
    const second = githubJwt({ audience: 'sts.aliyuncs.com' })
    writeFileSync(file, second)
    expect(await source()).toBe(second)
    expect(getIDToken).not.toHaveBeenCalled()
  })

  it('names the file when it is missing, empty or not a JWT', async () => {
    const missing = join(dir, 'missing')
    const gone = await rejection(createIdTokenSource({ audience: 'x', tokenFile: missing })())
    expect(gone.message).toMatch(
      new RegExp(
        `^Could not read the ID token from ALIBABA_CLOUD_OIDC_TOKEN_FILE \\(${missing}\\): .*ENOENT`
      )
    )

    const empty = join(dir, 'empty')
    writeFileSync(empty, '  \n')
    expect(
      (await rejection(createIdTokenSource({ audience: 'x', tokenFile: empty })())).message
    ).toBe(`The ID token from ALIBABA_CLOUD_OIDC_TOKEN_FILE (${empty}) is empty.`)

    const html = join(dir, 'html')
    writeFileSync(html, '<html>oops</html>')
    expect(
      (await rejection(createIdTokenSource({ audience: 'x', tokenFile: html })())).message
    ).toContain(`The ID token from ALIBABA_CLOUD_OIDC_TOKEN_FILE (${html}) is not a JWT`)
  })
})
