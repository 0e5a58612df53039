/**
 * The `qualifier` input: a published version of the flow or one of its aliases, for StartExecution
 * (or StartSyncExecution) to run instead of the flow's latest definition.
 */
import { InputError } from './errors.js'
import { isValidName, NAME_RULE } from './names.js'

export interface Qualifier {
  /** As given, e.g. `2` or `canary`. */
  readonly text: string
  /** A number is a version; anything else is an alias (alias names follow the name rule, so none reads as a number). */
  readonly kind: 'version' | 'alias'
}

/** Versions are numbered 1, 2, … per flow, as PublishFlowVersion returns them. */
const VERSION = /^[1-9][0-9]{0,9}$/

/**
 * The qualifier, or undefined for the latest definition. Only a start can use one: an existing
 * execution runs the version it was started with, whatever is asked now.
 */
export function parseQualifier(raw: string, start: boolean): Qualifier | undefined {
  const text = raw.trim()
  if (text === '') return undefined
  if (!start) {
    throw new InputError(
      `Input "qualifier" is "${text}", but it is only used when "start" is true: it picks the ` +
        'version StartExecution runs, and an execution that already exists runs the version it ' +
        'was started with. Remove "qualifier" to wait for it, or set "start: true" to start one.'
    )
  }
  if (VERSION.test(text)) return { text, kind: 'version' }
  if (isValidName(text)) return { text, kind: 'alias' }
  throw new InputError(
    `Input "qualifier" is "${text}", which is neither a version number (1, 2, … as ` +
      `PublishFlowVersion numbers them) nor an alias name (${NAME_RULE}): give one of those, or ` +
      "leave it empty to run the flow's latest definition."
  )
}
