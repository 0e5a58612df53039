import { ApiError } from '../errors.js'
import type { Params } from '../params.js'

/**
 * The documented rule for names a caller gives (flows, StartExecution's ExecutionName): letters,
 * digits, `_` and `-`; a letter or `_` first; 1–128 long.
 */
export const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/

/**
 * Names the service may have generated, which lookups must find: a UUID can start with a digit (the
 * zh ListExecutions example, fnf-api.md §10) and an express execution is `{name}:{UUID}`.
 */
const LOOKUP_NAME = /^[A-Za-z0-9_:-]{1,128}$/

export function required(params: Params, name: string): string {
  const value = params[name]
  if (value === undefined) throw new ApiError('MissingRequiredParams', name)
  return value
}

export function checkName(param: string, value: string): string {
  if (!NAME.test(value)) {
    throw new ApiError(
      'InvalidArgument',
      `${param} '${value}' is invalid: use letters, digits, '_' or '-', start with a letter or '_', 1-128 characters.`
    )
  }
  return value
}

export function requiredName(params: Params, name: string): string {
  return checkName(name, required(params, name))
}

/** A name to look up: any name the service could have given an execution. */
export function checkLookupName(param: string, value: string): string {
  if (!LOOKUP_NAME.test(value)) {
    throw new ApiError(
      'InvalidArgument',
      `${param} '${value}' is invalid: use letters, digits, '_', '-' or ':', 1-128 characters.`
    )
  }
  return value
}

/** A required execution name to look up (DescribeExecution, GetExecutionHistory, StopExecution). */
export function requiredExecutionName(params: Params): string {
  return checkLookupName('ExecutionName', required(params, 'ExecutionName'))
}

/** An optional integer parameter in [min, max]. */
export function intParam(
  params: Params,
  name: string,
  min: number,
  max: number,
  fallback: number
): number {
  const raw = params[name]
  if (raw === undefined) return fallback
  const value = /^-?\d+$/.test(raw) ? Number(raw) : NaN
  if (!(value >= min && value <= max)) {
    throw new ApiError(
      'InvalidArgument',
      `${name} must be an integer in [${min}, ${max}], got '${raw}'.`
    )
  }
  return value
}

/** An optional string parameter of 1..max characters. */
export function lengthParam(params: Params, name: string, max: number): string | undefined {
  const raw = params[name]
  if (raw !== undefined && (raw.length < 1 || raw.length > max)) {
    throw new ApiError('InvalidArgument', `${name} must be 1-${max} characters long.`)
  }
  return raw
}

/**
 * Limit of ListFlowVersions and ListFlowAliases. No page gives a range (emulator choice): the one
 * of ListExecutions, the other list Action, in its stricter reading (1-99, default 60).
 */
export const LIST_LIMIT = { min: 1, max: 99, fallback: 60 } as const

/** A version number as the API writes it: a positive decimal integer. */
export const VERSION = /^[1-9]\d{0,9}$/

/** A flow version parameter. */
export function optionalVersion(params: Params, name: string): string | undefined {
  const value = params[name]
  if (value !== undefined && !VERSION.test(value)) {
    throw new ApiError('InvalidArgument', `${name} '${value}' is not a version number (1, 2, ...).`)
  }
  return value
}

export function requiredVersion(params: Params, name: string): string {
  required(params, name)
  return optionalVersion(params, name) as string
}

/**
 * The required MapRunName. Names the service generates are undocumented beyond the API page's
 * example (32 hex digits), so any 1-128 letters, digits, `_` or `-` pass (emulator choice).
 */
export function mapRunNameParam(params: Params): string {
  const value = required(params, 'MapRunName')
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(value)) {
    throw new ApiError(
      'InvalidArgument',
      `MapRunName '${value}' is invalid: use 1-128 letters, digits, '_' or '-'.`
    )
  }
  return value
}
