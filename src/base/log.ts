/**
 * The only way the step writes to its log: every line, and every annotation's message and title,
 * passes through `inertText` (wire-text.ts) on its way to @actions/core. Text from the wire or a
 * flow (a step name, a cause, a Status, a retry's error, a listing's names, GitHub's html_url)
 * cannot form a workflow command however it is placed in a line; the only commands on stdout are
 * the ones @actions/core composes around that text (`::warning::`, `::add-mask::`, …), escaped.
 * `npm run lint` (eslint's no-restricted-properties) and __tests__/base/log.test.ts keep every
 * other module off `core.info`, `core.warning`, `core.error`, `core.notice`, `core.debug` and
 * `core.setFailed`.
 */
import * as core from '@actions/core'
import { inertText } from './wire-text.js'

export type AnnotationProperties = core.AnnotationProperties

export function info(text: string): void {
  core.info(inertText(text))
}

export function debug(text: string): void {
  core.debug(inertText(text))
}

export function warning(text: string, properties?: AnnotationProperties): void {
  core.warning(inertText(text), inertProperties(properties))
}

export function error(text: string, properties?: AnnotationProperties): void {
  core.error(inertText(text), inertProperties(properties))
}

export function notice(text: string, properties?: AnnotationProperties): void {
  core.notice(inertText(text), inertProperties(properties))
}

/** Fails the step with `text` as its error (src/main.ts is the one caller). */
export function fail(text: string): void {
  core.setFailed(inertText(text))
}

function inertProperties(p: AnnotationProperties | undefined): AnnotationProperties | undefined {
  if (p === undefined) return undefined
  const out: AnnotationProperties = { ...p }
  if (p.title !== undefined) out.title = inertText(p.title)
  if (p.file !== undefined) out.file = inertText(p.file)
  return out
}
