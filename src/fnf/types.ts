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
