/**
 * What live progress costs: GetExecutionHistory requests per hour of waiting. The bundled action
 * (dist/index.js, `npm run package` first) waits on executions that run one emulated hour and
 * change their running step every 5 emulated minutes. The emulator runs `speed`× real time (60 by
 * default) and the progress interval is shortened to 60 s / speed through the tests-only
 * FNF_WAIT_PROGRESS_INTERVAL_MS, so one interval is one emulated minute, as the product's 60 s is
 * at real speed.
 *
 *   npx tsx bench/progress.ts [--executions 1] [--minutes 60] [--speed 60]
 *
 * Prints one JSON line: history requests in total and per covered execution per emulated hour,
 * long polls, and the progress lines logged. About minutes × 60 / speed real seconds. With many
 * executions, lower the speed: squeezed 60×, 10 executions would ask for 10 pages a second and
 * meet the action's own GetExecutionHistory bucket (4 a second), which real time never does.
 */
import { parseArgs } from 'node:util'
import { DEMO_CREDENTIAL, startEmulator } from '../emulator/index.js'
import { runAction } from '../scripts/run-action.js'
import { distReady, log } from './common.js'

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      executions: { type: 'string', default: '1' },
      minutes: { type: 'string', default: '60' },
      speed: { type: 'string', default: '60' }
    }
  })
  const count = Number(values.executions)
  const minutes = Number(values.minutes)
  const speed = Number(values.speed)
  await distReady()
  const steps = Array.from({ length: Math.ceil(minutes / 5) }, (_, i) => ({
    type: 'task' as const,
    name: `stage-${i + 1}`,
    durationMs: Math.min(5, minutes - 5 * i) * 60_000
  }))
  const emulator = await startEmulator({ speed, flows: [{ name: 'hour', steps }] })
  try {
    const names = Array.from({ length: count }, (_, i) => `run-${i}`)
    for (const name of names) emulator.createExecution('hour', name)
    const started = emulator.now()
    log(`waiting on ${count} execution(s) of ${minutes} emulated minutes…`)
    const run = await runAction({
      inputs: {
        'flow-name': 'hour',
        'execution-name': names.join('\n'),
        endpoint: emulator.url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
        history: 'never'
      },
      env: { FNF_WAIT_PROGRESS_INTERVAL_MS: String(60_000 / speed) },
      killAfterMs: (minutes * 60_000) / speed + 60_000
    })
    const hours = (emulator.now() - started) / 3_600_000
    const history = emulator.count('GetExecutionHistory')
    const covered = Math.min(count, 10)
    console.log(
      JSON.stringify({
        exitCode: run.code,
        executions: count,
        emulatedMinutes: Math.round(hours * 600) / 10,
        historyRequests: history,
        historyRequestsPerExecutionHour: Math.round((history / covered / hours) * 10) / 10,
        describeRequests: emulator.count('DescribeExecution'),
        progressLines: run.stdout.split('\n').filter((l) => /^(\[[^\]]+\] )?Running:/.test(l))
          .length
      })
    )
  } finally {
    await emulator.close()
  }
}

await main()
