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
import { isExpress } from './express.js'
import { isTerminal } from './status.js'
import { Store, type ExecutionRecord } from './store.js'
import type { MapRun } from './map-run.js'
import { RequestWatch } from './watch.js'
import type {
  Emulator,
  EmulatorCredential,
  EmulatorOptions,
  ExecutionSnapshot,
  RecordedRequest
} from './types.js'
import {
  checkQualifier,
  createAlias,
  parseRouting,
  resolveQualifier,
  updateAlias
} from './versions.js'

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
  const store = new Store(clock, opts.random)
  const auth = new Authenticator(clock, new Set(ACTIONS.keys()))
  for (const c of opts.credentials ?? [DEMO_CREDENTIAL]) auth.addCredential(c)
  for (const flow of opts.flows ?? [])
    store.addFlow({ ...flow, name: checkName('FlowName', flow.name) })
  const limiter = new RateLimiter(opts.rateLimit)
  const faults = new FaultQueue()
  const requests: RecordedRequest[] = []
  const inflight = new Set<AbortController>()
  const watch = new RequestWatch(requests)

  const flowOf = (flowName: string) => {
    const flow = store.flow(flowName)
    if (!flow) throw new Error(`no flow ${flowName}`)
    return flow
  }
  /** An execution by full name, or an express one by the ExecutionName it was started with. */
  const find = (flowName: string, name: string): ExecutionRecord | undefined => {
    const rec = store.execution(flowName, name) ?? store.expressExecution(flowName, name)
    if (rec) return rec
    const named = store.expressList(flowName).filter((r) => r.name.startsWith(`${name}:`))
    if (named.length > 1) {
      const names = named.map((r) => r.name).join(', ')
      throw new Error(`${flowName}/${name} is ambiguous (${names}): use emulator.executions`)
    }
    return named[0]
  }
  const found = (flowName: string, name: string): ExecutionRecord => {
    const rec = find(flowName, name)
    if (!rec) throw new Error(`no execution ${flowName}/${name}`)
    return rec
  }
  const snapshot = (rec: ExecutionRecord): ExecutionSnapshot => {
    const status = store.status(rec)
    return {
      name: rec.name,
      mode: rec.express === true ? 'Express' : 'Standard',
      ...(rec.version !== undefined ? { version: rec.version } : {}),
      ...(rec.qualifier !== undefined ? { qualifier: rec.qualifier } : {}),
      status,
      startedAt: rec.startedAt,
      ...(isTerminal(status) ? { stoppedAt: rec.timeline.endAt } : {}),
      ...(status === 'Succeeded' ? { output: rec.timeline.output } : {})
    }
  }

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
    publishFlowVersion(flowName, script, description = '') {
      if (script && script.name !== flowName) {
        throw new Error(`the script is flow ${script.name}, not ${flowName}`)
      }
      const flow = script ? store.addFlow(script) : flowOf(flowName)
      return store.publish(flow, description).version
    },
    setFlowAlias(flowName, alias, routes, description) {
      const { published } = flowOf(flowName)
      checkName('Name', alias)
      const json = routes.map((r) => ({ Version: String(r.version), Weight: r.weight }))
      const parsed = parseRouting(JSON.stringify(json), published, flowName)
      if (published.aliases.has(alias)) {
        updateAlias(published, flowName, alias, { routes: parsed, description })
      } else {
        const createdAt = Math.floor(clock.now())
        createAlias(published, flowName, {
          name: alias,
          description: description ?? '',
          routes: parsed,
          createdAt
        })
      }
    },
    addCredential(c) {
      auth.addCredential(c)
    },
    createExecution(flowName, name, input, { qualifier } = {}) {
      const flow = flowOf(flowName)
      if (isExpress(flow.script)) throw new Error(`${flowName} is express: use StartSyncExecution`)
      checkLookupName('ExecutionName', name)
      if (store.execution(flowName, name)) throw new Error(`execution ${flowName}/${name} exists`)
      if (qualifier !== undefined) checkQualifier(qualifier)
      const text = typeof input === 'string' ? input : JSON.stringify(input ?? {})
      const revision = resolveQualifier(flow, flow.published, flowName, qualifier, store.random)
      store.start(flow, name, checkInput(text), { revision, qualifier })
    },
    execution(flowName, name) {
      const rec = find(flowName, name)
      return rec && snapshot(rec)
    },
    executions(flowName) {
      const all = [...store.list(flowName), ...store.expressList(flowName)]
      return all.sort((a, b) => a.startedAt - b.startedAt).map(snapshot)
    },
    release(flowName, name, end) {
      store.release(found(flowName, name), end)
    },
    advance(flowName, name, step) {
      store.advance(found(flowName, name), step)
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
