import { ApiError } from '../errors.js'
import type { Params } from '../params.js'

/** Flow and execution names: letters, digits, `_` and `-`; a letter or `_` first; 1–128 long. */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/

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
