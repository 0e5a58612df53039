/**
 * Cold start: from spawning `node dist/index.js` (as the runner does, through
 * scripts/run-action.ts) to its first request arriving at the emulator, next to the same measure
 * for node loading bench/first-request.mjs, a small ES module that sends one request (the floor
 * for any JavaScript action). Median of `runs` spawns of each, interleaved, and their ratio. Also
 * the size of dist/index.js (what every run loads) and of every file beside it (chunks loaded on
 * demand, source maps, licenses).
 *
 *   npx tsx bench/cold-start.ts [--runs 10]
 *
 * Needs dist/ (`npm run package`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../emulator/index.js'
import { DIST, runAction } from '../scripts/run-action.js'
import { adopt, distReady, isMain, log, machine, percentile, seconds } from './common.js'

const BASELINE = resolve(import.meta.dirname, 'first-request.mjs')

export interface ColdStartResult {
  runs: number
  /** Spawn to first request, ms, one per run. */
  action: number[]
  baseline: number[]
  bundleBytes: number
  bundleGzipBytes: number
  /** Every file in dist/, by name, in bytes. */
  files: Record<string, number>
}

/** Median spawn → first request of the action over that of bare node. */
export function coldStartRatio(r: ColdStartResult): number {
  return percentile(r.action, 50) / percentile(r.baseline, 50)
}

function distFiles(): Record<string, number> {
  const dir = dirname(DIST)
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [name, statSync(join(dir, name)).size])
  )
}

type Starter = 'action' | 'baseline'

/** Spawns one process and returns the ms from just before the spawn to its first request. */
async function spawnToFirstRequest(em: Emulator, starter: Starter): Promise<number> {
  const before = em.requests.length
  // The emulator stamps requests with its clock (at speed 1, real time read off the monotonic
  // clock); the start is read off the same clock so that the two are comparable.
  const spawnedAt = em.now()
  const run = await runAction({
    inputs: {
      'flow-name': 'done',
      'execution-name': 'cold-1',
      endpoint: em.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
    },
    // Node runs the first script it is given, so the baseline goes in front of DIST, which then
    // is a mere argument: both are spawned by the same code with the same environment.
    ...(starter === 'baseline' ? { nodeArgs: [BASELINE] } : {}),
    killAfterMs: 30_000,
    onLine: (_line, child) => adopt(child)
  })
  if (run.code !== 0) throw new Error(`${starter} exited ${run.code}\n${run.stdout}\n${run.stderr}`)
  const first = em.requests[before]
  if (!first) throw new Error(`${starter} sent no request`)
  return first.receivedAt - spawnedAt
}

export async function benchColdStart(runs = 10): Promise<ColdStartResult> {
  await distReady()
  const bundle = readFileSync(DIST)
  const em = await startEmulator({
    rateLimit: null,
    flows: [{ name: 'done', steps: [{ type: 'pass', name: 'deploy' }] }]
  })
  try {
    em.createExecution('done', 'cold-1')
    // Already ended, so that the action exits right after its first read.
    while (em.execution('done', 'cold-1')?.status === 'Running') {
      await new Promise((r) => setTimeout(r, 10))
    }
    const result: ColdStartResult = {
      runs,
      action: [],
      baseline: [],
      bundleBytes: bundle.length,
      bundleGzipBytes: gzipSync(bundle, { level: 9 }).length,
      files: distFiles()
    }
    // One spawn of each first, unmeasured, so that neither pays for a cold file cache.
    await spawnToFirstRequest(em, 'baseline')
    await spawnToFirstRequest(em, 'action')
    for (let i = 1; i <= runs; i++) {
      for (const starter of ['baseline', 'action'] as const) {
        result[starter].push(await spawnToFirstRequest(em, starter))
      }
      log(
        `cold start ${i}/${runs}: action ${seconds(result.action.at(-1)!)}, ` +
          `baseline ${seconds(result.baseline.at(-1)!)}`
      )
    }
    return result
  } finally {
    await em.close()
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } })
  const r = await benchColdStart(Number(values.runs))
  console.log(`Machine: ${machine()}`)
  console.log(`| spawn → first request | median of ${r.runs} | p90 |`)
  console.log('| --- | ---: | ---: |')
  console.log(
    `| node dist/index.js | ${seconds(percentile(r.action, 50))} | ${seconds(percentile(r.action, 90))} |`
  )
  console.log(
    `| node bench/first-request.mjs | ${seconds(percentile(r.baseline, 50))} | ` +
      `${seconds(percentile(r.baseline, 90))} |`
  )
  console.log(
    `| ratio | ${coldStartRatio(r).toFixed(1)}× bare node (median over median, same run) | |`
  )
  console.log('')
  console.log(
    `dist/index.js: ${r.bundleBytes.toLocaleString('en-US')} bytes, ` +
      `${r.bundleGzipBytes.toLocaleString('en-US')} bytes gzip -9`
  )
  console.log('| dist/ file | bytes |')
  console.log('| --- | ---: |')
  for (const [name, size] of Object.entries(r.files)) {
    console.log(`| ${name} | ${size.toLocaleString('en-US')} |`)
  }
}

if (isMain(import.meta.url)) await main()
