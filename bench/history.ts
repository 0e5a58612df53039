/**
 * The failure report at the service's maximum: an execution with 5000 history events of 32 KiB
 * each (peers.md §4). Runs the bundled action against the emulator and prints the
 * GetExecutionHistory requests, wall time, the action process's peak RSS and the summary's size.
 *
 *   npx tsx bench/history.ts
 */
import { cpus } from 'node:os'
import { resolve } from 'node:path'
import { DEMO_CREDENTIAL, startEmulator } from '../emulator/index.js'
import { runAction } from '../scripts/run-action.js'
import { adopt, isMain } from './common.js'

// 499 iterations × 10 events (IterationEntered … IterationExited around one task), 4 for the
// foreach step, 4 for a pass step, 1 unknown event type and 2 execution events: 5000.
const ITERATIONS = 499

export interface HistoryBenchResult {
  events: number
  requests: number
  wallMs: number
  maxRssMiB: number
  summaryBytes: number
  historyMiB: number
}

export async function benchHistory(iterations = ITERATIONS): Promise<HistoryBenchResult> {
  const emulator = await startEmulator({
    rateLimit: null,
    flows: [
      {
        name: 'huge-history',
        padBytes: 32 * 1024,
        steps: [
          { type: 'pass', name: 'prepare' },
          { type: 'custom', name: 'prepare', events: [{ type: 'MapRunStarted' }] },
          {
            type: 'foreach',
            name: 'each-shard',
            iterations,
            concurrency: 50,
            steps: [{ type: 'task', name: 'process-shard', durationMs: 1 }],
            failAt: { iteration: iterations - 1, step: 'process-shard' }
          }
        ]
      }
    ]
  })
  try {
    emulator.createExecution('huge-history', 'bench-1', {})
    // Let the execution end before the action starts, so the figures are the report's alone.
    while (emulator.execution('huge-history', 'bench-1')?.status === 'Running') {
      await new Promise((r) => setTimeout(r, 50))
    }
    const started = Date.now()
    const run = await runAction({
      inputs: {
        'flow-name': 'huge-history',
        'execution-name': 'bench-1',
        endpoint: emulator.url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
      },
      nodeArgs: ['--import', resolve(import.meta.dirname, 'max-rss.mjs')],
      killAfterMs: 300_000,
      onLine: (_line, child) => adopt(child)
    })
    const wallMs = Date.now() - started
    const rss = /max-rss-kib=(\d+)/.exec(run.stderr)
    if (run.code !== 1 || !rss)
      throw new Error(`unexpected run: code ${run.code}\n${run.stdout}\n${run.stderr}`)
    const history = emulator.requests.filter((r) => r.action === 'GetExecutionHistory')
    return {
      events: Number(run.outputs['history-events']),
      requests: history.length,
      wallMs,
      maxRssMiB: Number(rss[1]) / 1024,
      summaryBytes: Buffer.byteLength(run.summary),
      historyMiB: (Number(run.outputs['history-events']) * 32) / 1024
    }
  } finally {
    await emulator.close()
  }
}

if (isMain(import.meta.url)) {
  // A tenth of the history beside the full one: equal peaks mean memory does not grow with it.
  const small = await benchHistory(49)
  const r = await benchHistory()
  console.log(
    `Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`
  )
  console.log(`| history | ${small.events} events × 32 KiB | ${r.events} events × 32 KiB |`)
  console.log('| --- | --- | --- |')
  console.log(
    `| event details read | ${small.historyMiB.toFixed(0)} MiB | ${r.historyMiB.toFixed(0)} MiB |`
  )
  console.log(`| GetExecutionHistory requests | ${small.requests} | ${r.requests} |`)
  console.log(
    `| wall time of the action | ${(small.wallMs / 1000).toFixed(1)} s | ${(r.wallMs / 1000).toFixed(1)} s |`
  )
  console.log(
    `| peak RSS of the action process | ${small.maxRssMiB.toFixed(0)} MiB | ${r.maxRssMiB.toFixed(0)} MiB |`
  )
  console.log(
    `| job summary | ${small.summaryBytes.toLocaleString('en-US')} bytes | ${r.summaryBytes.toLocaleString('en-US')} bytes |`
  )
}
