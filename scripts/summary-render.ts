/**
 * Renders a job summary the way GitHub shows it: GFM through markdown-it (HTML allowed, as in a
 * step summary), then every ```mermaid block through mermaid, in headless Chromium (Debian's
 * `chromium`, driven by playwright-core; no browser is ever downloaded). Mermaid is served from
 * node_modules on 127.0.0.1: the page loads nothing from the internet.
 *
 * Used by the render test (__tests__/summary-render.e2e.test.ts) and `npm run screenshot`.
 */
import { createServer, type Server } from 'node:http'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import MarkdownIt from 'markdown-it'
import { chromium } from 'playwright-core'
import { DEMO_CREDENTIAL, startEmulator } from '../emulator/index.js'
import { NIGHTLY_ETL } from '../emulator/demo-flows.js'
import { runAction } from './run-action.js'

/** Debian's chromium (.ci/run installs it), else the Chrome GitHub's Ubuntu runners come with. */
export const CHROMIUM =
  process.env.CHROMIUM_PATH ??
  ['/usr/bin/chromium', '/usr/bin/google-chrome'].find((p) => existsSync(p)) ??
  '/usr/bin/chromium'

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** The demo's failing run (nested failure) through dist/index.js against the emulator. */
export async function demoFailureSummary(): Promise<string> {
  const emulator = await startEmulator({ flows: [NIGHTLY_ETL] })
  try {
    const run = await runAction({
      inputs: {
        'flow-name': NIGHTLY_ETL.name,
        start: 'true',
        endpoint: emulator.url,
        'access-key-id': DEMO_CREDENTIAL.accessKeyId,
        'access-key-secret': DEMO_CREDENTIAL.accessKeySecret,
        timeout: '5m'
      },
      env: { GITHUB_RUN_ID: '1', GITHUB_JOB: 'demo' }
    })
    if (run.code !== 1) throw new Error(`demo run exited ${run.code}: ${run.stderr}`)
    return run.summary
  } finally {
    await emulator.close()
  }
}

/** GitHub-like markdown HTML; mermaid blocks become `<pre class="mermaid">` for mermaid.run(). */
export function summaryHtml(markdown: string): string {
  const md = new MarkdownIt({ html: true, linkify: true })
  const fence = md.renderer.rules.fence
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const token = tokens[idx]
    if (token !== undefined && token.info.trim() === 'mermaid') {
      return `<pre class="mermaid">${md.utils.escapeHtml(token.content)}</pre>\n`
    }
    return fence !== undefined
      ? fence(tokens, idx, options, env, self)
      : self.renderToken(tokens, idx, options)
  }
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Job summary</title><style>${CSS}</style></head>
<body><div class="box"><div class="head">nightly-etl summary</div><article class="markdown-body">
${md.render(markdown)}
</article></div>
<script src="/mermaid.min.js"></script>
<script>
  window.renderDone = (async () => {
    const errors = []
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' })
    try {
      await mermaid.run({ querySelector: 'pre.mermaid', suppressErrors: false })
    } catch (e) { errors.push(String(e && e.message || e)) }
    return errors
  })()
