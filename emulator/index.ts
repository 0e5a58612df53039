import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ACTIONS } from './actions/index.js'
import { checkInput } from './actions/start-execution.js'
import { checkLookupName, checkName } from './actions/validate.js'
import { Authenticator } from './auth.js'
import { Clock } from './clock.js'
import { FaultQueue } from './faults.js'
import { RateLimiter } from './rate-limit.js'
import { createRequestHandler, MAX_REQUEST_BYTES } from './server.js'
import { isTerminal } from './status.js'
import { Store } from './store.js'
import { RequestWatch } from './watch.js'
import type { Emulator, EmulatorCredential, EmulatorOptions, RecordedRequest } from './types.js'

export type * from './flow-script.js'
export type * from './types.js'
export { DEFAULT_RATE_LIMITS } from './rate-limit.js'
export type { ReleaseEnd } from './store.js'

/** The credential the emulator accepts when none are given (also printed by main.ts). */
export const DEMO_CREDENTIAL: EmulatorCredential = Object.freeze({
  accessKeyId: 'LTAI5tEmulatorDemoKey',
  accessKeySecret: 'emulator-demo-secret-do-not-use-in-production'
})

/** Starts an FnF 2019-03-15 emulator on 127.0.0.1. */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const clock = new Clock(opts.speed ?? 1, opts.clockSkewMs ?? 0)
  const store = new Store(clock)
  const auth = new Authenticator(clock, new Set(ACTIONS.keys()))
  for (const c of opts.credentials ?? [DEMO_CREDENTIAL]) auth.addCredential(c)
  for (const flow of opts.flows ?? [])
    store.addFlow({ ...flow, name: checkName('FlowName', flow.name) })
  const limiter = new RateLimiter(opts.rateLimit)
  const faults = new FaultQueue()
  const requests: RecordedRequest[] = []
  const inflight = new Set<AbortController>()
  const watch = new RequestWatch(requests)

  const server = createServer(
    // Room for a request line over MAX_REQUEST_BYTES, so that it gets EntityTooLarge as the
    // service answers it, not Node's own 431.
    { maxHeaderSize: 2 * MAX_REQUEST_BYTES },
    createRequestHandler({ clock, store, auth, limiter, faults, requests, inflight, watch })
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  let closed: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Sockets first, so that ended long polls and hanging requests get no answer at all.
        server.closeAllConnections()
        for (const c of inflight) c.abort()
        store.close()
      })
      return closed
    },
    count(action) {
      return action === undefined
        ? requests.length
        : requests.filter((r) => r.action === action).length
    },
    addFlow(flow) {
      store.addFlow({ ...flow, name: checkName('FlowName', flow.name) })
    },
    addCredential(c) {
      auth.addCredential(c)
    },
    createExecution(flowName, name, input) {
      const flow = store.flow(flowName)
      if (!flow) throw new Error(`no flow ${flowName}`)
      checkLookupName('ExecutionName', name)
      if (store.execution(flowName, name)) throw new Error(`execution ${flowName}/${name} exists`)
      const text = typeof input === 'string' ? input : JSON.stringify(input ?? {})
      store.start(flow, name, checkInput(text))
    },
    execution(flowName, name) {
      const rec = store.execution(flowName, name)
      if (!rec) return undefined
      const status = store.status(rec)
      return {
        status,
        startedAt: rec.startedAt,
        ...(isTerminal(status) ? { stoppedAt: rec.timeline.endAt } : {}),
        ...(status === 'Succeeded' ? { output: rec.timeline.output } : {})
      }
    },
    release(flowName, name, end) {
      const rec = store.execution(flowName, name)
      if (!rec) throw new Error(`no execution ${flowName}/${name}`)
      store.release(rec, end)
    },
    advance(flowName, name, step) {
      const rec = store.execution(flowName, name)
      if (!rec) throw new Error(`no execution ${flowName}/${name}`)
      store.advance(rec, step)
    },
    waitForRequest(predicate, nth) {
      return watch.waitFor(predicate, nth)
    },
    injectFault(f) {
      faults.add(f)
    },
    now() {
      return clock.now()
    }
  }
}
