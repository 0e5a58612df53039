import type { ExecutionStatus } from '../src/fnf/types.js'
import type { FlowScript } from './flow-script.js'
import type { ItemCounts, MapRunStatus } from './map-run.js'
import type { ReleaseEnd } from './store.js'

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
}

export type FaultKind = 'throttle' | 'server-error' | 'reset' | 'hang' | 'html' | 'answer'

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
  /** True while this request is a long poll being held until its execution ends. */
  holding?: boolean
}

export interface ExecutionSnapshot {
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
  addFlow(flow: FlowScript): void
  addCredential(c: EmulatorCredential): void
  /** As if started elsewhere; starts now. Throws on an unknown flow or a taken name. */
  createExecution(flowName: string, name: string, input?: unknown): void
  execution(flowName: string, name: string): ExecutionSnapshot | undefined
  /**
   * Ends an execution of a flow with `hold: true` now: the events that have happened stay, then the
   * terminal event of `end.status` (default: the script's own ending, with its output). Throws if
   * the execution is unknown, not held, or already ended. Long polls of it answer at once.
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
