/**
 * Signed calls for the emulator's own tests (Alibaba's openapi-util signs them, never the
 * action's signer), and the shape every error answer must have.
 */
import { expect } from '@jest/globals'
import { DEMO_CREDENTIAL, type Emulator } from '../../index.js'
import { rawCall, type RawCallOptions, type RawResponse } from '../../raw-rpc.js'

/** Actions the maintained SDK sends as POST with a form body (fnf-20190315/src/client.ts). */
const POST_ACTIONS = new Set([
  'StartExecution',
  'StartSyncExecution',
  'StopExecution',
  'PublishFlowVersion',
  'DeleteFlowVersion',
  'CreateFlowAlias',
  'UpdateFlowAlias',
  'DeleteFlowAlias'
])

/** One signed request with the method the maintained SDK uses for `action`. */
export function rpc(
  emu: Emulator,
  action: string,
  params: Record<string, string> = {},
  opts: RawCallOptions = {}
): Promise<RawResponse> {
  const method = POST_ACTIONS.has(action) ? 'POST' : 'GET'
  return rawCall(emu.url, action, params, { credential: DEMO_CREDENTIAL, method, ...opts })
}

export function expectError(r: RawResponse, status: number, code: string): void {
  expect({ status: r.status, code: r.json?.Code }).toEqual({ status, code })
  expect(r.json).toEqual({
    RequestId: expect.any(String),
    HostId: expect.any(String),
    Code: code,
    Message: expect.any(String)
  })
}

/** `2025-10-24T14:11:26+08:00`, as the version and alias models show some times. */
export const CHINA_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/
/** `2019-01-01T01:01:01.001Z` */
export const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
