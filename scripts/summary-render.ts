/**
 * Renders a job summary the way GitHub shows it: GFM through markdown-it (HTML allowed, as in a
 * step summary), then every ```mermaid block through mermaid, in the headless Chromium that
 * scripts/browser.ts launches (an npm package; no browser is ever downloaded). Mermaid and the
 * emoji font are served from node_modules on 127.0.0.1: the page loads nothing from the internet.
 *
 * Used by the render test (__tests__/e2e/summary-render.e2e.test.ts) and `npm run screenshot`.
 */
import { createServer, type Server } from 'node:http'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import MarkdownIt from 'markdown-it'
import type { Page } from 'playwright-core'
import { DEMO_CREDENTIAL, startEmulator } from '../emulator/index.js'
import { NIGHTLY_ETL } from '../emulator/demo-flows.js'
import { launchBrowser } from './browser.js'
import { runAction } from './run-action.js'

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
<html><head><meta charset="utf-8"><title>Job summary</title>
<link rel="stylesheet" href="${EMOJI_CSS}"><style>${CSS}</style></head>
<body><div class="box"><div class="head">nightly-etl summary</div><article class="markdown-body">
${md.render(markdown)}
</article></div>
<script src="/mermaid.min.js"></script>
<script>
  // Before anything is awaited: mermaid would otherwise draw every diagram itself on "load".
  const fontFamily = '"trebuchet ms", verdana, arial, sans-serif, "${EMOJI_FAMILY}"'
  // Mermaid's own font stack, then the emoji font (GitHub's viewers have one in the system).
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default', fontFamily })
  window.renderDone = (async () => {
    const errors = []
    try {
      // The emoji font comes in unicode ranges, each loaded when first used: load the ones this
      // summary needs before mermaid measures its labels.
      await document.fonts.load('16px "${EMOJI_FAMILY}"', document.querySelector('article').textContent)
    } catch (e) { errors.push('emoji font: ' + String(e && e.message || e)) }
    try {
      await mermaid.run({ querySelector: 'pre.mermaid', suppressErrors: false })
    } catch (e) { errors.push(String(e && e.message || e)) }
    return errors
  })()
</script>
</body></html>`
}

/** An element's text and the fonts Chromium drew it with (what DevTools shows). */
export interface TextFonts {
  text: string
  fonts: Array<{
    family: string
    /** Loaded by the page (`@font-face`), not found on the system. */
    webFont: boolean
    glyphs: number
  }>
}

export interface RenderResult {
  /** Errors mermaid threw, and its error diagrams (`.error-icon`) if it drew any. */
  errors: string[]
  diagrams: number
  /** Per diagram: task bars (`rect.task`) and their labels (`text.taskText`…). */
  charts: Array<{
    bars: number
    labels: string[]
    crit: number
    sections: string[]
    /** Labels drawn at another width than mermaid measured to place them, with both widths. */
    remeasured: string[]
  }>
  /** Elements flow text must never become (`img`, `b`, `iframe`…), as outer HTML. */
  injected: string[]
  /** `console.error` / page errors seen while rendering. */
  consoleErrors: string[]
  /** Every element of the summary (diagrams included) with text of its own, and its fonts. */
  fonts: TextFonts[]
}

export interface RenderOptions {
  /** Write a PNG of the page here. */
  screenshot?: string
  width?: number
  cutAfterChart?: boolean
  /** Another Chromium or Chrome than the packaged one (scripts/browser.ts). */
  executablePath?: string
}

/**
 * Renders `markdown` in Chromium. The page's server and the browser are closed on every path,
 * a browser that fails to launch included.
 */
export async function renderSummary(
  markdown: string,
  opts: RenderOptions = {}
): Promise<RenderResult> {
  const server = await serve(summaryHtml(markdown))
  try {
    const browser = await launchBrowser(
      opts.executablePath !== undefined ? { executablePath: opts.executablePath } : {}
    )
    try {
      const page = await browser.newPage({
        viewport: { width: opts.width ?? 1012, height: 800 },
        deviceScaleFactor: opts.screenshot !== undefined ? 2 : 1
      })
      return await render(page, server, opts)
    } finally {
      await browser.close()
    }
  } finally {
    // Chromium keeps its connections alive; close() alone would wait for them.
    server.closeAllConnections()
    await new Promise((done) => server.close(done))
  }
}

async function render(page: Page, server: Server, opts: RenderOptions): Promise<RenderResult> {
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
        sections: [...svg.querySelectorAll('text.sectionTitle')].map((t) => t.textContent),
        // Mermaid notes in a class the width it measured to place the label (inside its bar or
        // beside it): it must be the width the label is finally drawn at.
        remeasured: [...svg.querySelectorAll('text[class*="width-"]')].flatMap((t) => {
          const measured = Number(/width-([0-9.]+)/.exec(t.getAttribute('class'))[1])
          const drawn = t.getBBox().width
          return Math.abs(measured - drawn) > 0.5 ? [t.textContent + ': ' + measured + ' → ' + drawn] : []
        })
      })
    }
    return out
  })()`)) as Omit<RenderResult, 'consoleErrors' | 'fonts'>
  const fonts = await fontsOf(page, '.markdown-body')
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
  return { ...found, errors: [...errors, ...found.errors], consoleErrors, fonts }
}

