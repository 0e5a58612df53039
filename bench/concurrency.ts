/**
 * How many waiters one account sustains under the service's rate limit (DescribeExecution: a
 * bucket of 50 refilled 5/s per API and key, which the emulator enforces with 429
 * ResourceThrottled), measured two ways:
 *
 * 1. The peers' way: N independent jobs, each polling DescribeExecution every 5 s. Here N poller
 *    loops in this process, each group of N with its own AccessKey (the emulator's buckets are per
 *    key, so the groups run side by side without sharing a bucket), FnfClient with no client-side
 *    limiter and maxAttempts 1, so that a 429 surfaces as the error the user would see. Theory:
 *    5/s ÷ 0.2/s = 25 pollers; above that the burst of 50 hides the excess for 50 / (N/5 − 5) s.
 * 2. fnf-wait: one step waiting for 1000 executions (long polls through the step's own limiter).
 *    Speed 1, so the 60 s holds are real; the executions end at seeded random times 10–180 s after
 *    they start. 1000 first reads at the limiter's 4/s take ~4 minutes whatever the strategy, so
 *    the run takes ~5 minutes. The same again with an output of 200 KiB each (`--output-kib`):
 *    their outputs no longer fit a listing page of 99, nor GitHub's outputs (they go to the
 *    output file, which the bench reads back to check each one).
 *
 *   npx tsx bench/concurrency.ts [--poller-seconds 120] [--executions 1000]
 *   npx tsx bench/concurrency.ts --many-only [--executions 1000] [--output-kib 200]
 *
 * Needs dist/ (`npm run package`). Progress to stderr, results to stdout.
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import {
  DEFAULT_RATE_LIMITS,
  DEMO_CREDENTIAL,
  startEmulator,
  type EmulatorCredential,
  type FlowScript
} from '../emulator/index.js'
import { runAction } from '../scripts/run-action.js'
import { FnfClient } from '../src/fnf/client.js'
import { createDispatcher } from '../src/http/dispatcher.js'
import { FnfError } from '../src/fnf/errors.js'
import { errorMessage } from '../src/base/error-text.js'
import { adopt, distReady, isMain, log, machine, seconds } from './common.js'

export const POLLER_SIZES = [10, 20, 25, 30, 40]
const POLL_INTERVAL_MS = 5000
/** The service's DescribeExecution limit, as the emulator enforces it. */
const BURST = 50
const REFILL_PER_SECOND = 5

export interface PollerGroupResult {
  pollers: number
  requests: number
  /** 429 ResourceThrottled errors the pollers received. */
  throttled: number
  /** Pollers that saw at least one: jobs that would have failed. */
  pollersThrottled: number
  /** Other errors (should be none). */
  otherErrors: number
  /** From the group's start to its first 429. */
  firstThrottleMs?: number
}

/** Seconds until N pollers' excess over the refill empties the burst; undefined if it never does. */
export function theoreticalFirstThrottleSeconds(pollers: number): number | undefined {
  const excess = (pollers * 1000) / POLL_INTERVAL_MS - REFILL_PER_SECOND
  return excess > 0 ? BURST / excess : undefined
}

function keyFor(pollers: number): EmulatorCredential {
  return { accessKeyId: `LTAIbenchPollers${pollers}`, accessKeySecret: `bench-secret-${pollers}` }
}

/**
 * Every group of N pollers for `durationMs`, all groups at once. Each poller's first read is
 * offset by i/N of the interval: jobs start at different times, and an even spread is the
 * pollers' best case (no synchronised bursts).
 */
