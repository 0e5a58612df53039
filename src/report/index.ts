/** The failure report's renderers and the PR comment, for the step to wire up. */
export { buildAnnotations, type Annotation, type AnnotationContext } from './annotations.js'
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
