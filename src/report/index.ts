/** The failure report's renderers, the PR comment's text included, for the step to wire up. */
export { buildAnnotations, type Annotation, type AnnotationContext } from './annotations.js'
export {
  commentMarker,
  markedComment,
  renderPrComment,
  type PrCommentContext
} from './pr-comment.js'
export type { ReportContext } from './sections.js'
export { DEFAULT_SUMMARY_BUDGET, renderSummary, type SummaryInput } from './summary.js'
export { renderMultiSummary, type MultiSummaryInput } from './multi-summary.js'
