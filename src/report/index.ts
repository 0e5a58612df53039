/** The failure report's renderers, the PR comment's text included, for the step to wire up. */
export {
  buildAnnotations,
  buildCaughtAnnotations,
  buildMultiAnnotations,
  type Annotation,
  type AnnotationOptions
} from './annotations.js'
export {
  commentMarker,
  markedComment,
  renderPrComment,
  type PrCommentOptions
} from './pr-comment.js'
export { DEFAULT_SUMMARY_BUDGET, renderSummary, type SummaryOptions } from './summary.js'
export { renderMultiSummary, type MultiSummaryOptions } from './multi-summary.js'
export {
  DIFFERENT_DEFINITION,
  executionView,
  type CaughtPlace,
  type DefinitionLocations,
  type DefinitionPlace,
  type ExecutionFacts,
  type ExecutionTimes,
  type ExecutionView,
  type MultiView,
  type ReportView
} from './view.js'
