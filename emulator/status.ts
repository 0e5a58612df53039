/**
 * The execution statuses the service documents (DescribeExecutionResponseBody, ListExecutions'
 * `Status` filter). The emulator keeps its own list: it models the service, not the action.
 */
export const EXECUTION_STATUSES = [
  'Starting',
  'Running',
  'Succeeded',
  'Failed',
  'TimedOut',
  'Stopped'
] as const

export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number]

export function isExecutionStatus(value: string): value is ExecutionStatus {
  return (EXECUTION_STATUSES as readonly string[]).includes(value)
}

/** Starting and Running are the only statuses an execution leaves. */
export function isTerminal(status: ExecutionStatus): boolean {
  return status !== 'Starting' && status !== 'Running'
}
