/**
 * The step's one connection pool (src/http/dispatcher.ts): direct, or through the proxy the
 * environment names (EnvHttpProxyAgent reads it when created). The whole action behind a proxy
 * is e2e/proxy.e2e.test.ts.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { createDispatcher, sharedDispatcher } from '../../src/http/dispatcher.js'

const servers: http.Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function withEnv<T>(vars: Record<string, string | undefined>, make: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  try {
    return make()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

const NO_PROXY_ENV = {
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined
}

describe('createDispatcher', () => {
  it('goes direct when the environment names no proxy', async () => {
    const url = await serve((_req, res) => res.end('direct'))
    const dispatcher = withEnv(NO_PROXY_ENV, createDispatcher)
    const res = await request(url, { dispatcher })
    expect(await res.body.text()).toBe('direct')
    await dispatcher.close()
  })

  it('asks the proxy HTTP_PROXY names to reach the endpoint', async () => {
    const target = await serve((_req, res) => res.end('direct'))
    const proxy = http.createServer()
    servers.push(proxy)
    const asked = new Promise<string>((resolve) =>
      proxy.on('connect', (req, socket) => {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
        resolve(req.url ?? '')
      })
    )
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const dispatcher = withEnv({ ...NO_PROXY_ENV, HTTP_PROXY: proxyUrl }, createDispatcher)
    const failed = request(`${target}/x`, { dispatcher }).then(
      () => 'answered',
      () => 'refused'
    )
    expect(await asked).toBe(new URL(target).host)
    expect(await failed).toBe('refused')
    await dispatcher.close()
  })
})

describe('sharedDispatcher', () => {
  it('is one pool for every request made without a dispatcher of its own', () => {
    expect(sharedDispatcher()).toBe(sharedDispatcher())
  })
})
