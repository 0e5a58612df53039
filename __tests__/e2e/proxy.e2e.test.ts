/**
 * End-to-end: the bundle honours HTTP(S)_PROXY and NO_PROXY, as self-hosted runners behind a proxy
 * set them. The bundle loads a lean undici (src/http/undici-lean.mjs, scripts/package.mjs) in
 * place of undici's index: this runs its proxy path for real, through a local proxy that records
 * what it forwards.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_CREDENTIAL, startEmulator, type Emulator } from '../../emulator/index.js'
import { runAction } from '../../scripts/run-action.js'
import { startGitHubFake } from '../support/github-fake.js'

let emulator: Emulator
let proxy: Server
let proxyUrl: string
/** What the proxy forwarded: `CONNECT host:port` tunnels and `METHOD url` plain requests. */
const forwarded: string[] = []
const sockets = new Set<Socket>()
let serial = 0

beforeAll(async () => {
  emulator = await startEmulator({
    rateLimit: null,
    flows: [{ name: 'done', steps: [{ type: 'pass', name: 'deploy' }] }]
  })
  proxy = createServer((req, res) => {
    // A plain forward (absolute-form request line), should undici not tunnel plain http.
    forwarded.push(`${req.method} ${req.url}`)
    const upstream = request(req.url!, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode!, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  proxy.on('connect', (req, client: Socket, head: Buffer) => {
    forwarded.push(`CONNECT ${req.url}`)
    const [host, port] = req.url!.split(':')
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => undefined)
    }
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
})

afterAll(async () => {
  for (const s of sockets) s.destroy()
  await new Promise((resolve) => proxy.close(resolve))
  await emulator.close()
})

/** An execution of a flow that ends by itself (one pass step), whenever the action reads it. */
function execution(): string {
  const name = `proxied-${process.pid}-${++serial}`
  emulator.createExecution('done', name)
  return name
}

function inputs(name: string): Record<string, string> {
  return {
    'flow-name': 'done',
    'execution-name': name,
    endpoint: emulator.url,
    'access-key-id': DEMO_CREDENTIAL.accessKeyId,
    'access-key-secret': DEMO_CREDENTIAL.accessKeySecret
  }
}

describe('proxy environment', () => {
  it('sends every request through HTTP_PROXY', async () => {
    const name = execution()
    forwarded.length = 0
    const run = await runAction({
      inputs: inputs(name),
      env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl },
      killAfterMs: 30_000
    })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('Succeeded')
    const target = new URL(emulator.url).host
    expect(forwarded.length).toBeGreaterThan(0)
    for (const line of forwarded) {
      expect(
        line === `CONNECT ${target}` ||
          (/^[A-Z]+ /.test(line) && line.includes(` ${emulator.url}/`))
      ).toBe(true)
    }
    expect(emulator.requests.some((r) => r.params.ExecutionName === name)).toBe(true)
  })

  it('goes direct to the hosts NO_PROXY names', async () => {
    const name = execution()
    forwarded.length = 0
    const run = await runAction({
      inputs: inputs(name),
      env: { HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' },
      killAfterMs: 30_000
    })
    expect(run.code).toBe(0)
    expect(run.outputs.status).toBe('Succeeded')
    expect(forwarded).toEqual([])
    expect(emulator.requests.some((r) => r.params.ExecutionName === name)).toBe(true)
  })

  it("sends the PR comment's GitHub requests through HTTPS_PROXY / HTTP_PROXY too", async () => {
    const github = await startGitHubFake()
    try {
      const event = join(mkdtempSync(join(tmpdir(), 'fnf-wait-event-')), 'event.json')
      writeFileSync(
        event,
        JSON.stringify({
          pull_request: { number: 3 },
          repository: { name: 'app', owner: { login: 'octo' } }
        })
      )
      const name = execution()
      forwarded.length = 0
      const run = await runAction({
        inputs: { ...inputs(name), 'pr-comment': 'always', 'github-token': 'ghs_fake_token' },
        env: {
          HTTP_PROXY: proxyUrl,
          HTTPS_PROXY: proxyUrl,
          GITHUB_API_URL: github.url,
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: event
        },
        killAfterMs: 30_000
      })
      expect(run.code).toBe(0)
      expect(github.comments('octo', 'app', 3)).toHaveLength(1)
      const host = new URL(github.url).host
      const viaProxy = forwarded.filter(
        (line) => line === `CONNECT ${host}` || line.includes(` ${github.url}/`)
      )
      expect(viaProxy.length).toBeGreaterThan(0)
    } finally {
      await github.close()
    }
  })
})
