/** The event types the API pages document (21). Any other type is kept and shown, never dropped. */
export const DOCUMENTED_EVENT_TYPES: ReadonlySet<string> = new Set([
  'ExecutionStarted',
  'ExecutionSucceeded',
  'ExecutionFailed',
  'ExecutionTimedOut',
  'ExecutionStopped',
  'StepEntered',
  'StepStarted',
  'StepSucceeded',
  'StepFailed',
  'StepExited',
  'BranchEntered',
  'BranchExited',
  'IterationEntered',
  'IterationExited',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSubmitFailed',
  'TaskSucceeded',
  'TaskFailed',
  'TaskTimedOut'
])

export function isExecutionEvent(type: string): boolean {
  return type.startsWith('Execution') && DOCUMENTED_EVENT_TYPES.has(type)
}
