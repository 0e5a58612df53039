/**
 * src/http/undici-lean.mjs stands in for undici's index in the bundle (scripts/package.mjs maps
 * every `undici` import to it). A name it does not export would be `undefined` in the bundle
 * without a word from the bundler (the importers are ES modules importing a CommonJS package), so
 * this checks every import of `undici` in what the bundle holds, and that the parts behave as
 * undici's own.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

/** Runtime dependencies whose code the bundle holds and that import undici. */
const BUNDLED = ['src', 'node_modules/@actions/http-client']

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === '__tests__' ? [] : sources(path)
    return /\.(c|m)?[jt]s$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** Names imported as values from `undici` in `text`; `*` for a namespace import. */
function undiciImports(text: string): string[] {
  const names: string[] = []
  for (const m of text.matchAll(/import\s+(type\s+)?([^'"]*?)\s+from\s+['"]undici['"]/g)) {
    if (m[1]) continue
    const clause = m[2]!
    if (/\*\s+as/.test(clause)) names.push('*')
    const braces = /\{([^}]*)\}/.exec(clause)
    for (const part of braces?.[1]?.split(',') ?? []) {
      const spec = part.trim()
      if (spec === '' || spec.startsWith('type ')) continue
      names.push(spec.split(/\s+as\s+/)[0]!.trim())
    }
  }
  // CommonJS (as @actions/http-client 3 was): `const u = require("undici")`, then `u.Name`.
  const assigned = [
    ...text.matchAll(/(?:const|var|let)\s+(\w+)\s*=\s*require\(\s*['"]undici['"]\s*\)/g)
  ]
  for (const m of assigned) {
    for (const use of text.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, 'g'))) names.push(use[1]!)
  }
  // Any other use of the module as a whole.
  if ([...text.matchAll(/require\(\s*['"]undici['"]\s*\)/g)].length > assigned.length)
    names.push('*')
  return names
}

describe('the lean undici of the bundle', () => {
  let lean: Record<string, unknown>
  let server: Server
  let url: string

  beforeAll(async () => {
    lean = await import('../../src/http/undici-lean.mjs')
    server = createServer((req, res) => res.end(`hello ${req.method} ${req.url}`))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((r) => server.close(r))
  })

  it('exports every name the bundled code imports from undici', () => {
    const wanted = new Map<string, string[]>()
    for (const dir of BUNDLED) {
      for (const file of sources(join(ROOT, dir))) {
        for (const name of undiciImports(readFileSync(file, 'utf8'))) {
          wanted.set(name, [...(wanted.get(name) ?? []), file.slice(ROOT.length + 1)])
        }
      }
    }
    // What the bundle imports today: a change here is a change to check undici-lean.mjs against.
    expect([...wanted.keys()].sort()).toEqual(['Agent', 'EnvHttpProxyAgent', 'ProxyAgent'])
    for (const [name, files] of wanted) {
      expect({ name, files, exported: typeof lean[name] }).toEqual({
        name,
        files,
        exported: 'function'
      })
    }
  })

  it("hands out undici's own classes", async () => {
    const undici = await import('undici')
    expect(lean.EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent)
    expect(lean.ProxyAgent).toBe(undici.ProxyAgent)
    expect(lean.Agent).toBe(undici.Agent)
    expect(lean.Dispatcher).toBe(undici.Dispatcher)
  })

  it('gives its dispatchers request()', async () => {
    const Agent = lean.EnvHttpProxyAgent as typeof import('undici').EnvHttpProxyAgent
    const agent = new Agent()
    try {
      const res = await agent.request({ origin: url, path: '/x?y=1', method: 'POST' })
      expect(res.statusCode).toBe(200)
      expect(await res.body.text()).toBe('hello POST /x?y=1')
    } finally {
      await agent.close()
    }
  })
})
