import type { Clock } from '../clock.js'
import type { Params } from '../params.js'
import type { Store } from '../store.js'

/** What an action handler gets. It returns the JSON body of a 200 response or throws an ApiError. */
export interface ActionContext {
  params: Params
  store: Store
  clock: Clock
  requestId: string
  /** Aborted when the client goes away or the emulator closes (ends long polls). */
  signal: AbortSignal
  /** A long poll tells when it starts and stops holding the request (RecordedRequest.holding). */
  holding?: (on: boolean) => void
}

export type ActionHandler = (ctx: ActionContext) => string | Promise<string>

/** A success body: the fields plus RequestId. */
export function body(fields: object, requestId: string): string {
  return JSON.stringify({ ...fields, RequestId: requestId })
}
