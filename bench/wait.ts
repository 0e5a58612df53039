/**
 * What long polling buys over a fixed 5-second poller, measured against the emulator:
 *
 * 1. Requests for a 10-minute wait. Emulator speed 60 (one real second is one emulated minute),
 *    a flow whose execution runs 10 emulated minutes; the bundled action (dist/index.js) and the
 *    poller (bench/poller.ts, sleeping 5 emulated seconds between reads) each wait for one.
 * 2. End-to-exit latency. Speed 1; 20 runs of each, interleaved, each waiting for an execution that
 *    ends ~2 s after the process is spawned: from the execution's end (its emulated stoppedAt,
 *    which at speed 1 without skew is real epoch ms, see emulator/clock.ts) to the process's exit.
 *
 * Run: npx tsx bench/wait.ts (needs dist/, from `npm run package`). Takes about 3 minutes. Progress
 * goes to stderr, the results (a markdown table) to stdout. bench/run.ts calls the exported
 * measures for its one table.
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join, resolve } from 'node:path'
import {
  DEMO_CREDENTIAL,
  startEmulator,
  type Emulator,
  type FlowScript
} from '../emulator/index.js'
import { runAction } from '../scripts/run-action.js'
import { adopt, distReady, isMain, log, machine, percentile, seconds } from './common.js'

const ROOT = resolve(import.meta.dirname, '..')
export const RUNS = 20
/** The peer actions' interval, in emulated ms. */
export const POLL_INTERVAL_MS = 5000

const TEN_MINUTES: FlowScript = {
  name: 'ten-minutes',
  steps: [{ type: 'wait', name: 'deploy', durationMs: 10 * 60_000 }]
}
const TWO_SECONDS: FlowScript = {
  name: 'two-seconds',
  steps: [{ type: 'wait', name: 'deploy', durationMs: 2000 }]
}

export type Waiter = 'action' | 'poller'

interface Run {
  /** Exit code of the waiting process. */
  code: number | null
  /** Date.now() when the process had exited and its stdio closed. */
  exitedAt: number
  stdout: string
  stderr: string
}

let serial = 0

/**
 * Bundles the poller with ncc, as dist/index.js is bundled, so that both start as plain `node` and
 * neither pays for on-the-fly TypeScript compilation. Transpile only: type checking is `npm run
 * lint`'s job, and would make the bench depend on every other file compiling.
 */
export function bundlePoller(): string {
  const out = mkdtempSync(join(os.tmpdir(), 'fnf-wait-poller-'))
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'),
      'build',
      join(ROOT, 'bench/poller.ts'),
      '-o',
      out,
      '--quiet',
      '--transpile-only'
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] }
  )
  // ncc emits an ES module for a "type": "module" package; Node needs this to load it as one.
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n')
  return out
}

function runPoller(
  bundle: string,
  em: Emulator,
  flowName: string,
  executionName: string,
  intervalMs: number
): Promise<Run> {
  const args = [
    join(bundle, 'index.js'),
    '--endpoint',
    em.url,
    '--flow',
    flowName,
    '--execution',
    executionName,
    '--interval-ms',
    String(intervalMs)
  ]
  const env = {
    PATH: process.env.PATH ?? '',
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEMO_CREDENTIAL.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEMO_CREDENTIAL.accessKeySecret
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    adopt(child)
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      const exitedAt = Date.now()
      clearTimeout(timer)
      resolvePromise({ code, exitedAt, stdout, stderr })
    })
  })
}

async function runTheAction(em: Emulator, flowName: string, executionName: string): Promise<Run> {
  await distReady()
  const run = await runAction({
    inputs: {
      'flow-name': flowName,
      'execution-name': executionName,
      endpoint: em.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
    },
    killAfterMs: 120_000,
    onLine: (_line, child) => adopt(child)
  })
  // runAction resolves from the child's 'close' handler, after reading a few small command files.
  const exitedAt = Date.now()
  return { code: run.code, exitedAt, stdout: run.stdout, stderr: run.stderr }
}

/** Creates an execution of `flowName` (it starts now) and waits for it with `waiter`. */
async function waitWith(
  waiter: Waiter,
  em: Emulator,
  flowName: string,
  poller: string,
  speed: number
): Promise<{ run: Run; executionName: string }> {
  const executionName = `bench-${waiter}-${++serial}`
  em.createExecution(flowName, executionName)
  const run =
    waiter === 'action'
      ? await runTheAction(em, flowName, executionName)
      : await runPoller(poller, em, flowName, executionName, POLL_INTERVAL_MS / speed)
  if (run.code !== 0) {
    throw new Error(
      `${waiter} exited ${run.code} waiting for ${executionName}\n${run.stdout}\n${run.stderr}`
    )
  }
  return { run, executionName }
}

