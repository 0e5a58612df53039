/**
 * The FnF (Serverless Workflow, API 2019-03-15) calls the step makes, typed: each names its
 * action and parameters, sends them through the RPC transport, and checks its answer (answers.ts,
 * map-run-answer.ts). Knows nothing about GitHub Actions; progress goes to the `log` callback.
 */
import type { JsonObject } from '../http/response.js'
import { aliasRoute, invalidShape, requireString, safeExecution } from './answers.js'
import type { RpcCall } from './rpc-request.js'
import {
  RpcTransport,
  type CallOptions,
  type TransportOptions,
  type TransportStats
} from './transport.js'
import {
  EXPRESS_MAX_DURATION_MS,
  type Execution,
  type ExecutionPage,
  type ExecutionStatus,
  type Flow,
  type FlowAlias,
  type HistoryPage,
  type MapRun
} from './types.js'
import { mapRunOf } from './map-run-answer.js'

export type { CallOptions } from './transport.js'
export type FnfClientOptions = TransportOptions
export type ClientStats = TransportStats

/**
 * Events per GetExecutionHistory page that the step asks for. No byte cap per page is documented
 * and a CloudFlow event may hold 64 KiB, so 999 events could make one answer ~62 MiB; 100 keeps a
 * page to ~6 MiB of event text at worst, at the cost of 50 pages for the largest (5,000-event)
 * history, well inside the API's 5 requests/s.
 */
export const HISTORY_PAGE_LIMIT = 100

/**
 * Largest body read per API; past it the request is aborted with ResponseTooLarge. Sized from
 * what the service can really send, JSON escaping included: an execution carries Input and Output
 * of up to 1 MiB each (the service's per-request limit); a history page holds up to `Limit` events
 * of up to 64 KiB each (escaped, up to 4× in the worst case) plus the envelope.
 */
export function responseCapBytes(action: string, limit?: number): number {
  const MiB = 1024 * 1024
  if (action === 'GetExecutionHistory') {
    const events = Math.min(999, Math.max(1, limit ?? 60))
    return events * 256 * 1024 + MiB
  }
  return 16 * MiB
}

export interface DescribeExecutionParams {
  flowName: string
  executionName: string
  /** 0–60: the server holds the request until the execution ends or this many seconds pass. */
  waitTimeSeconds?: number
  /**
   * Epoch ms: instead of waitTimeSeconds, hold for min(60 s, time left until this) as of when
   * each attempt is actually sent.
   */
  holdUntil?: number
}

export interface GetExecutionHistoryParams {
  flowName: string
  executionName: string
  nextToken?: string
  /** 1–999. */
  limit?: number
}

export interface ListExecutionsParams {
  flowName: string
  nextToken?: string
  /** 1–100. */
  limit?: number
  status?: ExecutionStatus
  executionNamePrefix?: string
  /** RFC 3339 UTC: only executions started at or after (before) this. */
  startedTimeBegin?: string
  startedTimeEnd?: string
  /** Leave out Input, Output and the definition. */
  metadataOnly?: boolean
  /** List this MapRun's child executions (a distributed Map's items) instead. */
  mapRunName?: string
}

export interface DescribeMapRunParams {
  flowName: string
  /** The parent execution, whose history's MapRunStarted event named the MapRun. */
  executionName: string
  mapRunName: string
}

export interface StartExecutionParams {
  flowName: string
  /** Omitted: the service generates one. */
  executionName?: string
  /** JSON object as a string. */
  input?: string
  /** A version number or an alias name; omitted: the flow's latest definition. */
  qualifier?: string
}

export interface StopExecutionParams {
  flowName: string
  executionName: string
  /** 1–128 characters. */
  error?: string
  /** 1–4096 characters. */
  cause?: string
}

export class FnfClient {
  private readonly transport: RpcTransport

  constructor(options: FnfClientOptions) {
    this.transport = new RpcTransport(options)
  }

  get stats(): ClientStats {
    return this.transport.stats
  }

  async describeExecution(p: DescribeExecutionParams, o: CallOptions = {}): Promise<Execution> {
    const wait = p.waitTimeSeconds
    if (wait !== undefined && !(Number.isInteger(wait) && wait >= 0 && wait <= 60)) {
      throw new RangeError(`waitTimeSeconds must be an integer from 0 to 60, got ${wait}`)
    }
    const { holdUntil } = p
    const now = this.transport.now
    const body = await this.call(
      'DescribeExecution',
      'GET',
      { FlowName: p.flowName, ExecutionName: p.executionName },
      o,
      {
        // With holdUntil, the hold is worked out when the attempt is sent: a request that
        // queued behind the rate limiter or a retry must still not outlast the caller's deadline.
        waitTimeSeconds:
          holdUntil === undefined
            ? wait
            : () => Math.max(0, Math.min(60, Math.floor((holdUntil - now()) / 1000)))
      }
    )
    requireString('DescribeExecution', body, 'Status')
    return safeExecution(body)
  }

  async getExecutionHistory(
    p: GetExecutionHistoryParams,
    o: CallOptions = {}
  ): Promise<HistoryPage> {
    const action = 'GetExecutionHistory'
    const body = await this.call(
      action,
      'GET',
      {
        FlowName: p.flowName,
        ExecutionName: p.executionName,
        NextToken: p.nextToken,
        Limit: p.limit
      },
      o,
      { capBytes: responseCapBytes(action, p.limit || undefined) }
    )
    const events = body['Events'] ?? []
    if (!Array.isArray(events)) throw invalidShape(action, 'Events is not an array')
    const token = body['NextToken']
    // The token is documented as the last ScheduleEventId, so tolerate it arriving as a number.
    const page: HistoryPage = { ...body, Events: events }
    if (typeof token === 'number') page.NextToken = String(token)
    return page
  }

