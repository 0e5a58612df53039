/**
 * `npm run capture-history` (scripts/capture-history.ts) as a user runs it, against the emulator:
 * it captures any execution that exists, also one whose name the service gave (a UUID starting
 * with a digit, an express `{name}:{UUID}`), which the documented rule for given names refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
let emulator: Emulator
let out: string

beforeAll(async () => {
  emulator = await startEmulator({
    rateLimit: null,
    flows: [
      { name: 'deploy', steps: [{ type: 'task', name: 'roll', fail: { error: 'E', cause: 'c' } }] }
    ]
  })
  out = mkdtempSync(join(tmpdir(), 'capture-'))
})
afterAll(async () => {
  await emulator.close()
  rmSync(out, { recursive: true, force: true })
})

function capture(execution: string) {
  return run(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/capture-history.ts',
      '--flow',
      'deploy',
      '--execution',
      execution,
      '--endpoint',
      emulator.url,
      '--out',
      out
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_CREDENTIAL.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_CREDENTIAL.accessKeySecret
      }
    }
  )
}

describe('capture-history', () => {
  it('captures executions the service named, each to a file any system can hold', async () => {
    const uuid = '397aba96-4d85-11ef-8f9a-00163e0a1b2c'
    const express = 'nightly:7d3f1c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b'
    for (const name of [uuid, express]) {
      emulator.createExecution('deploy', name, {})
      await capture(name)
    }
    expect(readdirSync(out).sort()).toEqual(
      [`deploy--${uuid}.json`, 'deploy--nightly_7d3f1c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b.json'].sort()
    )
    const fixture = JSON.parse(readFileSync(join(out, `deploy--${uuid}.json`), 'utf8')) as {
      events: unknown[]
    }
    expect(fixture.events.length).toBeGreaterThan(0)
  }, 60_000)

  it('still refuses what cannot be an execution name, with its usage', async () => {
    const failed = await capture('has space').catch(
      (error: { code: number; stderr: string }) => error
    )
    expect(failed).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^Usage: npm run capture-history/)
    })
  }, 60_000)
})