/** What fontsOf reads of the DevTools protocol's DOM.Node. */
interface DomNode {
  nodeId: number
  nodeType: number
  nodeName: string
  nodeValue: string
  children?: DomNode[]
}

/**
 * Each element under `selector` that has text of its own, with the text of its subtree and the
 * fonts Chromium drew that with (DevTools' "Rendered Fonts", which counts the subtree too).
 */
async function fontsOf(page: Page, selector: string): Promise<TextFonts[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1 })) as { root: DomNode }
    const top = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
    const find = (node: DomNode): DomNode | undefined =>
      node.nodeId === top.nodeId ? node : (node.children ?? []).map(find).find((n) => n)
    const out: TextFonts[] = []
    const visit = async (node: DomNode): Promise<void> => {
      if (/^(style|script)$/i.test(node.nodeName)) return
      const children = node.children ?? []
      if (children.some((c) => c.nodeType === 3 && c.nodeValue.trim() !== '')) {
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: node.nodeId })
        out.push({
          text: textOf(node),
          fonts: fonts.map((f) => ({
            family: f.familyName,
            webFont: f.isCustomFont,
            glyphs: f.glyphCount
          }))
        })
      }
      for (const child of children) if (child.nodeType === 1) await visit(child)
    }
    const start = find(root)
    if (start !== undefined) await visit(start)
    return out
  } finally {
    await cdp.detach()
  }
}

function textOf(node: DomNode): string {
  return node.nodeType === 3 ? node.nodeValue : (node.children ?? []).map(textOf).join('')
}

/**
 * The emoji font: Noto Color Emoji in COLRv1 from @infolektuell/noto-color-emoji, served as a web
 * font (@fontsource/noto-color-emoji's cut has OpenType-SVG glyphs, which Chromium draws blank).
 */
const EMOJI_FAMILY = 'Noto Color Emoji'
const EMOJI_CSS = '/noto-color-emoji/index.css'

/**
 * The font's @font-face rules without ASCII and Latin-1 (#, *, 0-9, ©, ®: keycap bases and
 * symbols that every text font has). GitHub's viewers draw those with the text font, first in the
 * stack; here no font of GitHub's stack need be installed (Chromium then falls back to a system
 * font after the whole stack), so the emoji font would draw every digit.
 */
export function emojiOnly(css: string): string {
  return css.replace(/unicode-range:([^;]*);/g, (_, list: string) => {
    const kept = list.split(',').flatMap((item) => {
      const range = /^U\+([0-9a-f]{1,6})(?:-([0-9a-f]{1,6}))?$/i.exec(item.trim())
      if (range?.[1] === undefined) throw new Error(`the emoji font's CSS has a range "${item}"`)
      const lo = parseInt(range[1], 16)
      const hi = range[2] !== undefined ? parseInt(range[2], 16) : lo
      if (hi <= 0xff) return []
      return [lo > 0xff ? item.trim() : `U+100-${hi.toString(16)}`]
    })
    // An empty list would drop the descriptor, and the face would cover everything.
    if (kept.length === 0) throw new Error(`the emoji font has a face for Latin-1 only: ${list}`)
    return `unicode-range: ${kept.join(', ')};`
  })
}

function serve(html: string): Promise<Server> {
  const require = createRequire(import.meta.url)
  const emojiDir = dirname(require.resolve('@infolektuell/noto-color-emoji/index.css'))
  // Every path the page asks for, read before the server opens; a request path never reaches
  // the file system.
  const routes = new Map<string, { type: string; body: string | Buffer }>([
    ['/', { type: 'text/html; charset=utf-8', body: html }],
    [
      '/mermaid.min.js',
      {
        type: 'text/javascript; charset=utf-8',
        body: readFileSync(require.resolve('mermaid/dist/mermaid.min.js'))
      }
    ],
    [
      EMOJI_CSS,
      {
        type: 'text/css; charset=utf-8',
        body: emojiOnly(readFileSync(join(emojiDir, 'index.css'), 'utf8'))
      }
    ],
    ...readdirSync(join(emojiDir, 'files')).map(
      (name) =>
        [
          `${dirname(EMOJI_CSS)}/files/${name}`,
          { type: 'font/woff2', body: readFileSync(join(emojiDir, 'files', name)) }
        ] as const
    )
  ])
  const server = createServer((req, res) => {
    const route = routes.get(req.url ?? '')
    if (route !== undefined) {
      res.writeHead(200, { 'content-type': route.type }).end(route.body)
    } else if (req.url === '/favicon.ico') {
      res.writeHead(204).end() // so a missing icon is not a console error
    } else {
      res.writeHead(404).end()
    }
  })
  return new Promise((ready, fail) => {
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => ready(server))
  })
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
  border-radius: 6px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace,
  "Noto Color Emoji"; }
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
