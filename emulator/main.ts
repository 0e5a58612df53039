/**
 * Runs the emulator as a process: `npx tsx emulator/main.ts [--port N] [--speed X]
 * [--no-executions] [--no-rate-limit] [--clock-skew-ms N]`.
 *
 * Beside the FnF API it serves keyless auth (./keyless.ts): a local STS for AssumeRoleWithOIDC and
 * the runner's ID-token endpoint, on the next two ports after --port (free ports without it).
 *
 * The FIRST stdout line is one JSON object with the endpoint, the credential, the executions it
 * started, the STS endpoint with the OIDC provider and role it trusts, and the ID-token variables,
 * so scripts can read it; everything else goes to stderr. SIGINT/SIGTERM stop it (exit 0).
 * FNF_EMULATOR_NO_EXECUTIONS=1 is the same as --no-executions (flows only, nothing started).
 */
import { parseArgs } from 'node:util'
import { DEMO_FLOWS } from './demo-flows.js'
import { DEMO_CREDENTIAL, startEmulator } from './index.js'
import { keylessPorts, startKeyless } from './keyless.js'

const DEMO_INPUTS: Record<string, unknown> = {
  'release-pipeline': { version: '1.4.2', environment: 'staging' },
  'nightly-etl': { date: new Date().toISOString().slice(0, 10) }
}

function numberFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(value)) {
    console.error(`fnf emulator: --${name} must be a number, got '${raw}'`)
    process.exit(2)
  }
  return value
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      speed: { type: 'string' },
      'clock-skew-ms': { type: 'string' },
      'no-executions': { type: 'boolean', default: false },
      'no-rate-limit': { type: 'boolean', default: false }
    }
  })
  const noExecutions = values['no-executions'] || process.env.FNF_EMULATOR_NO_EXECUTIONS === '1'
  const port = numberFlag('port', values.port, 0)
  const emulator = await startEmulator({
    port,
    speed: numberFlag('speed', values.speed, 1),
    clockSkewMs: numberFlag('clock-skew-ms', values['clock-skew-ms'], 0),
    ...(values['no-rate-limit'] ? { rateLimit: null } : {}),
    flows: DEMO_FLOWS
  })
  const keyless = await startKeyless(emulator, keylessPorts(port))

  const suffix = Date.now().toString(36)
  const executions = noExecutions
    ? []
    : DEMO_FLOWS.map((flow) => {
        const name = `demo-${suffix}`
        emulator.createExecution(flow.name, name, DEMO_INPUTS[flow.name] ?? {})
        return { flow: flow.name, name }
      })

  process.stdout.write(
    JSON.stringify({
      endpoint: emulator.url,
      accessKeyId: DEMO_CREDENTIAL.accessKeyId,
      accessKeySecret: DEMO_CREDENTIAL.accessKeySecret,
      executions,
      ...keyless.info
    }) + '\n'
  )
  console.error(
    `fnf emulator: listening on ${emulator.url}; flows: ${DEMO_FLOWS.map((f) => f.name).join(', ')}; ` +
      `STS on ${keyless.sts.url}; ID tokens on ${keyless.idToken.url}`
  )

  const stop = (signal: string): void => {
    console.error(`fnf emulator: ${signal}, stopping`)
    Promise.all([emulator.close(), keyless.close()]).then(
      () => process.exit(0),
      () => process.exit(0)
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((err: unknown) => {
  console.error('fnf emulator: failed to start:', err)
  process.exit(1)
})