export async function benchPollers(
  sizes: readonly number[] = POLLER_SIZES,
  durationMs = 120_000
): Promise<PollerGroupResult[]> {
  const em = await startEmulator({
    credentials: sizes.map(keyFor),
    flows: [{ name: 'hour', steps: [{ type: 'wait', name: 'deploy', durationMs: 3_600_000 }] }]
  })
  try {
    const results = await Promise.all(
      sizes.map(async (pollers): Promise<PollerGroupResult> => {
        const key = keyFor(pollers)
        const dispatcher = createDispatcher()
        const client = new FnfClient({
          endpoint: em.url,
          credentials: () => key,
          dispatcher,
          maxAttempts: 1
        })
        const result: PollerGroupResult = {
          pollers,
          requests: 0,
          throttled: 0,
          pollersThrottled: 0,
          otherErrors: 0
        }
        const started = Date.now()
        const end = started + durationMs
        const poll = async (i: number): Promise<void> => {
          const executionName = `poller-${pollers}-${i}`
          em.createExecution('hour', executionName)
          let throttled = false
          await sleep((i * POLL_INTERVAL_MS) / pollers)
          while (Date.now() < end) {
            result.requests++
            try {
              await client.describeExecution({
                flowName: 'hour',
                executionName,
                waitTimeSeconds: 0
              })
            } catch (error) {
              if (error instanceof FnfError && error.status === 429) {
                result.throttled++
                result.firstThrottleMs ??= Date.now() - started
                throttled = true
              } else {
                result.otherErrors++
                log(`poller ${executionName}: ${errorMessage(error)}`)
              }
            }
            // A failed job would stop here; the loop goes on so the count covers the whole run.
            await sleep(Math.max(0, Math.min(POLL_INTERVAL_MS, end - Date.now())))
          }
          if (throttled) result.pollersThrottled++
        }
        try {
          await Promise.all(Array.from({ length: pollers }, (_, i) => poll(i)))
        } finally {
          await dispatcher.close()
        }
        // The emulator's record, to be sure that what the client counted is what the server sent.
        const served = em.requests.filter((r) => r.params.AccessKeyId === key.accessKeyId)
        const rejected = served.filter((r) => r.status === 429).length
        if (served.length !== result.requests || rejected !== result.throttled) {
          throw new Error(
            `${pollers} pollers: counted ${result.requests} requests / ${result.throttled} 429s, ` +
              `the emulator saw ${served.length} / ${rejected}`
          )
        }
        log(
          `${pollers} pollers, ${seconds(durationMs)}: ${result.requests} requests, ` +
            `${result.throttled} 429s (${result.pollersThrottled} pollers hit)` +
            (result.firstThrottleMs !== undefined
              ? `, first after ${seconds(result.firstThrottleMs)}`
              : '')
        )
        return result
      })
    )
    return results
  } finally {
    await em.close()
  }
}

/** The largest N that saw no 429, among the sizes tried in a row from the smallest. */
export function largestClean(results: readonly PollerGroupResult[]): number {
  let best = 0
  for (const r of [...results].sort((a, b) => a.pollers - b.pollers)) {
    if (r.throttled > 0) break
    best = r.pollers
  }
  return best
}

export interface ManyExecutionsResult {
  executions: number
  exitCode: number | null
  /** The step's `status` output and the number of entries in `results`. */
  status: string
  resultCount: number
  describeRequests: number
  allRequests: number
  /** 429s the emulator answered (the step's limiter should keep them at 0). */
  throttled: number
  /** Throttling messages in the action's log, i.e. what reached the user. */
  throttledInLog: number
  retries: number
  wallMs: number
  /** DescribeExecution requests per minute over the whole wait, and in the busiest 60 s. */
  perMinute: number
  peakPerMinute: number
  maxRssMiB: number
  /** From the last execution's end (its stoppedAt, real epoch ms at speed 1) to the exit. */
  lastEndToExitMs: number
  /** When the last execution ended, after the action was spawned. */
  lastEndAfterMs: number
  /** How the step read statuses: batch reads past 40 executions (today's), or long polls only. */
  strategy: Strategy
  /** From the spawn until the action had logged a first status of every execution. */
  firstStatusesMs: number
  /**
   * Executions whose `results` entry is not Succeeded with the output their input asked for (in
   * the output file when the outputs did not fit `results`).
   */
  wrongResults: number
  /** Each execution's output, KiB (0: a few bytes). */
  outputKiB: number
  /** Per API: requests, per minute on average and in the busiest 60 s, and the service's bucket. */
  perApi: ApiRate[]
}

