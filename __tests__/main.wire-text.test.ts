/**
 * Text from the wire is hostile. Through run() in process (fake @actions/core, the real emulator
 * on 127.0.0.1): whatever the endpoint, a proxy or the flow's own data says, no workflow command,
 * raw markup or credential (in any encoding) reaches the log, the summary or the outputs.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import { ENV, fake, run, useHarness } from './support/harness.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { clearSecrets } from '../src/base/secrets.js'
import { startGitHubFake } from './support/github-fake.js'
import { encodings } from './support/encodings.js'
import { HOSTILE_PAYLOADS, textProblems } from './support/hostile-lines.js'

const CREDENTIAL = {
  accessKeyId: 'LTAI5tHardeningKey',
  accessKeySecret: 'hardening+Secret/With=Chars&<x>',
  securityToken: 'CAIS+hardening/Token=Value"q"'
}
const GITHUB_TOKEN = 'ghs_hardeningToken0123456789'
const SECRETS = [CREDENTIAL.accessKeySecret, CREDENTIAL.securityToken, GITHUB_TOKEN]

/** Every secret in every encoding, plus commands and markup, in one text. */
function hostileText(): string {
  const echoes = SECRETS.flatMap((s) => Object.values(encodings(s)))
  return [
    '::add-mask::x',
    '::stop-commands::pwned',
    'mid-line ##[error]injected',
    '<img src=x onerror=alert(1)>',
    'echo /?Action=X&Signature=c2lnbmF0dXJl%3D&SecurityToken=abc%2Bdef',
    ...HOSTILE_PAYLOADS,
    ...echoes
  ].join('\n')
}

/** A step name that is every payload at once, on one line (names hold no newline). */
const HOSTILE_NAME = HOSTILE_PAYLOADS.map((p) => p.replace(/[\r\n]/g, ' ')).join(' ')

const h = useHarness({
  credential: CREDENTIAL,
  flows: [
    { name: 'quiet', steps: [{ type: 'task', name: 'noop', durationMs: 0 }] },
    {
      name: 'leaky',
      steps: [{ type: 'fail', name: 'leak', error: 'Leak.Error', cause: hostileText() }]
    },
    {
      // Live progress prints step names (Running: …) and caught causes (Caught: …).
      name: 'noisy',
      hold: true,
      steps: [
        {
          type: 'pass',
          name: `caught ${HOSTILE_NAME}`,
          catch: true,
          fail: { error: '\u00a0::error::E', cause: hostileText() }
        },
        { type: 'task', name: `running ${HOSTILE_NAME}`, durationMs: 3_600_000 }
      ]
    }
  ]
})
beforeEach(() => clearSecrets())

function given(flow: string, extra: Record<string, string> = {}): string {
  const name = h.unique(flow)
  h.given([name], flow, { 'github-token': GITHUB_TOKEN, ...extra })
  return name
}

/** Everything the step wrote: log lines (failure included), summary, outputs. */
function written(): Record<string, string> {
  return {
    log: fake.log.join('\n'),
    summary: fake.summary,
    ...Object.fromEntries([...fake.outputs].map(([k, v]) => [`output ${k}`, v]))
  }
}

/** Which hostile things got through, per sink: the test expects none. */
function leaks(): string[] {
  const found: string[] = []
  for (const [sink, text] of Object.entries(written())) {
    if (sink === 'log') {
      // The log is where the runner reads commands: `::` after whatever its TrimStart removes,
      // `##[` anywhere; and no bidi or zero-width character may change how a line reads.
      for (const message of fake.log) {
        found.push(...textProblems(message.replace(/^(info|warning|error|debug|notice): /, '')))
      }
      for (const a of fake.annotations) found.push(...textProblems(a.title ?? ''))
    }
    // Raw markup outside fenced code (a fence shows its content verbatim).
    const unfenced = text.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '')
    if (sink === 'summary' && /<img/i.test(unfenced)) found.push(`${sink}: markup`)
    if (/Signature=c2ln|SecurityToken=abc/.test(text)) found.push(`${sink}: signature`)
    for (const secret of SECRETS) {
      for (const [name, encoded] of Object.entries(encodings(secret))) {
        const probe = name.startsWith('base64') ? encoded.slice(8, 20) : encoded
        if (text.includes(probe)) found.push(`${sink}: ${secret.slice(0, 8)} as ${name}`)
      }
    }
  }
  return found
}

