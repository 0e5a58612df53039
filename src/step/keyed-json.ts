import { jsonDepth } from '../config/json-depth.js'
import { MAX_INPUT_DEPTH } from '../config/execution-input.js'

/**
 * A JSON object keyed by execution name, exactly as `JSON.stringify(Object.fromEntries(…))` would
 * write it, but made one entry at a time: a thousand 200 KiB outputs are 200 MB of text, and the
 * step must not hold them a second and third time (parsed, then written out as one string) to
 * learn how long the whole is, cut its first part for a step output and write it to a file.
 */
export interface KeyedJson {
  /** The whole's length in UTF-16 code units. */
  readonly length: number
  /** Its first `units` code units (the whole when shorter), made from the entries it needs. */
  prefix(units: number): string
  /** The whole as pieces that concatenate to it (`{`, one per entry, `}`), each made when asked. */
  pieces(): Iterable<string>
  /** The whole as one string. */
  text(): string
}

/** One value: its JSON text, and its length (known, where cheaper, without making the text). */
export interface JsonValue {
  length: number
  json: () => string
}

/**
 * The object of `entries`, keyed by name, each value's JSON from `value`. Keys are ordered and
 * repeated names resolved as `Object.fromEntries` does (integer-like names first, the last value
 * of a repeated name at its first place), so the text is the one a whole-object stringify gives.
 */
export function keyedJson<T>(
  entries: readonly T[],
  name: (entry: T) => string,
  value: (entry: T) => JsonValue
): KeyedJson {
  const last = new Map<string, T>()
  for (const entry of entries) last.set(name(entry), entry)
  const keys = Object.keys(Object.fromEntries([...last.keys()].map((key) => [key, 0])))
  const values = keys.map((key) => value(last.get(key) as T))
  const heads = keys.map((key, i) => `${i === 0 ? '' : ','}${JSON.stringify(key)}:`)
  const length = values.reduce((n, v, i) => n + heads[i]!.length + v.length, 2)
  function* pieces(): Iterable<string> {
    yield '{'
    for (const [i, v] of values.entries()) yield heads[i]! + v.json()
    yield '}'
  }
  return {
    length,
    prefix(units) {
      let text = ''
      if (units > 0)
        for (const piece of pieces()) {
          text += piece
          if (text.length >= units) break
        }
      return text.slice(0, Math.max(0, units))
    },
    pieces,
    text: () => [...pieces()].join('')
  }
}

/** A text whole, or keyed JSON in pieces: one string, or its pieces, either way. */
export const wholeText = (text: KeyedJson | string): string =>
  typeof text === 'string' ? text : text.text()
export const piecesOf = (text: KeyedJson | string): Iterable<string> =>
  typeof text === 'string' ? [text] : text.pieces()

/** What a wire output or input is as a value in the step's JSON outputs. */
export interface ParsedText extends JsonValue {
  /** The text is kept as a string: not JSON, or JSON nested too deeply to write back out. */
  raw: boolean
}

/**
 * `JSON.stringify(parsed(text))`, made once: the parsed value is dropped at once, and when its
 * JSON is the text itself (the usual case: the service's outputs are compact JSON) the text is
 * what is kept, so a large output is held once.
 */
export function parsedJson(text: string | undefined): ParsedText {
  const value = parsed(text)
  const written = JSON.stringify(value)
  const json = written === text ? text : written
  return { length: json.length, json: () => json, raw: value === text }
}

/**
 * Text from the wire as a value: JSON that nests too deeply to be written back out
 * (JSON.stringify would overflow the stack) stays the raw text, like text that is not JSON at all.
 */
export function parsed(text: string | undefined): unknown {
  if (text === undefined || text === '') return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return text
  }
  return jsonDepth(value, MAX_INPUT_DEPTH) > MAX_INPUT_DEPTH ? text : value
}