function describeCalls(em: Emulator, executionName: string): { describe: number; all: number } {
  const mine = em.requests.filter((r) => r.params.ExecutionName === executionName)
  return { describe: mine.filter((r) => r.action === 'DescribeExecution').length, all: mine.length }
}

/** DescribeExecution requests each waiter sends for one 10-minute execution. */
export async function measureRequests(poller: string): Promise<Record<Waiter, number>> {
  const speed = 60
  // The rate limit runs on real time: at speed 60 the poller reads 12 times a real second, which
  // the 5/s refill would throttle although at real speed it is one read per 5 s. Off, so that
  // both sides are counted as they would be at speed 1.
  const em = await startEmulator({ speed, rateLimit: null, flows: [TEN_MINUTES] })
  try {
    const result = {} as Record<Waiter, number>
    for (const waiter of ['action', 'poller'] as const) {
      log(`10-minute wait (speed ${speed}): ${waiter}…`)
      const { executionName } = await waitWith(waiter, em, TEN_MINUTES.name, poller, speed)
      const calls = describeCalls(em, executionName)
      log(`  ${calls.describe} DescribeExecution, ${calls.all} requests in all`)
      result[waiter] = calls.describe
    }
    return result
  } finally {
    await em.close()
  }
}

/** End-to-exit latencies (ms) of `runs` runs of each waiter, interleaved. */
export async function measureLatency(
  poller: string,
  runs = RUNS
): Promise<Record<Waiter, number[]>> {
  const em = await startEmulator({ speed: 1, flows: [TWO_SECONDS] })
  try {
    // The claim that stoppedAt is comparable with Date.now() at speed 1, checked rather than trusted.
    checkClock(em)
    const latencies: Record<Waiter, number[]> = { action: [], poller: [] }
    for (let i = 1; i <= runs; i++) {
      // Interleaved, so that a noisy neighbour on the machine hurts both sides alike.
      for (const waiter of ['action', 'poller'] as const) {
        const { run, executionName } = await waitWith(waiter, em, TWO_SECONDS.name, poller, 1)
        const stoppedAt = em.execution(TWO_SECONDS.name, executionName)?.stoppedAt
        if (stoppedAt === undefined) throw new Error(`${executionName} has not ended`)
        latencies[waiter].push(run.exitedAt - stoppedAt)
      }
      log(
        `latency run ${i}/${runs}: action ${seconds(latencies.action.at(-1)!)}, ` +
          `poller ${seconds(latencies.poller.at(-1)!)}`
      )
    }
    checkClock(em)
    return latencies
  } finally {
    await em.close()
  }
}

function checkClock(em: Emulator): void {
  const drift = em.now() - Date.now()
  if (Math.abs(drift) > 20) throw new Error(`emulated clock is ${drift} ms off real time`)
}

async function main(): Promise<void> {
  await distReady()
  const started = Date.now()
  log('bundling bench/poller.ts…')
  const poller = bundlePoller()
  try {
    const requests = await measureRequests(poller)
    const latency = await measureLatency(poller)
    const row = (measure: string, action: string, poll: string): string =>
      `| ${measure} | ${action} | ${poll} |`
    const lines = [
      row('measure', 'fnf-wait (long-poll)', '5-second poller'),
      '| --- | ---: | ---: |',
      row(
        'DescribeExecution requests, 10-minute execution',
        String(requests.action),
        String(requests.poller)
      ),
      row(
        `end-to-exit latency, median of ${RUNS}`,
        seconds(percentile(latency.action, 50)),
        seconds(percentile(latency.poller, 50))
      ),
      row(
        `end-to-exit latency, p90 of ${RUNS}`,
        seconds(percentile(latency.action, 90)),
        seconds(percentile(latency.poller, 90))
      )
    ]
    console.log(lines.join('\n'))
    console.log('')
    console.log(
      `Machine: ${machine()}. ` + `Bench took ${Math.round((Date.now() - started) / 1000)} s.`
    )
    console.log(
      'Requests: emulator speed 60, rate limit off; the poller sleeps 5 emulated seconds ' +
        '(83 ms real). Latency: speed 1, each execution ends ~2 s after its waiter is spawned; ' +
        "from its end to the exit of the process. The poller's latency is fixed by where the end " +
        'falls in its 5 s cycle (here ~2 s after its first read); over random phases it would ' +
        'average ~2.5 s, at worst ~5 s.'
    )
  } finally {
    rmSync(poller, { recursive: true, force: true })
  }
}

if (isMain(import.meta.url)) await main()
