/** What the definition tests share: a parsed definition, a tree of files written. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseDefinition, type ParsedDefinition } from '../../src/definition/parse.js'

export function parsed(source: string): ParsedDefinition {
  const outcome = parseDefinition(source)
  if (outcome.kind !== 'parsed') throw new Error(`${outcome.reason}\n${source}`)
  return outcome.definition
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
}
