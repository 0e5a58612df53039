/**
 * Credentials from a self-hosted runner's machine, through the bundle: dist/index.js with no key
 * or role given takes them from ALIBABA_CLOUD_CREDENTIALS_URI (the fake server), over the bundle's
 * own HTTP client (the direct pool the lean undici gives it), masks every secret, and says which
 * source it used. The metadata service cannot be moved outside the in-process tests, so this run
 * turns it off as a runner that is no ECS instance would (ALIBABA_CLOUD_ECS_METADATA_DISABLED).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../../emulator/index.js'
import { startCredentialsUriFake, type MachineFake } from '../../emulator/machine-credentials.js'
import { runAction } from '../../scripts/run-action.js'

let emulator: Emulator
let uri: MachineFake
let home: string

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [],
    flows: [{ name: 'deploy', steps: [{ type: 'task', name: 'work', durationMs: 0 }] }]
  })
  uri = await startCredentialsUriFake({ onMint: (c) => emulator.addCredential(c) })
  home = mkdtempSync(join(tmpdir(), 'fnf-wait-machine-home-'))
})
afterAll(async () => {
  await Promise.all([emulator.close(), uri.close()])
  rmSync(home, { recursive: true, force: true })
})

describe('a self-hosted runner with a credentials server', () => {
  it('waits with the credentials ALIBABA_CLOUD_CREDENTIALS_URI gives, masked, and says so', async () => {
    const name = `machine-${process.pid}`
    emulator.createExecution('deploy', name, {})
    const run = await runAction({
      inputs: { 'flow-name': 'deploy', 'execution-name': name, endpoint: emulator.url },
      env: {
        HOME: home,
        RUNNER_ENVIRONMENT: 'self-hosted',
        ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
        ALIBABA_CLOUD_CREDENTIALS_URI: `${uri.url}/credentials?sig=s3cr3t`
      }
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('Succeeded')
    const minted = uri.minted[0]!
    const requests = emulator.requests.filter((r) => r.params.ExecutionName === name)
    expect(requests.map((r) => r.params.AccessKeyId)).toContain(minted.accessKeyId)
    expect(run.stdout).toContain(
      `Credentials from ALIBABA_CLOUD_CREDENTIALS_URI (${uri.url}/credentials): valid until`
    )
    for (const secret of [minted.accessKeySecret, minted.securityToken]) {
      expect(run.stdout).toContain(`::add-mask::${secret}`)
      expect(run.stdout.split(`::add-mask::${secret}`).join('')).not.toContain(secret)
    }
    expect(run.stdout).not.toContain('s3cr3t')
  })
})
