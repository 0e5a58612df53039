/** Reading an Alibaba Cloud RPC response body: a JSON object, its fields, an excerpt when it is not one. */

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
  const flat = text.replace(/\s+/g, ' ').trim()
  if (!flat) return 'an empty body'
  return flat.length > 200 ? `"${flat.slice(0, 200)}…"` : `"${flat}"`
}
