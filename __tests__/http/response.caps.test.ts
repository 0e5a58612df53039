/**
 * Response bodies are read with a cap per API: an endpoint (or proxy) that answers without end
 * costs at most the cap, and the step gets a clear error naming the API and the cap. The server
 * here streams for as long as anyone reads; the test waits for the client's error, never a time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { assumeRoleWithOidc, STS_RESPONSE_CAP_BYTES } from '../../src/auth/sts.js'
import { FnfClient, responseCapBytes } from '../../src/fnf/client.js'
import { GITHUB_RESPONSE_CAP_BYTES, GitHubRest } from '../../src/github/rest.js'
import { createDispatcher } from '../../src/http/dispatcher.js'

const CHUNK = Buffer.alloc(64 * 1024, 'a')
let server: http.Server
let url = ''
/** Bytes the server got to write before the client hung up, per request. */
const written: number[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume()
    res.writeHead(200, { 'content-type': 'application/json' })
    let sent = 0
    const slot = written.push(0) - 1
    const pump = (): void => {
      while (!res.destroyed) {
        sent += CHUNK.length
        written[slot] = sent
        if (!res.write(CHUNK)) return void res.once('drain', pump)
      }
    }
    res.on('close', () => undefined)
    pump()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const MiB = 1024 * 1024

describe('response body caps', () => {
  it('sizes caps from what the service can send', () => {
    expect(responseCapBytes('DescribeExecution')).toBe(16 * MiB)
    expect(responseCapBytes('GetExecutionHistory', 100)).toBe(100 * 256 * 1024 + MiB)
    expect(responseCapBytes('GetExecutionHistory', 1)).toBe(256 * 1024 + MiB)
    expect(STS_RESPONSE_CAP_BYTES).toBe(64 * 1024)
    expect(GITHUB_RESPONSE_CAP_BYTES).toBe(32 * MiB)
  })

  it.each([
    ['DescribeExecution', 16 * MiB],
    ['GetExecutionHistory', 256 * 1024 + MiB]
  ])(
    '%s: an endless answer is cut at the cap, with a clear error, not retried',
    async (action, cap) => {
      const dispatcher = createDispatcher()
      const client = new FnfClient({
        endpoint: url,
        dispatcher,
        credentials: () => ({ accessKeyId: 'id', accessKeySecret: 'secret' }),
        sleep: async () => undefined
      })
      const before = written.length
      const call =
        action === 'DescribeExecution'
          ? client.describeExecution({ flowName: 'f', executionName: 'e' })
          : client.getExecutionHistory({ flowName: 'f', executionName: 'e', limit: 1 })
      await expect(call).rejects.toMatchObject({
        code: 'ResponseTooLarge',
        message: expect.stringContaining(
          `${action} failed: ResponseTooLarge: the answer was larger than`
        )
      })
      expect(written.length - before).toBe(1) // not retried
      expect(client.stats.requests).toBe(1)
      // It stopped reading near the cap (socket buffers hold a few MiB more at most).
      expect(written.at(-1)!).toBeLessThan(cap + 16 * MiB)
      await dispatcher.close()
    }
  )

  it('STS: an endless answer is cut at 64 KiB', async () => {
    const dispatcher = createDispatcher()
    await expect(
      assumeRoleWithOidc(
        {
          endpoint: url,
          roleArn: 'acs:ram::1:role/r',
          oidcProviderArn: 'acs:ram::1:oidc-provider/p',
          oidcToken: 'header.payload.signature',
          roleSessionName: 's',
          durationSeconds: 900
        },
        { dispatcher, sleep: async () => undefined }
      )
    ).rejects.toMatchObject({
      code: 'ResponseTooLarge',
      message: expect.stringContaining('64 KiB')
    })
    await dispatcher.close()
  })

  it('GitHub: an endless answer is cut at 32 MiB', async () => {
    const dispatcher = createDispatcher()
    const github = new GitHubRest({
      token: 'ghs_test',
      apiUrl: url,
      deadline: Date.now() + 600_000,
      dispatcher
    })
    const res = await github.request('GET', '/repos/acme/app/issues/7/comments')
    expect(res).toMatchObject({ ok: false, kind: 'unanswered', code: 'ResponseTooLarge' })
    expect(!res.ok && res.kind === 'unanswered' && res.detail).toContain('32 MiB')
    expect(written.at(-1)!).toBeLessThan(GITHUB_RESPONSE_CAP_BYTES + 16 * MiB)
    await dispatcher.close()
  })
})
