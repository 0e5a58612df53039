/**
 * The README's "Try keyless locally", run as written: `npm run emulator` as a child process (its
 * keyless auth: a local STS and the runner's ID-token endpoint), then the bundle with exactly the
 * variables the README's command sets and nothing of a runner's. The commands are read from the
 * README, so the text and this test cannot drift apart. Two things differ, both said here: the
 * emulator listens on free ports rather than 4010-4012 (other runs of this suite may share the
 * machine), so the README's ports are mapped to the ones the emulator prints, and it runs at
 * `--speed 20` so that the flow's three emulated seconds pass quickly.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { load } from 'js-yaml'
import { runAction } from '../../scripts/run-action.js'

const ROOT = resolve(import.meta.dirname, '../..')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>
}

/** The commands of the `sh` blocks in the README section under `heading`, each as its words. */
function commands(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README.md has no "${heading}"`)
  const end = markdown.indexOf('\n#', start + heading.length + 2)
  const section = markdown.slice(start, end < 0 ? undefined : end)
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1]!.replace(/\\\n/g, ' ').split('\n'))
    .map((line) => line.replace(/\s#.*$/, '').trim())
    .filter(Boolean)
    .map(words)
}

/** The words of one command line, '…' unquoted. */
function words(line: string): string[] {
  return [...line.matchAll(/(?:[^\s']+|'[^']*')+/g)].map((m) => m[0].replace(/'([^']*)'/g, '$1'))
}

interface Documented {
  emulatorArgs: string[]
  /** What `touch` creates before the action runs. */
  touched: string[]
  env: Record<string, string>
  script: string
}

function documented(): Documented {
  const all = commands(README, '### Try keyless locally')
  const emulator = all.find((w) => w.join(' ').startsWith('npm run emulator --'))
  const action = all.find((w) => w[0] === 'env' && w.at(-2) === 'node')
  if (!emulator || !action) throw new Error('"Try keyless locally" lost one of its two commands')
  const others = all.filter((w) => w !== emulator && w !== action)
  if (others.some((w) => w[0] !== 'touch')) {
    throw new Error(`"Try keyless locally" has a command this test does not run: ${others}`)
  }
  const env: Record<string, string> = {}
  for (const word of action.slice(1, -2)) {
    const at = word.indexOf('=')
    if (at <= 0) throw new Error(`"${word}" in "Try keyless locally" is not NAME=value`)
    env[word.slice(0, at)] = word.slice(at + 1)
  }
  return {
    emulatorArgs: emulator.slice(4),
    touched: others.flatMap((w) => w.slice(1)),
    env,
    script: action.at(-1)!
  }
}

interface FirstLine {
  endpoint: string
  sts: { endpoint: string; oidcProviderArn: string; roleArn: string }
  idToken: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string }
}

let emulator: ChildProcessByStdio<null, Readable, Readable>
let printed: FirstLine
const doc = documented()

beforeAll(async () => {
  // `npm run emulator` is `tsx emulator/main.ts`; node --import tsx is the same without npm.
  expect(PACKAGE.scripts.emulator).toBe('tsx emulator/main.ts')
  const args = doc.emulatorArgs.map((arg, i, all) => (all[i - 1] === '--port' ? '0' : arg))
  emulator = spawn(
    process.execPath,
    ['--import', 'tsx', 'emulator/main.ts', ...args, '--speed', '20'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let stderr = ''
  emulator.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  let stdout = ''
  const line = new Promise<string>((resolveLine, reject) => {
    emulator.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      if (stdout.includes('\n')) resolveLine(stdout.slice(0, stdout.indexOf('\n')))
    })
    emulator.once('exit', (code) => reject(new Error(`the emulator exited ${code}:\n${stderr}`)))
  })
  printed = JSON.parse(await line) as FirstLine
})
afterAll(async () => {
  if (emulator.exitCode !== null) return
  const exited = once(emulator, 'exit')
  emulator.kill('SIGTERM')
  await exited
})

/**
 * A value of the README's command, its 127.0.0.1 ports mapped to this emulator's: the README's
 * `--port` to its FnF endpoint, the next one to its STS, the one after to its ID-token endpoint.
 */
function local(value: string): string {
  const port = Number(doc.emulatorArgs[doc.emulatorArgs.indexOf('--port') + 1])
  const hosts = [
    printed.endpoint,
    printed.sts.endpoint,
    printed.idToken.ACTIONS_ID_TOKEN_REQUEST_URL
  ]
  return value.replace(/\/\/127\.0\.0\.1:(\d+)/g, (whole, found: string) => {
    const url = hosts[Number(found) - port]
    return url === undefined ? whole : `//${new URL(url).host}`
  })
}

describe('the README\'s "Try keyless locally"', () => {
  it('names what the emulator serves, on the ports it documents', () => {
    expect(local(doc.env['INPUT_ENDPOINT']!)).toBe(printed.endpoint)
    expect(local(doc.env['INPUT_STS-ENDPOINT']!)).toBe(printed.sts.endpoint)
    expect(local(doc.env.ACTIONS_ID_TOKEN_REQUEST_URL!)).toBe(
      printed.idToken.ACTIONS_ID_TOKEN_REQUEST_URL
    )
    expect(doc.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN).toBe(
      printed.idToken.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    )
    expect(doc.env['INPUT_ROLE-TO-ASSUME']).toBe(printed.sts.roleArn)
    expect(doc.env['INPUT_OIDC-PROVIDER-ARN']).toBe(printed.sts.oidcProviderArn)
  })

  it("is the README's first example, with the emulator's endpoints for its region", () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(README)![1]!
    const job = load(yaml) as {
      jobs: Record<string, { steps: Array<{ with: Record<string, unknown> }> }>
    }
    const given = Object.values(job.jobs)[0]!.steps[0]!.with
    const { region, ...rest } = given
    expect(region).toBeDefined()
    for (const [name, value] of Object.entries(rest)) {
      expect(doc.env[`INPUT_${name.toUpperCase()}`]).toBe(String(value))
    }
  })

  it('runs the action keyless against the emulator', async () => {
    const env = Object.fromEntries(
      Object.entries(doc.env).map(([name, value]) => [name, local(value)])
    )
    expect(doc.script).toBe('dist/index.js')
    // The files the README creates, in a folder of their own, where the relative names point.
    const dir = mkdtempSync(join(tmpdir(), 'fnf-wait-keyless-'))
    for (const file of doc.touched) writeFileSync(join(dir, file), '')
    env.GITHUB_STEP_SUMMARY = join(dir, env.GITHUB_STEP_SUMMARY!)
    const run = await runAction({ bare: true, inputs: {}, env })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Credentials from OIDC: role ${printed.sts.roleArn}`)
    expect(run.stdout).toMatch(/^Got STS credentials for role .* valid until /m)
    expect(run.stdout).toContain('::set-output name=status::Succeeded')
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('release-pipeline')
  })
})
