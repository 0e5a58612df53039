/**
 * The one gate every printed line goes through (src/base/log.ts): each hostile payload, through
 * each level, reaches @actions/core inert; and no module of src/ prints any other way.
 */
import { describe, expect, it, jest } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as core from '../support/core.js'
import { HOSTILE_PAYLOADS, HOSTILE_TEXT, textProblems } from '../support/hostile-lines.js'

jest.unstable_mockModule('@actions/core', () => core)
const log = await import('../../src/base/log.js')

describe('base/log.ts', () => {
  it.each(HOSTILE_PAYLOADS.map((p) => [JSON.stringify(p), p]))(
    'every level makes %s inert',
    (_shown, payload) => {
      core.resetCore()
      const text = `Running: ${payload} (attempt 2)`
      log.info(text)
      log.debug(text)
      log.warning(text, { title: payload })
      log.error(text, { title: payload, file: payload })
      log.notice(text)
      log.fail(text)
      const printed = [
        ...core.fake.log.map((l) => l.replace(/^\w+: /, '')),
        ...core.fake.annotations.flatMap((a) => [a.title ?? '', a.message])
      ]
      expect(printed.flatMap(textProblems)).toEqual([])
      // Shown, not dropped: the words are still there for a person to read.
      expect(core.fake.log[0]!.replace(/\u200b/g, '')).toContain('attempt 2')
    }
  )

  it('keeps the text readable: only the breaks differ', () => {
    core.resetCore()
    log.info(HOSTILE_TEXT)
    const out = core.fake.log[0]!.replace(/^info: /, '')
    expect(out.replace(/\u200b/g, '')).toContain('::add-mask::plain')
    expect(out).toContain('after-ideographic-space')
    expect(textProblems(out)).toEqual([])
  })
})

describe('no module of src/ prints around the gate', () => {
  const src = fileURLToPath(new URL('../../src/', import.meta.url))
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const path = join(dir, f)
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
    })
  const PRINTING =
    /\bcore\.(info|warning|error|notice|debug|setFailed|startGroup|group)\b|\bconsole\.\w+|process\.(stdout|stderr)\b|import\s*\{[^}]*\b(info|warning|error|notice|debug|setFailed)\b[^}]*\}\s*from\s*'@actions\/core'/

  it.each(
    files(src)
      .map((f) => relative(src, f))
      .filter((f) => f !== join('base', 'log.ts'))
  )('%s', (file) => {
    const code = readFileSync(join(src, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
    expect(code.match(PRINTING)?.[0]).toBeUndefined()
  })
})
