/** Small string helpers shared by the history model and the report: bounded, self-contained copies of flow text. */

/** The end `truncate` gives a text it cut: what remains before it is the text's start only. */
export const TRUNCATED_END = /… \[[\d,]+ more chars\]$/

/** Cuts `text` to at most `max` UTF-16 units of content and says how much was dropped. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = Math.max(0, max)
  // Never split a surrogate pair: half an emoji becomes U+FFFD in UTF-8 and looks like corruption.
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1
  return `${text.slice(0, cut)}… [${(text.length - cut).toLocaleString('en-US')} more chars]`
}

/**
 * Returns a flat copy of `text` that shares no memory with the string it was cut from.
 * V8 represents `slice()` results as views onto the parent string, so keeping a 4 KiB slice of a
 * 32 KiB event detail would keep all 32 KiB alive; the model keeps thousands of these.
 */
export function detach(text: string): string {
  if (text.length < 13) return text // V8 copies slices shorter than 13 anyway (SlicedString)
  return Buffer.from(text, 'utf8').toString('utf8')
}

/** `truncate` then `detach`: the only way model strings should be stored. */
export function keep(text: string, max: number): string {
  return detach(truncate(text, max))
}

/** One implementation for flow and wire text alike: see base/wire-text.ts. */
export { cleanControl } from '../base/wire-text.js'

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}