</script>
</body></html>`
}

export interface RenderResult {
  /** Errors mermaid threw, and its error diagrams (`.error-icon`) if it drew any. */
  errors: string[]
  diagrams: number
  /** Per diagram: task bars (`rect.task`) and their labels (`text.taskText`…). */
  charts: Array<{ bars: number; labels: string[]; crit: number; sections: string[] }>
  /** Elements flow text must never become (`img`, `b`, `iframe`…), as outer HTML. */
  injected: string[]
  /** `console.error` / page errors seen while rendering. */
  consoleErrors: string[]
}

/** Renders `markdown` in Chromium; writes a PNG of the page to `screenshot` if given. */
export async function renderSummary(
  markdown: string,
  opts: { screenshot?: string; width?: number; cutAfterChart?: boolean } = {}
): Promise<RenderResult> {
  const server = await serve(summaryHtml(markdown))
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS })
  try {
    const page = await browser.newPage({
      viewport: { width: opts.width ?? 1012, height: 800 },
      deviceScaleFactor: opts.screenshot !== undefined ? 2 : 1
    })
    const consoleErrors: string[] = []
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text())
    })
    page.on('pageerror', (e) => consoleErrors.push(e.message))
    const { port } = server.address() as AddressInfo
    await page.goto(`http://127.0.0.1:${port}/`)
    const errors = (await page.evaluate('window.renderDone')) as string[]
    const found = (await page.evaluate(`(() => {
      const out = { errors: [], diagrams: 0, charts: [], injected: [] }
      for (const el of document.querySelectorAll('img, b, iframe, object, embed, svg script')) {
        out.injected.push(el.outerHTML)
      }
      for (const pre of document.querySelectorAll('pre.mermaid')) {
        const svg = pre.querySelector('svg')
        if (!svg) continue
        out.diagrams += 1
        if (svg.querySelector('.error-icon, .error-text')) out.errors.push('mermaid drew an error diagram')
        out.charts.push({
          bars: svg.querySelectorAll('rect.task').length,
          // crit0…, doneCrit0…, activeCrit0…
          crit: [...svg.querySelectorAll('rect.task')].filter((r) => /crit/i.test(r.getAttribute('class'))).length,
          labels: [...svg.querySelectorAll('text[class*="taskText"]')].map((t) => t.textContent),
          sections: [...svg.querySelectorAll('text.sectionTitle')].map((t) => t.textContent)
        })
      }
      return out
    })()`)) as Omit<RenderResult, 'consoleErrors'>
    if (opts.screenshot !== undefined) {
      // The picture for the README: the summary's top (status, root cause, chart) is the point.
      if (opts.cutAfterChart === true) {
        await page.evaluate(`(() => {
          let el = document.querySelector('pre.mermaid')
          while (el && el.nextElementSibling) el.nextElementSibling.remove()
        })()`)
      }
      await page.locator('.box').screenshot({ path: opts.screenshot })
    }
    return { ...found, errors: [...errors, ...found.errors], consoleErrors }
  } finally {
    await browser.close()
    await new Promise((done) => server.close(done))
  }
}

function serve(html: string): Promise<Server> {
  const mermaidJs = readFileSync(
    createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'),
    'utf8'
  )
  const server = createServer((req, res) => {
    if (req.url === '/mermaid.min.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(mermaidJs)
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204).end() // so a missing icon is not a console error
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
    } else {
      res.writeHead(404).end()
    }
  })
  return new Promise((ready) => server.listen(0, '127.0.0.1', () => ready(server)))
}

// A trimmed copy of GitHub's markdown look (github-markdown-css, light), enough for a summary.
const CSS = `
body { margin: 0; padding: 16px; background: #fff; color: #1f2328;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial,
  sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"; }
.box { border: 1px solid #d1d9e0; border-radius: 6px; max-width: 980px; }
.head { padding: 12px 16px; border-bottom: 1px solid #d1d9e0; background: #f6f8fa;
  font-size: 14px; font-weight: 600; border-radius: 6px 6px 0 0; }
.markdown-body { padding: 16px 24px; font-size: 14px; line-height: 1.5; word-wrap: break-word; }
.markdown-body > *:first-child { margin-top: 0 !important; }
.markdown-body > *:last-child { margin-bottom: 0 !important; }
.markdown-body h3, .markdown-body h4 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h3 { font-size: 1.25em; } .markdown-body h4 { font-size: 1em; }
.markdown-body p, .markdown-body blockquote, .markdown-body ul, .markdown-body table,
.markdown-body pre, .markdown-body details { margin: 0 0 16px; }
.markdown-body code { padding: .2em .4em; font-size: 85%; background: rgba(129,139,152,.12);
  border-radius: 6px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.markdown-body pre { padding: 16px; overflow: auto; font-size: 85%; line-height: 1.45;
  background: #f6f8fa; border-radius: 6px; }
.markdown-body pre code { padding: 0; background: transparent; font-size: 100%; }
.markdown-body pre.mermaid { background: transparent; padding: 0; text-align: center; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block;
  width: max-content; max-width: 100%; overflow: auto; }
.markdown-body table th { font-weight: 600; }
.markdown-body table th, .markdown-body table td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body table tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
.markdown-body summary { cursor: pointer; }
.markdown-body a { color: #0969da; text-decoration: none; }
`
