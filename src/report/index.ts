/** The failure report: history model, renderers and the PR comment, for main.ts to wire up. */
export { buildAnnotations, type Annotation, type AnnotationContext } from './annotations.js'
export {
  parseErrorDetail,
  readCause,
  type ErrorDetail,
  fetchHistory,
  type FetchHistoryOptions,
  type HistoryClient,
  type HistoryResult,
  createHistoryModel,
  PATH_SEPARATOR,
  type ExecutionReport,
  type FailureCause,
  type HistoryModel,
  type HistoryStats,
  type InterruptionCause,
  type RootCause,
  type StepKind,
  type StepNode,
  type StepStatus,
  type TaskAttempt
} from '../history/index.js'
export {
  commentMarker,
  prCommentTarget,
  renderPrComment,
  upsertPrComment,
  type PrCommentContext,
  type PrTarget,
  type UpsertPrCommentParams,
  type UpsertPrCommentResult
} from './pr-comment.js'
export type { ReportContext } from './sections.js'
export { DEFAULT_SUMMARY_BUDGET, renderSummary, type SummaryInput } from './summary.js'
export { renderMultiSummary, type MultiSummaryInput } from './multi-summary.js'
