import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ACTIONS } from './actions/index.js'
import { checkInput } from './actions/start-execution.js'
import { checkName } from './actions/validate.js'
import { Authenticator } from './auth.js'
import { Clock } from './clock.js'
import { FaultQueue } from './faults.js'
import { RateLimiter } from './rate-limit.js'
import { createRequestHandler } from './server.js'
import { Store, type ExecutionRecord } from './store.js'
import type { MapRun } from './map-run.js'
import { RequestWatch } from './watch.js'
import type { Emulator, EmulatorCredential, EmulatorOptions, RecordedRequest } from './types.js'

export type * from './flow-script.js'
export type * from './types.js'
export { DEFAULT_RATE_LIMITS } from './rate-limit.js'
export type { ReleaseEnd } from './store.js'
export type { ItemCounts, MapRunStatus } from './map-run.js'

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

  /** The MapRun a test names: the execution's first one, or the one called `mapRunName`. */
  const findMapRun = (flowName: string, name: string, mapRunName?: string): MapRun => {
    const rec = store.execution(flowName, name)
    if (!rec) throw new Error(`no execution ${flowName}/${name}`)
    const now = clock.now()
    const mapRun = (rec.mapRuns ?? []).find(
      (m) => m.startedAt <= now && (mapRunName === undefined || m.name === mapRunName)
    )
    if (!mapRun) throw new Error(`no MapRun ${mapRunName ?? ''} of ${flowName}/${name} yet`)
    return mapRun
  }

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
      checkName('ExecutionName', name)
      if (store.execution(flowName, name)) throw new Error(`execution ${flowName}/${name} exists`)
      const text = typeof input === 'string' ? input : JSON.stringify(input ?? {})
      store.start(flow, name, checkInput(text))
    },
    execution(flowName, name) {
      const rec = store.execution(flowName, name)
      if (!rec) return undefined
      const status = store.status(rec)
      const ended = status !== 'Starting' && status !== 'Running'
      return {
        status,
        startedAt: rec.startedAt,
        ...(ended ? { stoppedAt: rec.timeline.endAt } : {}),
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
    mapRun(flowName, name, mapRunName) {
      let mapRun: MapRun
      try {
        mapRun = findMapRun(flowName, name, mapRunName)
      } catch {
        return undefined
      }
      const now = clock.now()
      const stoppedAt = mapRun.stoppedAt(now)
      return {
        name: mapRun.name,
        status: mapRun.status(now),
        startedAt: mapRun.startedAt,
        ...(stoppedAt === undefined ? {} : { stoppedAt }),
        itemCounts: mapRun.counts(now),
        children: mapRun.children(now).map((c, index) => ({
          index,
          name: c.name,
          status: store.status(c, now)
        }))
      }
    },
    releaseItems(flowName, name, which) {
      const mapRun = findMapRun(flowName, name, which.mapRunName)
      const started = mapRun.children()
      let chosen: ExecutionRecord[]
      if (which.items) {
        chosen = which.items.map((i) => {
          const child = started[i]
          if (!child) throw new Error(`item ${i} of MapRun ${mapRun.name} has not started`)
          return child
        })
      } else {
        const count = which.count ?? 0
        chosen = started.filter((c) => c.held && !store.isTerminal(c)).slice(0, count)
        if (chosen.length < count) {
          throw new Error(`MapRun ${mapRun.name} has ${chosen.length} held running children`)
        }
      }
      store.releaseItems(mapRun, chosen, which.end)
      return chosen.map((c) => c.name)
    },
    admitItems(flowName, name, count, mapRunName) {
      findMapRun(flowName, name, mapRunName).admit(count)
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
