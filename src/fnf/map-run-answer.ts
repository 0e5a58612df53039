/**
 * DescribeMapRun's answer as the step reads it: only the fields it uses, each of its own type.
 * Text is made safe as it arrives (it is printed); counts and tolerances are finite numbers not
 * below zero (one sent as a numeric string is read as the number); anything else is left out, so
 * a renderer never meets `NaN`, a negative count or an object where a number belongs.
 */
import type { JsonObject } from '../http/response.js'
import { wireText } from '../base/wire-text.js'
import type { MapRun, MapRunItemCounts } from './types.js'

const TEXT = ['Status', 'MapRunName', 'ExecutionName', 'StartedTime', 'StoppedTime', 'RequestId']
const NUMBERS = ['Concurrency', 'ToleratedFailedCount', 'ToleratedFailedPercentage']
const ITEM_COUNTS = ['Total', 'Pending', 'Running', 'Succeed', 'Failed', 'Aborted'] as const

/** The caller has checked that `Status` is a string and `ItemCounts`, when set, an object. */
export function mapRunOf(body: JsonObject): MapRun {
  const out: Record<string, unknown> = {}
  for (const field of TEXT) {
    const value = body[field]
    if (typeof value === 'string') out[field] = wireText(value, 256)
  }
  for (const field of NUMBERS) {
    const value = countOf(body[field])
    if (value !== undefined) out[field] = value
  }
  const raw = body['ItemCounts']
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const counts: MapRunItemCounts = {}
    for (const field of ITEM_COUNTS) {
      const value = countOf((raw as JsonObject)[field])
      if (value !== undefined) counts[field] = value
    }
    out['ItemCounts'] = counts
  }
  return out as unknown as MapRun
}

/** A finite number not below zero, from a number or a numeric string; else undefined. */
export function countOf(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined
}
