/**
 * The release notes of one version, cut from CHANGELOG.md (Keep a Changelog): the text under
 * `## [X.Y.Z] - date` up to the next `## ` heading, without the link definitions at the bottom.
 * The release workflow publishes it as the GitHub release's body:
 *
 *   npx tsx scripts/release-notes.ts 1.2.3 > notes.md
 */
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const VERSION = /^\d+\.\d+\.\d+$/

/** Throws when the version has no section, or an empty one: a release must say what changed. */
export function releaseNotes(changelog: string, version: string): string {
  if (!VERSION.test(version)) throw new Error(`"${version}" is not a version like 1.2.3.`)
  const lines = changelog.split(/\r?\n/)
  const heading = `## [${version}]`
  const start = lines.findIndex((line) => line === heading || line.startsWith(`${heading} `))
  if (start < 0) throw new Error(`CHANGELOG.md has no "${heading} - YYYY-MM-DD" section.`)
  const rest = lines.slice(start + 1)
  const end = rest.findIndex((line) => line.startsWith('## ') || /^\[[^\]]+\]:\s/.test(line))
  const notes = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim()
  if (notes === '') throw new Error(`CHANGELOG.md's "${heading}" section is empty.`)
  return notes
}

function main(argv: string[]): void {
  const [version = '', file = 'CHANGELOG.md'] = argv
  try {
    process.stdout.write(`${releaseNotes(readFileSync(file, 'utf8'), version)}\n`)
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exitCode = 1
  }
}

const script = process.argv[1]
if (script !== undefined && import.meta.url === pathToFileURL(script).href) {
  main(process.argv.slice(2))
}
