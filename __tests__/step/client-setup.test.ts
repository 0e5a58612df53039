/**
 * The FnF client of the step (src/step/client-setup.ts) against the emulator, through the typed core
 * fake: static keys and the GitHub token are masked before any request, and the client it makes
 * signs requests the emulator accepts.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import * as core from '../support/core.js'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { createDispatcher } from '../../src/http/dispatcher.js'
import { clearSecrets, redactSecrets } from '../../src/base/secrets.js'
import { configOf } from '../support/config.js'

jest.unstable_mockModule('@actions/core', () => core)
const { connect } = await import('../../src/step/client-setup.js')

const KEYS = {
  accessKeyId: 'LTAI5tConnectKey',
  accessKeySecret: 'connect-secret-value',
  securityToken: 'CAIS.connect.token'
}
let emulator: Emulator
const dispatcher = createDispatcher()

beforeAll(async () => {
  emulator = await startEmulator({
    rateLimit: null,
    credentials: [KEYS],
    flows: [{ name: 'deploy', steps: [{ type: 'pass', name: 'p' }] }]
  })
})
afterAll(async () => {
  await emulator.close()
  await dispatcher.close()
  clearSecrets()
})

describe('connect', () => {
  it('masks the keys and the GitHub token, then reads an execution with them', async () => {
    core.resetCore()
    const config = configOf({
      endpoint: emulator.url,
      'access-key-id': KEYS.accessKeyId,
      'access-key-secret': KEYS.accessKeySecret,
      'security-token': KEYS.securityToken,
      'github-token': 'ghs_connectToken0123'
    })
    const client = connect(config, dispatcher)
    expect(core.fake.secrets.sort()).toEqual(
      [KEYS.accessKeyId, KEYS.accessKeySecret, KEYS.securityToken, 'ghs_connectToken0123'].sort()
    )
    expect(redactSecrets(`x ${KEYS.accessKeySecret} y`)).toBe('x *** y')
    expect(emulator.count()).toBe(0)

    emulator.createExecution('deploy', 'e-1', {})
    const execution = await client.describeExecution({ flowName: 'deploy', executionName: 'e-1' })
    expect(execution.Name).toBe('e-1')
    expect(emulator.requests.map((r) => [r.action, r.status, r.params.AccessKeyId])).toEqual([
      ['DescribeExecution', 200, KEYS.accessKeyId]
    ])
  })
})
