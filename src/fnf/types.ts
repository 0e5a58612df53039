/** Shapes of the FnF 2019-03-15 API as the service returns them (field names from the API pages). */

export const EXECUTION_STATUSES = [
  'Starting',
  'Running',
  'Succeeded',
  'Failed',
  'TimedOut',
  'Stopped'
] as const
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number]

export const TERMINAL_STATUSES: readonly ExecutionStatus[] = [
  'Succeeded',
  'Failed',
  'TimedOut',
  'Stopped'
]

export function isTerminal(status: string): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status)
}

/** DescribeExecution / StartExecution / StopExecution response. */
export interface Execution {
  Name: string
  FlowName: string
  Status: ExecutionStatus
  StartedTime?: string
  StoppedTime?: string
  /** JSON object as a string; may be empty. */
  Input?: string
  /** JSON object as a string; empty while running and often on failure. */
  Output?: string
  FlowDefinition?: string
  RequestId?: string
  /** StartSyncExecution only: the error of an express execution that did not succeed. */
  ErrorCode?: string
  /** StartSyncExecution only: its cause. */
  ErrorMessage?: string
}

/**
 * "Maximum execution duration: 5 minutes" for an express flow (the standard and express workflow
 * page): StartSyncExecution answers within this.
 */
export const EXPRESS_MAX_DURATION_MS = 5 * 60_000

/** One route of an alias: a version and its weight (0–100; weights need not add up to 100). */
export interface AliasRoute {
  Version: string
  Weight: number
}

/** DescribeFlowAlias's Alias, checked (client.ts). */
export interface FlowAlias {
  Name: string
  /** One or two versions, chosen by weight once per execution. */
  RoutingConfigurations: AliasRoute[]
}

/** One GetExecutionHistory event. */
export interface HistoryEvent {
  Type: string
  EventId: number
  Time: string
  ScheduleEventId: number
  /** Empty for execution-level events. */
  StepName: string
  /** A JSON string (usually); parse defensively. */
  EventDetail: string
}

export interface HistoryPage {
  Events: HistoryEvent[]
  /** Absent or empty on the last page. */
  NextToken?: string
  RequestId?: string
}

/** ListExecutions response. */
export interface ExecutionPage {
  Executions: Execution[]
  /** Absent or empty on the last page. */
  NextToken?: string
  RequestId?: string
}

export interface Flow {
  Name: string
  Id?: string
  Definition?: string
  Description?: string
  Type?: string
  ExecutionMode?: string
  RoleArn?: string
  CreatedTime?: string
  LastModifiedTime?: string
  RequestId?: string
}

/** DescribeMapRun's ItemCounts; a count the answer lacks (or gives as no number) is absent. */
export interface MapRunItemCounts {
  Total?: number
  Pending?: number
  Running?: number
  Succeed?: number
  Failed?: number
  Aborted?: number
}

/** DescribeMapRun response (fields from the DescribeMapRun model; times in `+08:00` form). */
export interface MapRun {
  /**
   * Documented as Pending, Running, Succeeded, Failed or Aborted (not the execution statuses); any
   * other text is kept, made safe.
   */
  Status: string
  MapRunName?: string
  ExecutionName?: string
  StartedTime?: string
  StoppedTime?: string
  Concurrency?: number
  /** 0 when unset. */
  ToleratedFailedCount?: number
  /** 0–100; 0 when unset. */
  ToleratedFailedPercentage?: number
  ItemCounts?: MapRunItemCounts
  RequestId?: string
}

export interface Credentials {
  accessKeyId: string
  accessKeySecret: string
  securityToken?: string
}

/**
 * Called before every attempt, so credentials that are renewed while a long wait runs
 * (STS via OIDC) are always the current ones.
 */
export type CredentialsProvider = () => Credentials | Promise<Credentials>
