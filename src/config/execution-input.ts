/**
 * The `input` input: one JSON object (checked for depth, and refused without `start`), or, with
 * several executions, an object keyed by execution name that gives each its own.
 */
import { InputError } from './errors.js'
import { jsonDepth } from './json-depth.js'

/** Deeper JSON cannot be written back out (JSON.stringify recurses) nor sensibly be a flow input. */
export const MAX_INPUT_DEPTH = 512

/** The execution input as JSON text: `{}` when empty; refused when it is not one object. */
export function parseExecutionInput(raw: string, start: boolean): string {
  const text = raw.trim() === '' ? '{}' : raw
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InputError(
      `Input "input" is not valid JSON (${(error as Error).message}): give a JSON object such as ` +
        '{"key": "value"}.'
    )
  }
  if (jsonDepth(value, MAX_INPUT_DEPTH) > MAX_INPUT_DEPTH) {
    throw new InputError(
      `Input "input" nests deeper than ${MAX_INPUT_DEPTH} levels of objects and arrays: ` +
        'flatten it, or pass large or deep data by reference (a URL or object key) instead.'
    )
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(
      `Input "input" is ${JSON.stringify(value)}, but the execution input must be a JSON object ` +
        'such as {"key": "value"}.'
    )
  }
  if (!start && Object.keys(value).length > 0) {
    throw new InputError(
      'Input "input" is only used when "start" is true: set "start: true" to start the execution with it, ' +
        'or remove "input".'
    )
  }
  return JSON.stringify(value)
}

/**
 * With several executions, `input` may be an object keyed by execution name (every key one of
 * the names, every value an object); otherwise the one object is every execution's input.
 */
export function inputFor(name: string, names: readonly string[], input: string): string {
  if (names.length < 2) return input
  const value = JSON.parse(input) as Record<string, unknown>
  const keys = Object.keys(value)
  const keyed =
    keys.length > 0 &&
    keys.every((key) => names.includes(key)) &&
    Object.values(value).every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))
  if (!keyed) return input
  if (!(name in value)) {
    throw new InputError(
      `Input "input" is keyed by execution name but has no entry for "${name}": give every ` +
        'execution listed in "execution-name" its input, or one object for all of them.'
    )
  }
  return JSON.stringify(value[name])
}