export type Strategy = 'batch' | 'long-poll'

export interface ApiRate {
  action: string
  requests: number
  perMinute: number
  peakPerMinute: number
  /** The service's bucket for it, e.g. `50 + 5/s`, and what that sustains a minute. */
  bucket: string
}

/** The service's buckets (the emulator's DEFAULT_RATE_LIMITS), as `burst + refill/s`. */
function bucketOf(action: string): string {
  const b = DEFAULT_RATE_LIMITS[action] ?? DEFAULT_RATE_LIMITS['*']!
  return `${b.burst} + ${b.refillPerSecond}/s (${b.burst + b.refillPerSecond * 60} in a minute)`
}

/** A seeded generator, so every run gets the same end times. */
function random(seed: number): () => number {
  let x = seed
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31
    return x / 2 ** 31
  }
}

export async function benchManyExecutions(
  count = 1000,
  endsWithinMs: [number, number] = [10_000, 180_000],
  strategy: Strategy = 'batch',
  outputKiB = 0
): Promise<ManyExecutionsResult> {
  await distReady()
  const rand = random(7)
  const [low, high] = endsWithinMs
  const plan = Array.from({ length: count }, (_, i) => ({
    name: `shard-${String(i).padStart(4, '0')}`,
    durationMs: Math.round(low + rand() * (high - low))
  }))
  const flow: FlowScript = {
    name: 'shards',
    // The rendered definition of a 1000-branch choice would be ~100 KB in every DescribeExecution
    // answer; a real fan-out flow is one short definition.
    definition:
      'version: v1\ntype: flow\nsteps:\n  - type: wait\n    name: warm-up\n    duration: $.seconds\n',
    // Each its own output, so the bench checks that every result is the right one.
    output: (input: unknown) => expectedOutput((input as { index: number }).index, outputKiB),
    steps: [
      {
        type: 'choice',
        name: 'by-shard',
        branches: plan.map((p) => [
          { type: 'wait' as const, name: 'warm-up', durationMs: p.durationMs }
        ]),
        pick: (input) => (input as { index: number }).index
      }
    ]
  }
  const em = await startEmulator({ speed: 1, flows: [flow] })
  try {
    for (const [index, p] of plan.entries()) em.createExecution('shards', p.name, { index })
    const spawnedAt = Date.now()
    log(`${count} executions, ending ${seconds(low)}–${seconds(high)} from now; action spawned…`)
    const progress = setInterval(() => {
      const ended = plan.filter((p) => em.execution('shards', p.name)?.status !== 'Running').length
      const describe = em.requests.filter((r) => r.action === 'DescribeExecution').length
      log(
        `  ${seconds(Date.now() - spawnedAt)}: ${ended}/${count} ended, ${describe} DescribeExecution, ` +
          `${em.requests.filter((r) => r.status === 429).length} 429s`
      )
    }, 30_000)
    const firstStatus = new Map<string, number>()
    const actionLog = process.env.BENCH_ACTION_LOG
      ? `${process.env.BENCH_ACTION_LOG}.${strategy}${outputKiB}`
      : undefined
    const run = await runAction({
      env: { FNF_WAIT_INTERNAL_STATUS_READS: strategy === 'long-poll' ? 'long-poll' : undefined },
      inputs: {
        'flow-name': 'shards',
        'execution-name': plan.map((p) => p.name).join('\n'),
        endpoint: em.url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
        // Bounds an orphaned action too, should the bench be killed.
        timeout: '10m'
      },
      nodeArgs: ['--import', resolve(import.meta.dirname, 'max-rss.mjs')],
      killAfterMs: 12 * 60_000,
      onLine: (line, child) => {
        adopt(child)
        // BENCH_ACTION_LOG=path: the action's lines, each after its ms since the spawn.
        if (actionLog) appendFileSync(actionLog, `${Date.now() - spawnedAt} ${line}\n`)
        const status = /^\[([\w-]+)\] Status: /.exec(line)
        if (status && !firstStatus.has(status[1]!)) firstStatus.set(status[1]!, Date.now())
      }
    }).finally(() => clearInterval(progress))
    const exitedAt = Date.now()
    const rss = /max-rss-kib=(\d+)/.exec(run.stderr)
    if (!rss) throw new Error(`no peak RSS from the action (code ${run.code})\n${run.stderr}`)
    let lastEnd = 0
    for (const p of plan) {
      const stoppedAt = em.execution('shards', p.name)?.stoppedAt
      if (stoppedAt === undefined) throw new Error(`${p.name} has not ended`)
      lastEnd = Math.max(lastEnd, stoppedAt)
    }
    const describe = em.requests.filter((r) => r.action === 'DescribeExecution')
    const results = (run.outputs.results ? JSON.parse(run.outputs.results) : {}) as Record<
      string,
      { status?: string; output?: unknown; 'output-truncated'?: boolean }
    >
    // Outputs too large for `results` are in the output file, every one of them.
    const file = run.outputs['output-file']
    const outputs = (file ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Record<string, unknown>
    if (file) rmSync(file, { force: true })
    const wallMs = exitedAt - spawnedAt
    const wrongResults = plan.filter((p, index) => {
      const entry = results[p.name]
      const output = entry?.['output-truncated'] ? outputs[p.name] : entry?.output
      return (
        entry?.status !== 'Succeeded' ||
        JSON.stringify(output) !== JSON.stringify(expectedOutput(index, outputKiB))
      )
    }).length
    if (firstStatus.size < count)
      throw new Error(`${count - firstStatus.size} executions got no status line`)
    const actions = [...new Set(em.requests.map((r) => r.action))].sort()
    const perApi = actions.map((action): ApiRate => {
      const times = em.requests.filter((r) => r.action === action).map((r) => r.receivedAt)
      return {
        action,
        requests: times.length,
        perMinute: times.length / (wallMs / 60_000),
        peakPerMinute: busiestWindow(times, 60_000),
        bucket: bucketOf(action)
      }
    })
    return {
      executions: count,
      exitCode: run.code,
      status: run.outputs.status ?? '',
      resultCount: Object.keys(results).length,
      describeRequests: describe.length,
      allRequests: em.requests.length,
      throttled: em.requests.filter((r) => r.status === 429).length,
      throttledInLog: run.stdout.match(/ResourceThrottled/g)?.length ?? 0,
      retries: run.stdout.match(/; retry \d+ of/g)?.length ?? 0,
      wallMs,
      perMinute: describe.length / (wallMs / 60_000),
      peakPerMinute: busiestWindow(
        describe.map((r) => r.receivedAt),
        60_000
      ),
      maxRssMiB: Number(rss[1]) / 1024,
      lastEndToExitMs: exitedAt - lastEnd,
      lastEndAfterMs: lastEnd - spawnedAt,
      strategy,
      firstStatusesMs: Math.max(...firstStatus.values()) - spawnedAt,
      wrongResults,
      outputKiB,
      perApi
    }
  } finally {
    await em.close()
  }
}

/** What the flow outputs for the execution of `index`: its index, padded to `kib` KiB. */
function expectedOutput(index: number, kib: number): Record<string, unknown> {
  return kib > 0 ? { shard: index, pad: 'x'.repeat(kib * 1024) } : { shard: index }
}

/**
 * Rows: the step with batch status reads beside long polls only, measured in the same run, and
 * beside batch reads of executions with large outputs when there is that run.
 */
export function manyComparison(
  batch: ManyExecutionsResult,
  longPoll: ManyExecutionsResult,
  large?: ManyExecutionsResult
): string[] {
  const columns = large ? [batch, longPoll, large] : [batch, longPoll]
  const row = (measure: string, f: (m: ManyExecutionsResult) => string): string =>
    `| ${measure} | ${columns.map(f).join(' | ')} |`
  const rate = (m: ManyExecutionsResult, action: string): string => {
    const a = m.perApi.find((r) => r.action === action)
    return a ? `${a.perMinute.toFixed(0)} on average, ${a.peakPerMinute} in the busiest 60 s` : '0'
  }
  const actions = [...new Set(columns.flatMap((c) => c.perApi).map((a) => a.action))].sort()
  return [
    `| ${batch.executions} executions ending over 3 minutes, one step, the service's limits | ` +
      'batch status reads | long polls only (before), same run |' +
      (large ? ` batch status reads, ${large.outputKiB} KiB outputs |` : ''),
    `| --- | --- | --- |${large ? ' --- |' : ''}`,
    row("last execution's end → action's exit", (m) => seconds(m.lastEndToExitMs)),
    row('first status of every execution, after the spawn', (m) => seconds(m.firstStatusesMs)),
    row('429s surfaced (in the log) / received', (m) => `${m.throttledInLog} / ${m.throttled}`),
    row(
      'results right (status and output)',
      (m) => `${m.resultCount - m.wrongResults} of ${m.executions}`
    ),
    ...actions.map((action) =>
      row(`${action} requests a minute (bucket ${bucketOf(action)})`, (m) => rate(m, action))
    ),
    row('peak RSS of the action process', (m) => `${m.maxRssMiB.toFixed(0)} MiB`)
  ]
}

/** The most timestamps in any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++
    best = Math.max(best, hi - lo + 1)
  }
  return best
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'poller-seconds': { type: 'string', default: '120' },
      executions: { type: 'string', default: '1000' },
      // Only the one step following many executions: batch reads beside long polls only.
      'many-only': { type: 'boolean', default: false },
      // With --many-only: only batch reads of executions with outputs of this many KiB.
      'output-kib': { type: 'string' }
    }
  })
  if (values['many-only']) {
    const count = Number(values.executions)
    if (values['output-kib'] !== undefined) {
      const large = await benchManyExecutions(
        count,
        undefined,
        'batch',
        Number(values['output-kib'])
      )
      console.log(`Machine: ${machine()}`)
      console.log(JSON.stringify(large, null, 2))
      return
    }
    const [batch, longPoll] = await Promise.all([
      benchManyExecutions(count, undefined, 'batch'),
      benchManyExecutions(count, undefined, 'long-poll')
    ])
    console.log(`Machine: ${machine()}`)
    console.log(manyComparison(batch, longPoll).join('\n'))
    console.log(JSON.stringify({ batch, longPoll }, null, 2))
    return
  }
  const [pollers, many] = await Promise.all([
    benchPollers(POLLER_SIZES, Number(values['poller-seconds']) * 1000),
    benchManyExecutions(Number(values.executions))
  ])
  console.log(`Machine: ${machine()}`)
  console.log('| pollers | requests | 429s | pollers hit | first 429 | theory |')
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of pollers) {
    const theory = theoreticalFirstThrottleSeconds(r.pollers)
    console.log(
      `| ${r.pollers} | ${r.requests} | ${r.throttled} | ${r.pollersThrottled} | ` +
        `${r.firstThrottleMs === undefined ? '—' : seconds(r.firstThrottleMs)} | ` +
        `${theory === undefined ? 'never' : `${theory.toFixed(0)} s`} |`
    )
  }
  console.log(`Largest N with no 429: ${largestClean(pollers)}`)
  console.log(JSON.stringify(many, null, 2))
}

if (isMain(import.meta.url)) await main()
