/** Reading a response body: a JSON object, its fields, an excerpt when it is not one; the capped read. */
import { redactSecrets } from '../base/secrets.js'

export type JsonObject = Record<string, unknown>

export function parseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as JsonObject
    }
  } catch {
    // not JSON
  }
  return undefined
}

/** The first of `names` that holds a non-empty string (or a number), as text. */
export function stringField(obj: JsonObject | undefined, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = obj?.[name]
    if (typeof v === 'string' && v !== '') return v
    if (typeof v === 'number') return String(v)
  }
  return undefined
}

/** A body that is not the JSON expected, flattened and cut for an error message. */
export function bodyExcerpt(text: string): string {
  // Redacted before it is cut, so half a secret cannot survive the cut.
  const flat = redactSecrets(text).replace(/\s+/g, ' ').trim()
  if (!flat) return 'an empty body'
  return flat.length > 200 ? `"${flat.slice(0, 200)}…"` : `"${flat}"`
}

/** The body was larger than the cap for its API; the request was aborted. */
export const RESPONSE_TOO_LARGE = 'ResponseTooLarge'

export class BodyTooLargeError extends Error {
  readonly code = RESPONSE_TOO_LARGE
  constructor(readonly limitBytes: number) {
    super(`the response body exceeded ${formatBytes(limitBytes)}`)
    this.name = 'BodyTooLargeError'
  }
}

/**
 * Reads a body as UTF-8, at most `limitBytes` of it: past that the stream is destroyed (the
 * connection is dropped) and BodyTooLargeError thrown, so a runaway answer costs at most the cap.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy?: (error?: Error) => unknown },
  limitBytes: number
): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.byteLength
    if (size > limitBytes) {
      const error = new BodyTooLargeError(limitBytes)
      body.destroy?.(error)
      throw error
    }
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks, size).toString('utf8')
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} bytes`
}
