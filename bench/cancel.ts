/**
 * `npx tsx bench/cancel.ts [20 45 100]`: a cancel of a large fan-out at the documented rate limit
 * (the emulator's default buckets: StopExecution shares "other APIs", 10 then 2 a second). The
 * bundle starts N held executions; once it waits, it gets what a runner sends on cancel (SIGINT,
 * SIGTERM 7.5 s later, SIGKILL 2.5 s after that); then the post step runs with the state the
 * runner keeps. Prints, per N, how many executions were stopped within 7.5 s of the SIGINT and by
 * the end of the post step, and how long the post step took. Needs dist/ (`npm run package`).
 */
import { DEMO_CREDENTIAL, startEmulator } from '../emulator/index.js'
import { runAction } from '../scripts/run-action.js'
import { distReady, isMain, log, machine, seconds } from './common.js'

const WINDOW_MS = 7500
const KILL_MS = 10_000

export interface CancelFigures {
  started: number
  withinWindow: number
  byMain: number
  byPost: number
  postMs: number
}

export async function measureCancel(count: number): Promise<CancelFigures> {
  const emulator = await startEmulator({
    flows: [{ name: 'fanout', hold: true, steps: [{ type: 'task', name: 'work', durationMs: 0 }] }]
  })
  try {
    const names = Array.from({ length: count }, (_, i) => `fan-${String(i).padStart(3, '0')}`)
    const inputs = {
      'flow-name': 'fanout',
      'execution-name': names.join('\n'),
      start: 'true',
      progress: 'false',
      endpoint: emulator.url,
      'access-key-id': DEMO_CREDENTIAL.accessKeyId,
      'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
    }
    let cancelAt = 0
    const timers: NodeJS.Timeout[] = []
    const main = await runAction({
      inputs,
      killAfterMs: 60_000,
      onLine: (line, child) => {
        if (cancelAt || !line.startsWith(`Waiting for ${count} executions`)) return
        cancelAt = emulator.now()
        child.kill('SIGINT')
        timers.push(setTimeout(() => child.kill('SIGTERM'), WINDOW_MS))
        timers.push(setTimeout(() => child.kill('SIGKILL'), KILL_MS))
      }
    })
    for (const t of timers) clearTimeout(t)
    if (!cancelAt) throw new Error(`the main step never waited:\n${main.stdout}`)
    const stopped = () =>
      emulator.requests.filter((r) => r.action === 'StopExecution' && r.status === 200)
    const withinWindow = stopped().filter((r) => r.receivedAt <= cancelAt + WINDOW_MS).length
    const byMain = stopped().length
    const postStart = Date.now()
    await runAction({ inputs, state: main.state, killAfterMs: 300_000 })
    const postMs = Date.now() - postStart
    const byPost = names.filter((n) => emulator.execution('fanout', n)?.status === 'Stopped').length
    return { started: count, withinWindow, byMain, byPost, postMs }
  } finally {
    await emulator.close()
  }
}

if (isMain(import.meta.url)) {
  await distReady()
  const counts = process.argv.slice(2).map(Number)
  console.log(machine())
  console.log(
    '| started | stopped within 7.5 s | by the main step | by the end of the post step | post step took |'
  )
  console.log(
    '| ------- | -------------------- | ---------------- | --------------------------- | -------------- |'
  )
  for (const count of counts.length > 0 ? counts : [20, 45, 100]) {
    log(`cancel with ${count} started`)
    const f = await measureCancel(count)
    console.log(
      `| ${f.started} | ${f.withinWindow} | ${f.byMain} | ${f.byPost} | ${seconds(f.postMs)} |`
    )
  }
}
