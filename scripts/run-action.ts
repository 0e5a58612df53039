import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** The bundle to run: FNF_WAIT_BUNDLE (the e2e tests' fresh build) or the committed dist/index.js. */
export const DIST = resolve(
  process.env.FNF_WAIT_BUNDLE ?? resolve(import.meta.dirname ?? '.', '../dist/index.js')
)

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  dir: string
  /** Annotations the runner would make from the workflow commands in stdout. */
  annotations: Array<{
    level: string
    title?: string
    message: string
    /** `file`, `line` and `endLine` of the command, when it points at a file. */
    file?: string
    line?: number
    endLine?: number
  }>
}

export interface RunOptions {
  inputs: Record<string, string>
  env?: Record<string, string | undefined>
  /** Saved state from a main run, to run the post step. */
  state?: Record<string, string>
  /** Called on each stdout line, with the child to signal. */
  onLine?: (line: string, child: ChildProcess) => void
  /** Kill the process if it runs this long (a safety net, not an assertion). */
  killAfterMs?: number
  /** Extra node arguments before the script (benchmarks use `--import` to measure the process). */
  nodeArgs?: string[]
  /**
   * A command as a person types it rather than a runner's step: the process gets PATH, HOME and
   * `env`, none of the runner's variables or files (they stay empty).
   */
  bare?: boolean
}

/** Runs the bundle (DIST) the way the runner does: INPUT_* env, command files, event payload. */
export function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'fnf-wait-run-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
    GITHUB_EVENT_PATH: join(dir, 'event.json')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  writeFileSync(files.GITHUB_EVENT_PATH, '{}')

  const shell = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir }
  const env: Record<string, string> = options.bare
    ? shell
    : { ...shell, ...runnerEnv(dir), ...files }
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name]
    else env[name] = value
  }

  return new Promise((resolvePromise, reject) => {
    const child = spawn(actionNode(), [...(options.nodeArgs ?? []), DIST], {
      env,
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    let pending = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 50_000)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      pending += chunk
      let newline: number
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline)
        pending = pending.slice(newline + 1)
        options.onLine?.(line, child)
      }
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({
        code,
        signal,
        stdout,
        stderr,
        outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
        state: parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8')),
        summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        dir,
        annotations: parseAnnotations(stdout)
      })
    })
  })
}

/** What a runner sets for every step, besides the command files. */
function runnerEnv(dir: string): Record<string, string> {
  return {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
    GITHUB_WORKSPACE: dir,
    GITHUB_REPOSITORY: 'octo/app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_SHA: '0000000000000000000000000000000000000000'
  }
}

/**
 * The Node to run the bundle on: FNF_WAIT_NODE, which the e2e-node24 jest project sets to the
 * Node.js 24 GitHub runs the action on (scripts/node24.mjs), else the one running this.
 */
export function actionNode(): string {
  return process.env.FNF_WAIT_NODE || process.execPath
}

/** `name<<DELIM\nvalue\nDELIM` blocks, as @actions/core writes GITHUB_OUTPUT and GITHUB_STATE; last one wins. */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!)
    result[name!] = value.join('\n')
  }
  return result
}

function parseAnnotations(stdout: string): ActionRun['annotations'] {
  const found: ActionRun['annotations'] = []
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!match) continue
    const props = Object.fromEntries(
      (match[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => {
          const at = pair.indexOf('=')
          return [pair.slice(0, at), unescapeProperty(pair.slice(at + 1))]
        })
    )
    found.push({
      level: match[1]!,
      ...(props.title ? { title: props.title as string } : {}),
      message: unescapeData(match[3]!),
      ...(props.file ? { file: props.file as string } : {}),
      ...(props.line ? { line: Number(props.line) } : {}),
      ...(props.endLine ? { endLine: Number(props.endLine) } : {})
    })
  }
  return found
}

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/g, ':').replace(/%2C/g, ',')
}
