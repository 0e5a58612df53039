/**
 * The release workflow publishes `scripts/release-notes.ts`'s cut of CHANGELOG.md as the release
 * body, and refuses a tag whose version package.json does not have: both must hold for this one.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { releaseNotes } from '../../scripts/release-notes.js'

const changelog = readFileSync('CHANGELOG.md', 'utf8')
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }

const SAMPLE = `# Changelog

## [Unreleased]

## [1.1.0] - 2026-12-01

### Fixed

- A thing.

## [1.0.0] - 2026-11-30

### Added

- Everything.

[Unreleased]: https://github.com/fnf-wait/fnf-wait/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/fnf-wait/fnf-wait/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/fnf-wait/fnf-wait/releases/tag/v1.0.0
`

describe('releaseNotes', () => {
  it("has notes for package.json's version in CHANGELOG.md", () => {
    expect(releaseNotes(changelog, pkg.version)).toMatch(
      /^### (Added|Changed|Deprecated|Removed|Fixed|Security)$/m
    )
  })

  it('links every released version at the bottom of CHANGELOG.md', () => {
    for (const [, version] of changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d\d-\d\d$/gm)) {
      expect(changelog).toMatch(
        new RegExp(
          `^\\[${version!.replace(/\./g, '\\.')}\\]: https://github\\.com/fnf-wait/fnf-wait/\\S*v${version!.replace(/\./g, '\\.')}$`,
          'm'
        )
      )
    }
  })

  it('takes the section up to the next version', () => {
    expect(releaseNotes(SAMPLE, '1.1.0')).toBe('### Fixed\n\n- A thing.')
  })

  it('stops before the link definitions after the last version', () => {
    expect(releaseNotes(SAMPLE, '1.0.0')).toBe('### Added\n\n- Everything.')
  })

  it('refuses what is not a version', () => {
    expect(() => releaseNotes(SAMPLE, '1.0')).toThrow('"1.0" is not a version like 1.2.3.')
    expect(() => releaseNotes(SAMPLE, '1.0.00')).toThrow('no "## [1.0.00] - YYYY-MM-DD" section')
  })

  it('refuses a version without a section, or with an empty one', () => {
    expect(() => releaseNotes(SAMPLE, '2.0.0')).toThrow('no "## [2.0.0] - YYYY-MM-DD" section')
    expect(() =>
      releaseNotes('## [Unreleased]\n\n## [1.2.0] - 2026-12-02\n\n## [1.1.0]\n- x\n', '1.2.0')
    ).toThrow('"## [1.2.0]" section is empty')
  })
})
