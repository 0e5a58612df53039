/**
 * What the step/ tests need to follow executions in process: an emulator for the file and a
 * FollowContext (config, a client of that emulator, a deadline, a signal). Install the core fake
 * (support/core.ts) before importing the step/ module under test.
 */
import { afterAll, beforeAll } from '@jest/globals'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type EmulatorOptions
} from '../../emulator/index.js'
import type { Config } from '../../src/config/inputs.js'
import { FnfClient } from '../../src/fnf/client.js'
import type { Credentials } from '../../src/fnf/types.js'
import { createDispatcher } from '../../src/http/dispatcher.js'
import { Deadline } from '../../src/step/deadline.js'
import type { FollowContext } from '../../src/step/wait.js'
import { configOf } from './config.js'

export interface Following {
  readonly emulator: Emulator
  /** A client of the file's emulator, signing with `keys` (default: the emulator's demo pair). */
  client(keys?: Credentials): FnfClient
  /** The step's Config for these inputs, pointed at the file's emulator with its keys. */
  config(inputs?: Record<string, string>): Config
  context(
    inputs?: Record<string, string>,
    more?: Partial<Pick<FollowContext, 'signal' | 'deadline' | 'single'>>
  ): FollowContext
}

export function useFollowing(options: EmulatorOptions): Following {
  let emulator: Emulator | undefined
  const dispatcher = createDispatcher()
  beforeAll(async () => {
    emulator = await startEmulator({ rateLimit: null, ...options })
  })
  afterAll(async () => {
    await emulator?.close()
    await dispatcher.close()
  })
  const started = (): Emulator => {
    if (!emulator) throw new Error('the emulator starts in beforeAll: use it inside a test')
    return emulator
  }
  const following: Following = {
    get emulator() {
      return started()
    },
    client: (keys = DEMO_CREDENTIAL) =>
      new FnfClient({
        endpoint: started().url,
        credentials: () => keys,
        dispatcher,
        maxAttempts: 1
      }),
    config: (inputs = {}) =>
      configOf({
        endpoint: started().url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
        ...inputs
      }),
    context: (inputs = {}, more = {}) => ({
      config: following.config(inputs),
      client: following.client(),
      deadline: Deadline.after(10 * 60_000),
      signal: new AbortController().signal,
      single: true,
      ...more
    })
  }
  return following
}
