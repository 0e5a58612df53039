import type { ExecutionStatus } from './status.js'
import type { FlowScript } from './flow-script.js'
import type { ItemCounts, MapRunStatus } from './map-run.js'
import type { ReleaseEnd } from './store.js'

/** One route of an alias: a version number and its weight (an integer in 0-100). */
export interface AliasRouteSpec {
  version: string | number
  weight: number
}

export interface EmulatorCredential {
  accessKeyId: string
  accessKeySecret: string
  /** When set, requests must carry this `SecurityToken` (an STS credential). */
  securityToken?: string
  /** Epoch ms, real time. After it: 403 InvalidSecurityToken.Expired. */
  expiresAt?: number
  /**
   * Actions its RAM policy does not allow: 403 `Forbidden.RAM` (after the token check). The
   * code is an emulator choice; the hints in src/fnf/errors.ts accept `AccessDenied*` as well.
   */
  deniedActions?: string[]
}

export interface RateLimit {
  burst: number
  refillPerSecond: number
}

/**
 * Buckets by Action name, `*` for every Action not named; each replaces the documented bucket
 * (DEFAULT_RATE_LIMITS) of what it names, null leaves it unthrottled.
 */
export type RateLimits = Readonly<Record<string, RateLimit | null>>

export interface EmulatorOptions {
  /** Default 0 (a free port). The host is always 127.0.0.1. */
  port?: number
  /** Default: [DEMO_CREDENTIAL]. */
  credentials?: EmulatorCredential[]
  /**
   * Token bucket per (Action, AccessKeyId). Default: the documented buckets (DEFAULT_RATE_LIMITS:
   * StartExecution 100 / 100 per s, DescribeExecution and GetExecutionHistory 50 / 5 per s, every
   * other API 10 / 2 per s); given buckets replace those of the Actions they name; null = off.
   */
  rateLimit?: RateLimits | null
  /** Emulated time runs `speed` times real time (durations, WaitTimeSeconds, timeouts). Default 1. */
  speed?: number
  /** Server clock = real clock + skew (Date header, Timestamp check, emulated clock origin). */
  clockSkewMs?: number
  flows?: FlowScript[]
  /**
   * Draws the version of each execution started through an alias with two weighted versions: a
   * number in [0, 1), and a version owns a share of [0, 1) proportional to its weight, in the
   * alias's order (weights 90 and 10: draws below 0.9 pick the first). Default `Math.random`;
   * tests give a fixed or scripted function so that routing is never left to chance.
   */
  random?: () => number
}

export type FaultKind =
  | 'throttle'
  | 'server-error'
  /** 409 ConcurrentUpdateError "Update conflict, please retry." (StopExecution's, in the API metadata). */
  | 'conflict'
  | 'reset'
  | 'hang'
  | 'html'
  | 'answer'

export interface Fault {
  kind: FaultKind
  /** Only requests for this Action. Default: any request. */
  action?: string
  /** How many requests it applies to. Default 1. */
  count?: number
  /** `answer` only: what a hostile endpoint or proxy says instead of the API. Default 200. */
  status?: number
  /** `answer` only: the body, sent as is. */
  body?: string | Buffer
  /** `answer` only. Default `application/json`. */
  contentType?: string
}

export interface RecordedRequest {
  /** The Action parameter ('' when absent). */
  action: string
  method: string
  /** Query and form parameters, Signature included. */
  params: Record<string, string>
  /** HTTP status; 0 while unanswered (long poll in progress, 'hang') or when the socket was reset. */
  status: number
  /** Error code of a rejected request. */
  code?: string
  /** Emulated clock (ms) at arrival. */
  receivedAt: number
  /**
   * True while this request is held until its execution ends: a DescribeExecution long poll, or a
   * StartSyncExecution waiting for its express execution.
   */
  holding?: boolean
}

export interface ExecutionSnapshot {
  /** The full name (an express execution's is `{ExecutionName}:{UUID}`). */
  name: string
  /** `Express`: started by StartSyncExecution, or a child of a distributed Map in express mode. */
  mode: 'Standard' | 'Express'
  /** The version it runs; absent: the flow's latest definition. No API response says this. */
  version?: string
  /** The Qualifier it was started with (a version or an alias name). */
  qualifier?: string
  status: ExecutionStatus
  /** Emulated ms. */
  startedAt: number
  stoppedAt?: number
  /** Only when Succeeded. */
  output?: string
}

/** A MapRun as it is now (Emulator.mapRun). */
export interface MapRunSnapshot {
  /** The MapRunName (32 hex digits). */
  name: string
  status: MapRunStatus
  /** Emulated ms of MapRunStarted. */
  startedAt: number
  stoppedAt?: number
  itemCounts: ItemCounts
  /** The children that have started, in item order (their names are `<MapRunName>-<index>`). */
  children: { index: number; name: string; status: ExecutionStatus }[]
}

