/**
 * `npm run bench`: every benchmark once, each figure next to a baseline measured in the same run,
 * printed as one markdown table (plus the 1000-execution figures on their own) on stdout; progress
 * on stderr. About 10 minutes on 2 cores. Needs dist/ (`npm run package`).
 *
 * The 2-minute poller groups run beside the 5-minute 1000-execution step: each has its own
 * emulator and AccessKey, so neither touches the other's rate limit, and both mostly sleep. The
 * latency and cold-start measures, which a busy machine would skew, run alone.
 */
import { rmSync } from 'node:fs'
import { benchColdStart, coldStartRatio, type ColdStartResult } from './cold-start.js'
import { log, machine, percentile, seconds } from './common.js'
import {
  benchManyExecutions,
  manyComparison,
  benchPollers,
  largestClean,
  POLLER_SIZES,
  theoreticalFirstThrottleSeconds,
  type ManyExecutionsResult,
  type PollerGroupResult
} from './concurrency.js'
import { benchHistory, type HistoryBenchResult } from './history.js'
import { bundlePoller, measureLatency, measureRequests, RUNS, type Waiter } from './wait.js'

const POLLER_SECONDS = 120
const MANY = 1000
/** The large-output run: each of the MANY executions outputs this much. */
const LARGE_OUTPUT_KIB = 200
const COLD_STARTS = 10

/** A failed measure is reported in its cells, and the others still run. */
async function attempt<T>(name: string, measure: () => Promise<T>): Promise<T | Error> {
  const started = Date.now()
  log(`${name}…`)
  try {
    const result = await measure()
    log(`${name}: done in ${seconds(Date.now() - started)}`)
    return result
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error))
    log(`${name} FAILED: ${failure.stack ?? failure.message}`)
    process.exitCode = 1
    return failure
  }
}

function failed(value: unknown): value is Error {
  return value instanceof Error
}

function cell(value: unknown, text: () => string): string {
  return failed(value) ? `failed: ${value.message.split('\n')[0]}` : text()
}

function mib(value: number): string {
  return `${value.toFixed(0)} MiB`
}

function bytes(value: number): string {
  return `${value.toLocaleString('en-US')} bytes`
}

function latencyCell(latency: Record<Waiter, number[]> | Error, waiter: Waiter): string {
  return cell(
    latency,
    () =>
      `${seconds(percentile((latency as Record<Waiter, number[]>)[waiter], 50))} ` +
      `(p90 ${seconds(percentile((latency as Record<Waiter, number[]>)[waiter], 90))})`
  )
}

function pollerCell(pollers: PollerGroupResult[] | Error): string {
  return cell(pollers, () => {
    const groups = pollers as PollerGroupResult[]
    const over = groups
      .filter((g) => g.throttled > 0)
      .map(
        (g) =>
          `${g.pollers}: ${g.throttled} 429s to ${g.pollersThrottled} pollers, first after ` +
          `${seconds(g.firstThrottleMs ?? NaN)}`
      )
    return (
      `**${largestClean(groups)}** independent 5-second pollers ` +
      `(tried ${groups.map((g) => g.pollers).join(', ')} for ${POLLER_SECONDS} s; ` +
      `${over.length > 0 ? over.join('; ') : 'none saw a 429'})`
    )
  })
}

function manyCell(many: ManyExecutionsResult | Error): string {
  return cell(many, () => {
    const m = many as ManyExecutionsResult
    return (
      `**${m.executions}** executions in one step: ${m.throttled} 429s from the service, ` +
      `${m.throttledInLog} in the log; ${m.describeRequests} requests`
    )
  })
}

function manyTable(many: ManyExecutionsResult | Error): string[] {
  if (failed(many)) return [`1000 executions: failed: ${many.message}`]
  const m = many
  return [
    `| ${m.executions} executions, one step, 50 burst / 5 per s | fnf-wait |`,
    '| --- | ---: |',
    `| DescribeExecution requests per minute | ${m.perMinute.toFixed(0)} on average, ` +
      `${m.peakPerMinute} in the busiest 60 s |`,
    `| 429s received | ${m.throttled} (${m.throttledInLog} in the log, ${m.retries} retries) |`,
    `| peak RSS of the action process | ${mib(m.maxRssMiB)} |`,
    `| last execution's end → action's exit | ${seconds(m.lastEndToExitMs)} |`
  ]
}

