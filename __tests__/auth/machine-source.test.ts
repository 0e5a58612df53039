/**
 * What the machine's sources share (src/auth/machine-source.ts): the credentials answer read, and
 * an error for a half-formed one that quotes none of it.
 */
import { describe, expect, it } from '@jest/globals'
import { MachineCredentialsError, readMachineAnswer } from '../../src/auth/machine-source.js'

const full = {
  AccessKeyId: 'STS.id',
  AccessKeySecret: 'SECRET-VALUE',
  SecurityToken: 'TOKEN-VALUE',
  Expiration: '2026-01-01T06:00:00Z',
  Code: 'Success'
}

describe('readMachineAnswer', () => {
  it('the four fields, Code Success where the metadata service sends it', () => {
    expect(readMachineAnswer(JSON.stringify(full), 'src', true)).toEqual({
      credentials: {
        accessKeyId: 'STS.id',
        accessKeySecret: 'SECRET-VALUE',
        securityToken: 'TOKEN-VALUE'
      },
      expiration: Date.parse('2026-01-01T06:00:00Z')
    })
    const { Code: _code, ...uriAnswer } = full
    expect(readMachineAnswer(JSON.stringify(uriAnswer), 'src', false)).not.toBeInstanceOf(
      MachineCredentialsError
    )
  })

  it('not ready yet is retryable; a half-formed answer is not, and quotes no secret', () => {
    const notReady = readMachineAnswer(JSON.stringify({ ...full, Code: 'Failed' }), 'src', true)
    expect(notReady).toMatchObject({ retryable: true })
    expect((notReady as Error).message).toMatch(/^src: .*not ready/)
    const half = readMachineAnswer(JSON.stringify({ ...full, Expiration: 'soon' }), 'src', false)
    expect(half).toMatchObject({ retryable: false })
    expect((half as Error).message).toMatch(/no complete credentials/)
    for (const e of [notReady, half]) {
      expect((e as Error).message).not.toMatch(/SECRET-VALUE|TOKEN-VALUE/)
    }
    expect((readMachineAnswer('<html>', 'src', false) as Error).message).toMatch(/not JSON/)
  })
})