  async listExecutions(p: ListExecutionsParams, o: CallOptions = {}): Promise<ExecutionPage> {
    const action = 'ListExecutions'
    const body = await this.call(
      action,
      'GET',
      {
        FlowName: p.flowName,
        NextToken: p.nextToken,
        Limit: p.limit,
        Status: p.status,
        ExecutionNamePrefix: p.executionNamePrefix,
        StartedTimeBegin: p.startedTimeBegin,
        StartedTimeEnd: p.startedTimeEnd,
        MetadataOnly: p.metadataOnly === undefined ? undefined : String(p.metadataOnly),
        MapRunName: p.mapRunName
      },
      o
    )
    const executions = body['Executions'] ?? []
    if (!Array.isArray(executions)) throw invalidShape(action, 'Executions is not an array')
    for (const e of executions) {
      if (typeof e !== 'object' || e === null || typeof (e as JsonObject)['Name'] !== 'string') {
        throw invalidShape(action, 'an execution has no Name')
      }
      requireString(action, e as JsonObject, 'Status')
    }
    return { ...body, Executions: executions.map((e) => safeExecution(e as JsonObject)) }
  }

  async startExecution(p: StartExecutionParams, o: CallOptions = {}): Promise<Execution> {
    const body = await this.call('StartExecution', 'POST', startParams(p), o)
    // The caller needs the name when the service generated it.
    requireString('StartExecution', body, 'Name')
    return safeExecution(body)
  }

  /**
   * An express flow's execution, in one request the service holds until it ends (at most
   * EXPRESS_MAX_DURATION_MS): the answer is how it ended. The attempt lasts as long as that may
   * take, never past `o.deadline`. Each attempt that reaches the service starts an execution, so
   * only a refusal that surely started nothing is retried.
   */
  async startSyncExecution(p: StartExecutionParams, o: CallOptions = {}): Promise<Execution> {
    const action = 'StartSyncExecution'
    const body = await this.call(action, 'POST', startParams(p), o, {
      heldUpToMs: EXPRESS_MAX_DURATION_MS,
      idempotent: false
    })
    requireString(action, body, 'Status')
    const execution = safeExecution(body)
    // Made safe where they are read (history/blame.ts bounds them like a history's error and cause).
    for (const field of ['ErrorCode', 'ErrorMessage'] as const) {
      if (typeof execution[field] !== 'string') delete execution[field]
    }
    return execution
  }

  /** An alias's routes: the versions it runs, each with its weight. */
  async describeFlowAlias(
    p: { flowName: string; name: string },
    o: CallOptions = {}
  ): Promise<FlowAlias> {
    const action = 'DescribeFlowAlias'
    const body = await this.call(action, 'GET', { FlowName: p.flowName, Name: p.name }, o)
    const alias = body['Alias']
    const routes = (alias as JsonObject | undefined)?.['RoutingConfigurations']
    if (typeof alias !== 'object' || alias === null || !Array.isArray(routes)) {
      throw invalidShape(action, 'the response has no Alias with RoutingConfigurations')
    }
    return { Name: p.name, RoutingConfigurations: routes.map((r) => aliasRoute(action, r)) }
  }

  async stopExecution(p: StopExecutionParams, o: CallOptions = {}): Promise<Execution> {
    const body = await this.call(
      'StopExecution',
      'POST',
      { FlowName: p.flowName, ExecutionName: p.executionName, Error: p.error, Cause: p.cause },
      o
    )
    return safeExecution(body)
  }

  /** A distributed Map's MapRun: its status and item counts, checked and made safe. */
  async describeMapRun(p: DescribeMapRunParams, o: CallOptions = {}): Promise<MapRun> {
    const action = 'DescribeMapRun'
    const body = await this.call(
      action,
      'GET',
      { FlowName: p.flowName, ExecutionName: p.executionName, MapRunName: p.mapRunName },
      o
    )
    requireString(action, body, 'Status')
    const counts = body['ItemCounts']
    if (counts != null && (typeof counts !== 'object' || Array.isArray(counts))) {
      throw invalidShape(action, 'ItemCounts is not an object')
    }
    return mapRunOf(body)
  }

  async describeFlow(p: { name: string }, o: CallOptions = {}): Promise<Flow> {
    const body = await this.call('DescribeFlow', 'GET', { Name: p.name }, o)
    return body as unknown as Flow
  }

  /** Hints name the flow and execution the parameters name. */
  private call(
    action: string,
    method: RpcCall['method'],
    params: RpcCall['params'],
    options: CallOptions,
    extra: Partial<Pick<RpcCall, 'waitTimeSeconds' | 'capBytes' | 'heldUpToMs' | 'idempotent'>> = {}
  ): Promise<JsonObject> {
    const executionName = params['ExecutionName']
    const qualifier = params['Qualifier']
    return this.transport.call(
      {
        action,
        method,
        params,
        capBytes: responseCapBytes(action),
        context: {
          flowName: String(params['FlowName'] ?? params['Name']),
          executionName: executionName === undefined ? undefined : String(executionName),
          qualifier: qualifier === undefined ? undefined : String(qualifier)
        },
        ...extra
      },
      options
    )
  }
}

/** StartExecution's and StartSyncExecution's parameters: the same request model. */
function startParams(p: StartExecutionParams): RpcCall['params'] {
  return {
    FlowName: p.flowName,
    ExecutionName: p.executionName,
    Input: p.input,
    Qualifier: p.qualifier
  }
}