describe('wire text and secrets, through run()', () => {
  it('an error answer (Code, Message, RequestId) from a hostile endpoint', async () => {
    given('quiet')
    h.emulator.injectFault({
      kind: 'answer',
      action: 'DescribeExecution',
      status: 400,
      body: JSON.stringify({
        Code: '::add-mask::code',
        Message: hostileText(),
        RequestId: '##[error]request-id'
      })
    })
    await run(ENV)
    expect(fake.failed).toMatch(/DescribeExecution failed: HTTP 400/)
    expect(leaks()).toEqual([])
  })

  it("a proxy's HTML page", async () => {
    given('quiet')
    h.emulator.injectFault({
      kind: 'answer',
      action: 'DescribeExecution',
      status: 403,
      contentType: 'text/html',
      body: `<html><body><h1>Blocked</h1>${hostileText()}</body></html>`
    })
    await run(ENV)
    expect(fake.failed).toMatch(/InvalidResponse/)
    expect(leaks()).toEqual([])
  })

  it('a success answer whose Status, times and RequestId are hostile', async () => {
    const name = given('quiet', { wait: 'false' })
    h.emulator.injectFault({
      kind: 'answer',
      action: 'DescribeExecution',
      body: JSON.stringify({
        Name: name,
        FlowName: 'quiet',
        Status: `::stop-commands::${CREDENTIAL.securityToken}`,
        StartedTime: '##[error]t <img src=x>',
        StoppedTime: hostileText(),
        RequestId: '::add-mask::id'
      })
    })
    await run(ENV)
    expect(fake.log.join('\n')).toMatch(/stop-commands/) // shown, but harmless
    expect(leaks()).toEqual([])
  })

  it('a failure whose cause echoes the credentials: outputs, summary and annotations', async () => {
    given('leaky')
    await run(ENV)
    expect(fake.outputs.get('error')).toBe('Leak.Error')
    expect(fake.outputs.get('cause')).toContain('***')
    expect(fake.summary).toContain('Leak.Error')
    expect(leaks()).toEqual([])
  })

  it("GitHub's html_url and error text for the PR comment are printed safe", async () => {
    const github = await startGitHubFake()
    try {
      const dir = mkdtempSync(join(tmpdir(), 'fnf-wait-event-'))
      const event = join(dir, 'event.json')
      writeFileSync(
        event,
        JSON.stringify({ number: 7, repository: { name: 'app', owner: { login: 'acme' } } })
      )
      github.failWith('POST', /\/comments$/, 201, {
        body: { id: 1, html_url: `::add-mask::x\n##[error]y\n${GITHUB_TOKEN}` }
      })
      given('leaky', { 'pr-comment': 'always' })
      await run({
        ...ENV,
        GITHUB_API_URL: github.url,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: event
      })
      expect(fake.log.join('\n')).toMatch(/Pull request comment created/)
      expect(leaks()).toEqual([])
      // The comment body GitHub got holds no credential either.
      const posted = JSON.stringify(github.requests.find((r) => r.method === 'POST')?.body)
      expect(posted).not.toContain(CREDENTIAL.accessKeySecret)
      expect(posted).not.toContain(GITHUB_TOKEN)
    } finally {
      await github.close()
    }
  })

  it('live progress: step names (Running: …) and caught causes (Caught: …)', async () => {
    const name = given('noisy')
    const running = run({ ...ENV, FNF_WAIT_PROGRESS_INTERVAL_MS: '250' })
    await h.whenHeld(name, running)
    await h.emulator.waitForRequest(
      (r) =>
        r.action === 'GetExecutionHistory' && r.params.ExecutionName === name && r.status === 200
    )
    await h.until(() => fake.log.some((l) => l.startsWith('info: Running: ')), running)
    h.emulator.release('noisy', name, { status: 'Succeeded' })
    await running
    const log = fake.log.join('\n')
    expect(log).toMatch(/^info: Caught: /m)
    expect(log).toMatch(/after-ideographic-space/)
    expect(leaks()).toEqual([])
  })

  it("a retry's message (a 5xx whose Message is hostile)", async () => {
    given('quiet')
    h.emulator.injectFault({
      kind: 'answer',
      action: 'DescribeExecution',
      status: 503,
      body: JSON.stringify({ Code: '\u3000::add-mask::code', Message: hostileText() })
    })
    await run(ENV)
    expect(fake.log.join('\n')).toMatch(/retry/i)
    expect(leaks()).toEqual([])
  })
})
