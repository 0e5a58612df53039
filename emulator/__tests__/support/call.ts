/** Signed raw requests, error checks and a held flow, shared by the emulator's own tests. */
import { expect } from '@jest/globals'
import { DEMO_CREDENTIAL, startEmulator, type Emulator, type FlowScript } from '../../index.js'
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

/** A flow whose executions run until the test ends them (`release`, StopExecution). */
export const HELD: FlowScript = {
  name: 'held',
  hold: true,
  steps: [{ type: 'task', name: 'work' }]
}

/** An unthrottled emulator serving HELD. */
export function startHeld(): Promise<Emulator> {
  return startEmulator({ rateLimit: null, flows: [HELD] })
}
