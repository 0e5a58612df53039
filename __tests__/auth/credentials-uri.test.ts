/**
 * Credentials from ALIBABA_CLOUD_CREDENTIALS_URI (src/auth/credentials-uri.ts), against the fake
 * server (emulator/machine-credentials.ts): the answer read, and a URL whose query may hold a
 * secret never shown.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { startCredentialsUriFake, type MachineFake } from '../../emulator/machine-credentials.js'
import { fetchCredentialsUri, uriText } from '../../src/auth/credentials-uri.js'
import { MachineCredentialsError } from '../../src/auth/machine-source.js'

let fake: MachineFake | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})

describe('fetchCredentialsUri', () => {
  it('a GET of the URL, answered with the credentials and their expiry', async () => {
    fake = await startCredentialsUriFake()
    const got = await fetchCredentialsUri({ uri: `${fake.url}/creds?token=q`, first: true })
    const minted = fake.minted[0]!
    expect(got).toEqual({
      credentials: {
        accessKeyId: minted.accessKeyId,
        accessKeySecret: minted.accessKeySecret,
        securityToken: minted.securityToken
      },
      expiration: minted.expiresAt
    })
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /creds'])
  })

  it('an error names the URL without its query; nothing there is final the first time', async () => {
    fake = await startCredentialsUriFake()
    fake.fail({ status: 500 })
    const uri = `${fake.url}/creds?token=s3cr3t`
    const failed = await fetchCredentialsUri({ uri, first: true })
    expect(failed).toMatchObject({ status: 500, retryable: true })
    expect((failed as Error).message).toMatch(
      new RegExp(`^ALIBABA_CLOUD_CREDENTIALS_URI \\(${fake.url}/creds\\): `)
    )
    await fake.close()
    fake = undefined
    const gone = await fetchCredentialsUri({ uri, first: true })
    expect(gone).toBeInstanceOf(MachineCredentialsError)
    expect(gone).toMatchObject({ unreachable: true, retryable: false })
    expect((gone as Error).message).toMatch(/Nothing answered there: check the URL/)
    expect((gone as Error).message).not.toContain('s3cr3t')
  })
})

describe('uriText', () => {
  it('drops user, password and query', () => {
    expect(uriText(new URL('https://u:p@creds.internal:8443/v1/c?sig=x#f'))).toBe(
      'https://creds.internal:8443/v1/c'
    )
  })
})
