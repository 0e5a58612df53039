import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  codeBlock,
  details,
  escapeHtml,
  escapeText,
  inlineCode,
  neutralizeMentions,
  tableHeader,
  tableRow
} from '../../src/report/markdown.js'
import {
  detailsBalance,
  foreignHtml,
  mentions,
  parse,
  render,
  tables
} from '../support/history-markdown.js'

const HOSTILE = '<img src=x onerror=alert(1)>|`|</details>**x** @octocat'

/** The text markdown-it produces for one inline snippet (entities decoded, tags gone). */
function plainText(markdown: string): string {
  const inline = parse(markdown).find((t) => t.type === 'inline')
  return (inline?.children ?? [])
    .map((c) =>
      c.type === 'text' || c.type === 'code_inline'
        ? c.content
        : c.type === 'html_inline' && c.content === '<br>'
          ? '\n'
          : ''
    )
    .join('')
}

describe('escapeText', () => {
  it('renders hostile flow text as the same text, no markup', () => {
    const md = `Cause: ${escapeText(HOSTILE)}`
    const html = render(md)
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<strong>')
    expect(html).not.toContain('</details>')
    expect(foreignHtml(md)).toEqual([])
    expect(mentions(html)).toEqual([])
    expect(plainText(md)).toBe(`Cause: ${HOSTILE.replace('@', '@\u200b')}`)
  })

  it.each([
    ['*em* _em_ **b** __b__ ~~s~~'],
    ['[link](https://evil.example) ![img](x)'],
    ['`code` ``x`` \\* \\`'],
    ['# heading'],
    ['> quote'],
    ['- item'],
    ['1. item'],
    ['+ item'],
    ['    indented code'],
    ['$x^2$ and {{curly}}'],
    ['<script>alert(1)</script> &amp; &lt;'],
    ['line1\n\n# line2\n| a | b |']
  ])('keeps %j literal', (text) => {
    const md = `- ${escapeText(text)}`
    const tokens = parse(md)
    const kinds = tokens.map((t) => t.type)
    // One list with one item holding one paragraph: nothing nested, no heading, no code.
    expect(kinds).toEqual([
      'bullet_list_open',
      'list_item_open',
      'paragraph_open',
      'inline',
      'paragraph_close',
      'list_item_close',
      'bullet_list_close'
    ])
    const inline = tokens[3]!.children ?? []
    expect(
      inline.every((c) => c.type === 'text' || (c.type === 'html_inline' && c.content === '<br>'))
    ).toBe(true)
    expect(plainText(md).replace(/^/, '')).toBe(text.replace(/\n/g, '\n'))
  })

  it('turns newlines into <br> or spaces', () => {
    expect(escapeText('a\nb')).toBe('a<br>b')
    expect(escapeText('a\r\nb', { newlines: 'space' })).toBe('a b')
  })

  it('never lets text change a table (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { minLength: 3, maxLength: 3 }),
        (cells) => {
          const md = `${tableHeader(['A', 'B', 'C'])}\n${tableRow(cells.map((c) => escapeText(c)))}\n`
          const [table] = tables(md)
          expect(table).toEqual({ headerRows: 1, bodyRows: 1, cells: [3, 3] })
          expect(foreignHtml(md)).toEqual([])
        }
      ),
      { numRuns: 300 }
    )
  })

  it('never produces raw HTML or mentions (property)', () => {
    const chars = fc.constantFrom(...'<>&"\'`*_[](){}#!~|$@\\/-+=. \n\tab1'.split(''))
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 40 }), (text) => {
        const md = `x ${escapeText(text)} ${inlineCode(text)}`
        expect(foreignHtml(md)).toEqual([])
        const html = render(md)
        expect(html).not.toMatch(/<(?!\/?(p|code|br)>)/)
        expect(mentions(html)).toEqual([])
      }),
      { numRuns: 500 }
    )
  })
})

describe('neutralizeMentions', () => {
  it('breaks @user, @org/team, #123 and GH-123 but not e-mail addresses', () => {
    expect(neutralizeMentions('@octocat hi @org/team')).toBe('@\u200boctocat hi @\u200borg/team')
    expect(neutralizeMentions('fixes #123 and GH-7, x#1')).toBe(
      'fixes #\u200b123 and GH-\u200b7, x#1'
    )
    expect(neutralizeMentions('mail a@example.com')).toBe('mail a@example.com')
  })
})

describe('escapeHtml', () => {
  it('escapes the five HTML characters only', () => {
    expect(escapeHtml(`<a href="x">'&'</a> *`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; *'
    )
  })
})

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run, and keeps the text verbatim', () => {
    const text = 'a ``` b\n````\n</details> @octocat <img src=x>'
    const block = codeBlock(text, 'json')
    expect(block.startsWith('`````json\n')).toBe(true)
    const tokens = parse(block)
    expect(tokens.map((t) => t.type)).toEqual(['fence'])
    expect(tokens[0]!.content).toBe(`${text}\n`)
    expect(render(block)).not.toContain('<img')
  })

  it('keeps a fence inside <details> from closing it early', () => {
    const md = details(
      escapeText('Cause </details>'),
      codeBlock('</details>\n\n# not a heading\n<img src=x>')
    )
    const html = render(md)
    expect(detailsBalance(html)).toEqual({ open: 1, close: 1 })
    expect(html).not.toContain('<h1>')
    expect(html).not.toContain('<img')
    expect(foreignHtml(md)).toEqual([])
  })

  it('round-trips any text (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('`', '~', 'a', '\n', ' ', '<', '>') }),
        (text) => {
          const tokens = parse(codeBlock(text))
          expect(tokens.map((t) => t.type)).toEqual(['fence'])
          expect(tokens[0]!.content).toBe(`${text.replace(/\n+$/, '')}\n`)
        }
      ),
      { numRuns: 300 }
    )
  })
})