/** Which children of a MapRun to release (Emulator.releaseItems). */
export interface ReleaseItems {
  /** These items (their children must be held and running). */
  items?: number[]
  /** Or the first `count` held running children, in item order. */
  count?: number
  /** How they end (as in `release`). Default: as their script would. */
  end?: ReleaseEnd
  /** Default: the execution's first MapRun. */
  mapRunName?: string
}

export interface Emulator {
  /** http://127.0.0.1:PORT */
  url: string
  /** Stops the server, ends pending long polls and hanging requests by destroying their sockets. */
  close(): Promise<void>
  readonly requests: RecordedRequest[]
  count(action?: string): number
  /**
   * Adds a flow, or replaces its latest definition (like UpdateFlow): published versions and
   * aliases stay, and running executions keep the definition they started with. Throws if the
   * flow's `executionMode` would change (UpdateFlow cannot change it).
   */
  addFlow(flow: FlowScript): void
  /**
   * PublishFlowVersion: the latest definition (first replaced by `script`, when given, which
   * must have the flow's name) becomes the next version. Returns its number ("1", "2", ...).
   */
  publishFlowVersion(flowName: string, script?: FlowScript, description?: string): string
  /**
   * Creates the alias, or replaces its routes: one or two `{ version, weight }`, checked like
   * CreateFlowAlias's RoutingConfigurations (throws on what the API would refuse).
   */
  setFlowAlias(
    flowName: string,
    alias: string,
    routes: AliasRouteSpec[],
    description?: string
  ): void
  addCredential(c: EmulatorCredential): void
  /**
   * As if started elsewhere by StartExecution; starts now. The name may be any the service could
   * generate (a UUID starting with a digit, say). Throws on an unknown flow, a taken name, a name no
   * execution could have, an unknown qualifier, or an express flow (those start only with
   * StartSyncExecution).
   */
  createExecution(
    flowName: string,
    name: string,
    input?: unknown,
    opts?: { qualifier?: string }
  ): void
  /**
   * One execution, standard or express, a MapRun's child included. `name` may be an express
   * execution's full name, or the ExecutionName given to StartSyncExecution when exactly one
   * express execution has it (throws when several do: use `executions`).
   */
  execution(flowName: string, name: string): ExecutionSnapshot | undefined
  /**
   * Every execution of the flow, standard and express, MapRun children included, by start time:
   * how a test learns the generated name of an express execution (e.g. after `waitForRequest` saw
   * its StartSyncExecution `holding`) and which version each one ran.
   */
  executions(flowName: string): ExecutionSnapshot[]
  /**
   * Ends an execution of a flow with `hold: true` now: the events that have happened stay, then the
   * terminal event of `end.status` (default: the script's own ending, with its output). Throws if
   * the execution is unknown, not held, or already ended. Long polls of it answer at once, and so
   * does the StartSyncExecution of an express one (`name` as for `execution`).
   */
  release(flowName: string, name: string, end?: ReleaseEnd): void
  /**
   * For a flow with `hold` and `stepByStep`: the history now shows the scripted events up to the
   * next `StepStarted` of `step` (once their emulated time has passed). Throws if there is none.
   */
  advance(flowName: string, name: string, step: string): void
  /**
   * Resolves with the `nth` distinct recorded request (earlier ones count) that matched `predicate`
   * at some point: when its parameters were parsed, when it started or stopped being held as a long
   * poll (`holding`), or when it was answered (`status`). Requests are events a test can wait for.
   */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, nth?: number): Promise<RecordedRequest>
  /**
   * A MapRun of an execution (default: its first), once its MapRunStarted has happened; undefined
   * before that or for an unknown one.
   */
  mapRun(flowName: string, executionName: string, mapRunName?: string): MapRunSnapshot | undefined
  /**
   * Ends held children of a MapRun now (a child script with `hold: true`), then the MapRun goes on
   * (the next items start in the freed slots). Returns the names released. Throws if one of the
   * items' children has not started or is not held and running, or fewer than `count` are.
   */
  releaseItems(flowName: string, executionName: string, which: ReleaseItems): string[]
  /**
   * For a distributed Map with `holdItems`: lets `count` more items start now, as slots free up.
   * Throws if the MapRun does not hold its items.
   */
  admitItems(flowName: string, executionName: string, count: number, mapRunName?: string): void
  /** Applies to the next matching requests, before any validation (so unsigned probes hit it). */
  injectFault(f: Fault): void
  /** The emulated clock, epoch ms. */
  now(): number
}
