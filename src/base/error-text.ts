/** Text for anything thrown: what every layer prints about a failure. */
import { wireText } from './wire-text.js'

/** An error's message may hold a service message, an excerpt and a hint. */
export const ERROR_TEXT_MAX = 8000

/**
 * Text for anything thrown, including non-Error values, safe to print: errors from libraries
 * (undici, Node) can carry wire text that never went through a ServiceError.
 */
export function errorMessage(err: unknown): string {
  return wireText(rawMessage(err), ERROR_TEXT_MAX)
}

function rawMessage(err: unknown): string {
  if (err instanceof Error) return err.message
  if (typeof err === 'string') return err
  try {
    const json = JSON.stringify(err)
    if (json !== undefined) return json
  } catch {
    // circular or BigInt: fall through
  }
  return String(err)
}