async function main(): Promise<void> {
  const started = Date.now()
  log(`machine: ${machine()}`)
  log('bundling bench/poller.ts…')
  const poller = bundlePoller()
  let requests: Record<Waiter, number> | Error
  let latency: Record<Waiter, number[]> | Error
  try {
    requests = await attempt('1. requests for a 10-minute wait', () => measureRequests(poller))
    latency = await attempt(`2. end-to-exit latency, ${RUNS} runs each`, () =>
      measureLatency(poller, RUNS)
    )
  } finally {
    rmSync(poller, { recursive: true, force: true })
  }
  const [pollers, manyPair] = await Promise.all([
    attempt(`3a. ${POLLER_SIZES.join('/')} pollers for ${POLLER_SECONDS} s`, () =>
      benchPollers(POLLER_SIZES, POLLER_SECONDS * 1000)
    ),
    // Batch status reads (today's) beside long polls only (before), side by side.
    attempt(`3b. one step waiting for ${MANY} executions, both ways`, () =>
      Promise.all([
        benchManyExecutions(MANY, undefined, 'batch'),
        benchManyExecutions(MANY, undefined, 'long-poll')
      ])
    )
  ])
  const many = failed(manyPair) ? manyPair : manyPair[0]
  // Alone: 200 MiB of outputs through listing pages or one read each, and into the output file.
  const large = await attempt(
    `3c. one step waiting for ${MANY} executions with ${LARGE_OUTPUT_KIB} KiB outputs`,
    () => benchManyExecutions(MANY, undefined, 'batch', LARGE_OUTPUT_KIB)
  )
  // 49 iterations of 10 events, plus 11: the 500-event history the bench has always set beside.
  const historySmall = await attempt('4a. history, 500 events', () => benchHistory(49))
  const history = await attempt('4b. history, 5000 events', () => benchHistory())
  const cold = await attempt(`5. cold start, ${COLD_STARTS} spawns each`, () =>
    benchColdStart(COLD_STARTS)
  )

  const h = (value: HistoryBenchResult | Error, text: (r: HistoryBenchResult) => string): string =>
    cell(value, () => text(value as HistoryBenchResult))
  const c = (text: (r: ColdStartResult) => string): string =>
    cell(cold, () => text(cold as ColdStartResult))
  const n = (value: Record<Waiter, number> | Error, waiter: Waiter): string =>
    cell(value, () => String((value as Record<Waiter, number>)[waiter]))
  const row = (measure: string, ours: string, baseline: string): string =>
    `| ${measure} | ${ours} | ${baseline} |`
  const smallEvents = failed(historySmall) ? 500 : historySmall.events
  const lines = [
    row('measure', 'fnf-wait', 'baseline, same run'),
    '| --- | --- | --- |',
    row(
      '1. DescribeExecution requests, one 10-minute execution',
      n(requests, 'action'),
      `${n(requests, 'poller')} (5-second poller)`
    ),
    row(
      `2. execution's end → process exit, median of ${RUNS}`,
      latencyCell(latency, 'action'),
      `${latencyCell(latency, 'poller')} (5-second poller)`
    ),
    row(
      '3. waiters one account sustains, no 429 reaching the user (50 burst, 5/s)',
      manyCell(many),
      pollerCell(pollers)
    ),
    row(
      '4. history of 5000 × 32 KiB events: GetExecutionHistory requests',
      h(history, (r) => String(r.requests)),
      `${h(historySmall, (r) => String(r.requests))} (${smallEvents} events)`
    ),
    row(
      '4. … wall time of the action',
      h(history, (r) => seconds(r.wallMs)),
      `${h(historySmall, (r) => seconds(r.wallMs))} (${smallEvents} events)`
    ),
    row(
      '4. … peak RSS of the action process',
      h(history, (r) => mib(r.maxRssMiB)),
      `${h(historySmall, (r) => mib(r.maxRssMiB))} (${smallEvents} events)`
    ),
    row(
      '4. … job summary',
      h(history, (r) => bytes(r.summaryBytes)),
      `${h(historySmall, (r) => bytes(r.summaryBytes))} (${smallEvents} events)`
    ),
    row(
      `5. cold start: spawn → first request at the emulator, median of ${COLD_STARTS}`,
      c(
        (r) =>
          `${seconds(percentile(r.action, 50))} (p90 ${seconds(percentile(r.action, 90))}), ` +
          `${coldStartRatio(r).toFixed(1)}× the baseline`
      ),
      c(
        (r) =>
          `${seconds(percentile(r.baseline, 50))} (p90 ${seconds(percentile(r.baseline, 90))}) ` +
          '(node + a 10-line ESM file sending one request)'
      )
    ),
    row(
      '5. … dist/index.js size (what every run loads)',
      c((r) => `${bytes(r.bundleBytes)}, ${bytes(r.bundleGzipBytes)} gzip -9`),
      '—'
    ),
    row(
      '5. … the other files in dist/ (chunks loaded on demand, source maps, licenses)',
      c((r) =>
        Object.entries(r.files)
          .filter(([name]) => name !== 'index.js')
          .map(([name, size]) => `${name} ${bytes(size)}`)
          .join(', ')
      ),
      '—'
    )
  ]
  const m = failed(many) ? undefined : many
  const notes = [
    `Machine: ${machine()}. Bench took ${seconds(Date.now() - started)}.`,
    '',
    '1: emulator speed 60, rate limit off, one execution of 10 emulated minutes each. ' +
      '2: speed 1; each execution ends ~2 s after its waiter is spawned; the poller is a 5 s ' +
      'poller bundled like the action, and its latency depends on where the end falls in its ' +
      'cycle (here ~2 s after its first read; ~2.5 s on average over random phases, 5 s at worst).',
    `3: real time, the emulator's DescribeExecution limit (50 burst, 5/s per key). Pollers: N ` +
      `loops in one process, FnfClient without limiter, maxAttempts 1, first reads spread over 5 s; ` +
      `theory: 25, the burst hiding the excess for 50 / (N/5 − 5) s (` +
      POLLER_SIZES.filter((s) => theoreticalFirstThrottleSeconds(s) !== undefined)
        .map((s) => `${s}: ${theoreticalFirstThrottleSeconds(s)!.toFixed(0)} s`)
        .join(', ') +
      `). fnf-wait: one action process, ${MANY} executions ending 10–180 s after the start ` +
      `(seeded), all succeeding` +
      (m
        ? `; exit ${m.exitCode}, status ${m.status}, ${m.resultCount} results, ` +
          `the last end ${seconds(m.lastEndAfterMs)} after the spawn, exit after ${seconds(m.wallMs)}`
        : '') +
      '. Past 40 running executions it reads their statuses with ListExecutions, 99 a page, ' +
      'statuses only, reads the outputs of those that ended from pages of each end status or one ' +
      'DescribeExecution each, and long-polls the last 40; long polls only (the baseline below) ' +
      'need 1000 first reads at the limiter’s 4/s, ~4 minutes. 1000 5-second pollers would need ' +
      `200/s. 3c: the same ${MANY} executions, alone, each with a ${LARGE_OUTPUT_KIB} KiB output ` +
      'that no page of 99 could carry' +
      (failed(large)
        ? `: failed: ${large.message}`
        : `; exit ${large.exitCode}, ${large.resultCount - large.wrongResults} of ` +
          `${large.executions} outputs right (from the output file), last end → exit ` +
          `${seconds(large.lastEndToExitMs)}, peak RSS ${mib(large.maxRssMiB)}`) +
      '.',
    '4: the bundled action on a failed execution whose history is read whole; the 500-event ' +
      'baseline fits in the limiter’s burst, the 5000-event one is paced at 4 pages/s.'
  ]
  console.log(lines.join('\n'))
  console.log('')
  console.log(manyTable(many).join('\n'))
  if (!failed(manyPair)) {
    console.log('')
    console.log(manyComparison(...manyPair, failed(large) ? undefined : large).join('\n'))
  }
  console.log('')
  console.log(notes.join('\n'))
}

await main()
