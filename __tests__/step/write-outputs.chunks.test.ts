/**
 * A large output file written in chunks (src/step/write-outputs.ts): each chunk redacted and
 * written before the next is made, never the whole text or its redacted copy as one string.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clearSecrets, REDACTED, registerSecret } from '../../src/base/secrets.js'
import { redactedChunks, writeRegularFile } from '../../src/step/write-outputs.js'

const SECRET = 'wOrdOfP4ssage9'

afterEach(() => clearSecrets())

/** `{`, one `"run-i":{…}` entry per execution, `}`: what the output plan gives the writer. */
function* entries(count: number, pad: number, made: string[]): Iterable<string> {
  yield '{'
  for (let i = 0; i < count; i++) {
    const piece = `${i === 0 ? '' : ','}"run-${i}":${JSON.stringify({ key: SECRET, pad: 'x'.repeat(pad) })}`
    made.push(piece)
    yield piece
  }
  yield '}'
}

describe('redactedChunks', () => {
  it('joins pieces into chunks of about 1 Mi units, each redacted, made as they are read', () => {
    registerSecret(SECRET)
    const made: string[] = []
    const chunks = redactedChunks(entries(30, 100_000, made))[Symbol.iterator]()
    const first = chunks.next()
    // The first chunk is out before most of the pieces are made.
    expect(made.length).toBeLessThan(15)
    const all = [first.value as string, ...{ [Symbol.iterator]: () => chunks }]
    expect(all.length).toBeGreaterThan(1)
    for (const chunk of all.slice(0, -1)) expect(chunk.length).toBeLessThan((1 << 20) + 100_100)
    const text = all.join('')
    expect(text).not.toContain(SECRET)
    const parsed = JSON.parse(text) as Record<string, { key: string }>
    expect(Object.keys(parsed)).toHaveLength(30)
    expect(parsed['run-29']!.key).toBe(REDACTED)
  })

  it('small pieces: one chunk', () => {
    expect([...redactedChunks(['{', '"a":1', '}'])]).toEqual(['{"a":1}'])
    expect([...redactedChunks([])]).toEqual([])
  })
})

describe('writeRegularFile in chunks', () => {
  it('writes the chunks one after another, over what was there', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'fnf-wait-wc-')), 'out.json')
    writeRegularFile(path, 'x'.repeat(1000))
    writeRegularFile(path, ['{"a":', '"é😀"', '}'])
    expect(readFileSync(path, 'utf8')).toBe('{"a":"é😀"}')
  })
})
