/**
 * How many DescribeExecution (WaitTimeSeconds=0) requests per second the emulator answers over
 * keep-alive connections: 8 undici clients for ~5 s, in this process, rate limit off.
 *
 *   npx tsx bench/emulator-throughput.ts [--seconds 5] [--clients 8]
 *
 * Requests are signed by a small local signer (checked once against @alicloud/openapi-util), so
 * the client side costs little next to the server, which verifies each one with openapi-util.
 */
import { createHmac, randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import OpenApiUtil from '@alicloud/openapi-util'
import { Client } from 'undici'
import { DEMO_CREDENTIAL, startEmulator } from '../emulator/index.js'
import { rpcTimestamp } from '../emulator/raw-rpc.js'

function encode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
}

/** The RPC HMAC-SHA1 signature; returns the query string with Signature appended. */
function signedQuery(params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k] ?? '')}`)
    .join('&')
  const signature = createHmac('sha1', `${secret}&`)
    .update(`GET&%2F&${encode(canonical)}`)
    .digest('base64')
  return `${canonical}&Signature=${encode(signature)}`
}

function describeParams(): Record<string, string> {
  return {
    Action: 'DescribeExecution',
    Version: '2019-03-15',
    Format: 'JSON',
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: randomUUID(),
    Timestamp: rpcTimestamp(Date.now()),
    AccessKeyId: DEMO_CREDENTIAL.accessKeyId,
    FlowName: 'bench',
    ExecutionName: 'bench-1',
    WaitTimeSeconds: '0'
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      clients: { type: 'string', default: '8' }
    }
  })
  const seconds = Number(values.seconds)
  const clientCount = Number(values.clients)

  // The local signer must agree with Alibaba's, or every request would be a 403.
  const probe = describeParams()
  const reference = OpenApiUtil.default.getRPCSignature(
    probe,
    'GET',
    DEMO_CREDENTIAL.accessKeySecret
  )
  if (
    !signedQuery(probe, DEMO_CREDENTIAL.accessKeySecret).endsWith(`Signature=${encode(reference)}`)
  ) {
    throw new Error('local signer disagrees with @alicloud/openapi-util')
  }

  const emu = await startEmulator({
    rateLimit: null,
    flows: [{ name: 'bench', steps: [{ type: 'wait', name: 'w', durationMs: 3_600_000 }] }]
  })
  emu.createExecution('bench', 'bench-1')
  const clients = Array.from({ length: clientCount }, () => new Client(emu.url, { pipelining: 1 }))

  let ok = 0
  let failed = 0
  const deadline = performance.now() + seconds * 1000
  const started = performance.now()
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const path = `/?${signedQuery(describeParams(), DEMO_CREDENTIAL.accessKeySecret)}`
        const res = await client.request({ path, method: 'GET' })
        await res.body.text()
        if (res.statusCode === 200) ok++
        else failed++
      }
    })
  )
  const elapsed = (performance.now() - started) / 1000

  await Promise.all(clients.map((c) => c.close()))
  await emu.close()
  const rate = Math.round(ok / elapsed)
  console.log(
    `DescribeExecution (WaitTimeSeconds=0): ${rate} requests/s ` +
      `(${ok} ok, ${failed} failed, ${clientCount} keep-alive clients, ${elapsed.toFixed(1)} s, Node ${process.version})`
  )
  if (failed > 0) process.exitCode = 1
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
