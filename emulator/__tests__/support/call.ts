/** Signed raw requests and error checks shared by the emulator's own tests. */
import { expect } from '@jest/globals'
import { DEMO_CREDENTIAL, type Emulator } from '../../index.js'
import { rawCall, type RawCallOptions, type RawResponse } from '../../raw-rpc.js'

export function call(
  emu: Emulator,
  action: string,
  params: Record<string, string> = {},
  opts: RawCallOptions = {}
): Promise<RawResponse> {
  return rawCall(emu.url, action, params, { credential: DEMO_CREDENTIAL, ...opts })
}

/** The documented error body with this status and code; returns the message. */
export function expectError(r: RawResponse, status: number, code: string): string {
  expect({ status: r.status, code: r.json?.Code }).toEqual({ status, code })
  expect(r.json).toEqual({
    RequestId: expect.any(String),
    HostId: expect.any(String),
    Code: code,
    Message: expect.any(String)
  })
  return String(r.json?.Message)
}
