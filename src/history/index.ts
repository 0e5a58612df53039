/**
 * Understanding an execution history: fetching its pages, the streaming fold into a step tree,
 * the root causes and what to blame, and reading event details. The report renders what this
 * folder produces.
 */
export { blameFields, blameOf, type Blame, type BlameFacts, type BlamedStep } from './blame.js'
export {
  copyError,
  DEFAULT_DETAIL_LIMITS,
  parseErrorDetail,
  parseJsonObject,
  readCause,
  readIndex,
  type DetailLimits,
  type ErrorDetail,
  type ErrorFields
} from './detail.js'
export { DOCUMENTED_EVENT_TYPES } from './events.js'
export {
  createHistoryReader,
  fetchHistory,
  type HistoryReader,
  type PageRead,
  type FetchHistoryOptions,
  type HistoryCallOptions,
  type HistoryClient,
  type HistoryRequest,
  type HistoryResult
} from './fetch.js'
export { createHistoryModel } from './fold.js'
export { withMapRuns } from './map-graft.js'
export {
  mapRunNameOf,
  mapStepsOf,
  MAP_RUN_EVENT_TYPES,
  type MapRunChild,
  type MapRunDrill
} from './map-run.js'
export { parseTime } from './time.js'
export {
  PATH_SEPARATOR,
  type AttemptStatus,
  type ExecutionReport,
  type FailureCause,
  type FailureEventRef,
  type HistoryModel,
  type HistoryStats,
  type InterruptionCause,
  type ModelOptions,
  type RootCause,
  type StepKind,
  type StepNode,
  type StepStatus,
  type TaskAttempt,
  type UnknownEventRef
} from './types.js'
