/**
 * The job summary as GitHub shows it: the demo's nested failure, run through dist/index.js against
 * the emulator, rendered as GFM (markdown-it) with its ```mermaid block drawn by mermaid in headless
 * Chromium (from the npm package @sparticuz/chromium, see scripts/browser.ts), emoji in Noto Color
 * Emoji (an npm package too). Needs a fresh bundle (`npm run package`).
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Execution } from '../../src/fnf/types.js'
import { createHistoryModel } from '../../src/history/index.js'
import { renderSummary as summaryMarkdown } from '../../src/report/summary.js'
import { executionView } from '../../src/report/view.js'
import { browserExecutable, extractChromium } from '../../scripts/browser.js'
import {
  demoFailureSummary,
  emojiOnly,
  renderSummary,
  type TextFonts
} from '../../scripts/summary-render.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { parseGantts } from '../support/mermaid.js'

const emojiIn = (text: string): number => [...text.matchAll(/\p{Extended_Pictographic}/gu)].length

/** Glyphs the page's emoji web font drew in an element (its subtree). */
const byEmojiFont = (el: TextFonts): number =>
  el.fonts
    .filter((f) => f.family === 'Noto Color Emoji' && f.webFont)
    .reduce((n, f) => n + f.glyphs, 0)

/** TCP servers this process has open (what jest's --detectOpenHandles would report). */
const openServers = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length

describe('the summary rendered in Chromium', () => {
  it("shows the demo's nested failure as a gantt with no mermaid error", async () => {
    const markdown = await demoFailureSummary()
    // What mermaid's parser understood, to compare with what Chromium drew.
    const [parsed, ...more] = await parseGantts(markdown)
    expect(more).toEqual([])
    if (parsed === undefined) throw new Error('the summary holds no mermaid block')

    const page = await renderSummary(markdown)
    expect(page.errors).toEqual([])
    expect(page.consoleErrors).toEqual([])
    expect(page.diagrams).toBe(1)
    const [chart] = page.charts
    expect(chart?.bars).toBe(parsed.tasks.length)
    expect(chart?.labels.map((l) => l.trim())).toEqual(parsed.tasks.map((t) => t.task.trim()))
    expect(chart?.sections).toEqual(parsed.sections)
    expect(chart?.remeasured).toEqual([])
    expect(chart?.sections).toContain('transform › branch 1 › load-partitions › iteration 2')
    // The failed path: transform › branch 1 › load-partitions › iteration 2 › load-partition.
    expect(chart?.crit).toBe(parsed.tasks.filter((t) => t.crit).length)
    expect(parsed.tasks.filter((t) => t.crit && !t.done).map((t) => t.task.trim())).toEqual([
      '❌ transform',
      '❌ load-partitions',
      '❌ load-partition'
    ])
    expect(chart?.labels.map((l) => l.trim())).toContain('⚠️ validate-schema')

    // Every emoji, in the markdown and in the chart, drawn by the emoji font (not as an empty box
    // by a text font), and nothing else: digits, which that font also has, stay with the text.
    expect(page.fonts.map((el) => [el.text, byEmojiFont(el)])).toEqual(
      page.fonts.map((el) => [el.text, emojiIn(el.text)])
    )
    const withEmoji = page.fonts.filter((el) => emojiIn(el.text) > 0).map((el) => el.text.trim())
    expect(withEmoji).toContain('❌ FnF execution failed')
    expect(withEmoji).toContain('❌ load-partition')
    expect(page.fonts.map((el) => el.text)).toContain('transform › branch 1')
  })

  it('draws hostile step names as plain text, with no injected markup or diagram lines', async () => {
    const names = [
      '<img src=x onerror=alert(1)>',
      '%%{init: {"theme":"dark"}}%%',
      'a: b; c # d, e',
      'x\nsection injected\n  evil :crit, e1, 0, 1ms',
      '```\n</pre><b>out</b>'
    ]
    const h = new HistoryBuilder().started()
    for (const name of names) h.top.pass(name)
    h.top.task('last', [{ fail: { error: 'E', cause: 'c' } }])
    h.failed({ error: 'E', cause: 'c' })
    const execution: Execution = {
      Name: 'run-1',
      FlowName: 'hostile',
      Status: 'Failed',
      StartedTime: '2024-06-24T02:58:42.000Z',
      StoppedTime: '2024-06-24T03:00:00.000Z'
    }
    const model = createHistoryModel()
    model.add(h.events)
    const markdown = summaryMarkdown(
      executionView({
        flowName: 'hostile',
        executionName: 'run-1',
        execution,
        report: model.result(execution)
      })
    )
    const [parsed] = await parseGantts(markdown)
    const page = await renderSummary(markdown)
    expect(page.errors).toEqual([])
    expect(page.consoleErrors).toEqual([])
    expect(page.diagrams).toBe(1)
    expect(page.charts[0]?.bars).toBe(names.length + 1)
    expect(page.charts[0]?.labels.map((l) => l.trim())).toEqual(
      parsed?.tasks.map((t) => t.task.trim())
    )
    expect(page.charts[0]?.sections).toEqual(['Flow'])
    expect(page.injected).toEqual([])
  })

  it('draws every emoji with the emoji font, in text, code and chart, and nothing else with it', async () => {
    const markdown = [
      'Status: ❌ failed 42 times ✅ then 7 #1 ⚠️',
      '',
      '**Step ⏹️** `code ❌ 0123`',
      '',
      '```mermaid',
      'gantt',
      '  dateFormat x',
      '  section run 2 ❌',
      '  step 1 ✅ : 0, 100',
      '  step 2 ❌ : 100, 250',
      '```',
      ''
    ].join('\n')
    const page = await renderSummary(markdown)
    expect(page.errors).toEqual([])
    expect(page.consoleErrors).toEqual([])
    expect(page.fonts.map((el) => [el.text, byEmojiFont(el)])).toEqual(
      page.fonts.map((el) => [el.text, emojiIn(el.text)])
    )
    expect(page.fonts.map((el) => el.text.trim())).toEqual(
      expect.arrayContaining(['code ❌ 0123', 'step 2 ❌', 'run 2 ❌'])
    )
    // Measured with the emoji font already in, so placed where the label really fits.
    expect(page.charts[0]?.remeasured).toEqual([])
  })

  it('rejects with the browser it could not launch, and leaves no server open', async () => {
    const before = openServers()
    await expect(
      renderSummary('# title', { executablePath: '/nonexistent/chromium' })
    ).rejects.toThrow(
      /could not launch the test browser \/nonexistent\/chromium: .*comes with `npm ci`/
    )
    expect(openServers()).toBe(before)
  })
})

