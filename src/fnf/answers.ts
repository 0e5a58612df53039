/**
 * The answers of the FnF calls checked before anything reads them: the fields the step prints
 * made safe as they arrive, the fields it relies on present, an alias's routes within the API's
 * ranges. A broken answer is an FnfError (InvalidResponse) that names the action.
 */
import { INVALID_RESPONSE } from '../http/errors.js'
import type { JsonObject } from '../http/response.js'
import { wireText } from '../base/wire-text.js'
import { FnfError, hintFor } from './errors.js'
import type { AliasRoute, Execution } from './types.js'

/** Fields the step prints (status, times, names, request id), made safe as they arrive. */
const PRINTED_FIELDS = ['Status', 'StartedTime', 'StoppedTime', 'Name', 'FlowName', 'RequestId']

export function safeExecution(body: JsonObject): Execution {
  const safe: JsonObject = { ...body }
  for (const field of PRINTED_FIELDS) {
    const value = safe[field]
    if (typeof value === 'string') safe[field] = wireText(value, 256)
  }
  return safe as unknown as Execution
}

/**
 * One route as the Actions write it: a version number as a string, and a weight that is a number
 * (DescribeFlowAlias) or a numeric string (ListFlowAliases); anything else is not the API.
 */
export function aliasRoute(action: string, value: unknown): AliasRoute {
  const route = (typeof value === 'object' && value !== null ? value : {}) as JsonObject
  const version = String(route['Version'])
  const weight = route['Weight']
  const number = typeof weight === 'string' && /^[0-9]{1,3}$/.test(weight) ? Number(weight) : weight
  if (
    !/^[1-9][0-9]{0,9}$/.test(version) ||
    typeof number !== 'number' ||
    !Number.isInteger(number) ||
    number < 0 ||
    number > 100
  ) {
    throw invalidShape(action, 'a route is not a version number with a weight from 0 to 100')
  }
  return { Version: version, Weight: number }
}

export function requireString(action: string, body: JsonObject, field: string): void {
  if (typeof body[field] !== 'string') throw invalidShape(action, `the response has no ${field}`)
}

export function invalidShape(action: string, detail: string): FnfError {
  return new FnfError({
    action,
    status: 200,
    code: INVALID_RESPONSE,
    detail,
    hint: hintFor(INVALID_RESPONSE, { action }),
    retryable: false
  })
}
