/** Helpers the benchmarks share: progress lines, statistics, the machine line, child cleanup. */
import type { ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import os from 'node:os'
import { pathToFileURL } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { DIST } from '../scripts/run-action.js'

/** Progress goes to stderr, so that stdout holds only the results. */
export function log(line: string): void {
  console.error(`[bench] ${line}`)
}

/** True when the module at `url` is the script node (or tsx) was started with. */
export function isMain(url: string): boolean {
  const script = process.argv[1]
  return script !== undefined && url === pathToFileURL(script).href
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] ?? NaN
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`
}

export function machine(): string {
  const cpus = os.cpus()
  return (
    `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, Node ${process.version}, ` +
    `${os.platform()} ${os.release()}, ${new Date().toISOString().slice(0, 10)}`
  )
}

/** Another `npm run package` may be rewriting dist/ while a bench runs; wait it out. */
export async function distReady(): Promise<void> {
  for (let waited = 0; !existsSync(DIST); waited += 500) {
    if (waited >= 120_000) throw new Error(`${DIST} is missing: run \`npm run package\` first`)
    await sleep(500)
  }
}

const children = new Set<ChildProcess>()
let handlersInstalled = false

/**
 * Remembers a child process so that it is killed if the bench is interrupted: an orphaned action
 * or poller would go on retrying against an emulator that died with us.
 */
export function adopt(child: ChildProcess): void {
  if (child.exitCode !== null || child.signalCode !== null || children.has(child)) return
  children.add(child)
  child.once('exit', () => children.delete(child))
  if (handlersInstalled) return
  handlersInstalled = true
  const killAll = (): void => {
    for (const c of children) c.kill('SIGKILL')
  }
  process.once('exit', killAll)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: killing ${children.size} child process(es)`)
      killAll()
      process.exit(130)
    })
  }
}