describe('the test browser', () => {
  it('is extracted whole by each of two concurrent callers, with nothing left over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fnf-wait-chromium-'))
    try {
      // Each caller's file is measured the moment its call returns: one that returned another's
      // half-written file would see it short.
      const sizeOf = async () => statSync(await extractChromium(dir)).size
      const sizes = await Promise.all([sizeOf(), sizeOf()])
      const whole = statSync(await browserExecutable()).size
      expect(sizes).toEqual([whole, whole])
      expect(readdirSync(dir)).toEqual(['chromium'])
      expect(statSync(join(dir, 'chromium')).mode & 0o111).not.toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('asks for CHROMIUM_PATH where the packaged Linux x64 build cannot run', async () => {
    await expect(browserExecutable({ env: {}, platform: 'darwin', arch: 'arm64' })).rejects.toThrow(
      'a Linux x64 build, and this is darwin arm64: set CHROMIUM_PATH'
    )
    await expect(
      browserExecutable({
        env: { CHROMIUM_PATH: '/opt/chrome' },
        platform: 'darwin',
        arch: 'arm64'
      })
    ).resolves.toBe('/opt/chrome')
  })
})

describe('the emoji font', () => {
  it('covers no ASCII or Latin-1 code point, so digits stay with the text font', () => {
    const css =
      '@font-face { src: url(a.woff2); unicode-range: U+23, U+30-39, U+a9, U+e0-10f, U+1f600; }'
    expect(emojiOnly(css)).toBe(
      '@font-face { src: url(a.woff2); unicode-range: U+100-10f, U+1f600; }'
    )
    // A face left with no range would cover everything.
    expect(() => emojiOnly('@font-face { unicode-range: U+30-39; }')).toThrow('Latin-1 only')
    expect(() => emojiOnly('@font-face { unicode-range: U+4??; }')).toThrow('U+4??')
  })
})
