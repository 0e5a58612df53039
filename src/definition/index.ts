/**
 * Where a failed step is written: the workspace file holding the flow definition an execution ran
 * (find), the step's lines in it (locate), and the link to them on GitHub (blob-url).
 * step/locate-failures.ts uses `findDefinition` once per execution, `locationOf` per failed step,
 * `blobUrl` per place.
 */
export { blobUrl, commitOf, type BlobUrl, type BlobUrlInput } from './blob-url.js'
export {
  DEFINITION_ENDINGS,
  FIND_LIMITS,
  findDefinition,
  type FindLimits,
  type FindOutcome,
  type FindRequest,
  type FoundDefinition
} from './find.js'
export { locateStep, type LocateOutcome, type PathSegment, type StepLines } from './locate.js'
export { locationOf, type DefinitionLocation, type LocationOutcome } from './location.js'
export {
  DEFINITION_LIMITS,
  parseDefinition,
  type DefinitionLimits,
  type ParsedDefinition,
  type ParseOutcome
} from './parse.js'
export { compareDefinition, executedData, type Comparison, type PlainData } from './same.js'
