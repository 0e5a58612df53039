/**
 * Users copy the YAML examples of the README and docs/ into their workflows. An expression inside a
 * `run:` script is pasted into the shell before it runs, so an output or an input holding a quote
 * and `$(…)` runs as a command (GitHub's "script injection"). The examples pass values to scripts
 * through `env:`; this keeps every one of them, and this repository's own workflows, that way.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load } from 'js-yaml'

/** The fenced ```yaml (or ```yml) blocks of a Markdown text, with the line each starts on. */
export function yamlBlocks(markdown: string): Array<{ line: number; source: string }> {
  const blocks: Array<{ line: number; source: string }> = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*ya?ml\b/.exec(lines[i]!)
    if (!open) continue
    const [, indent, fence] = open
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !lines[j]!.trim().startsWith(fence!); j++) {
      body.push(lines[j]!.slice(indent!.length))
    }
    blocks.push({ line: i + 1, source: body.join('\n') })
    i = j
  }
  return blocks
}

/** Every `run:` script of a parsed YAML document, wherever it sits, with its path. */
export function runScripts(node: unknown, path = ''): Array<{ path: string; script: string }> {
  if (Array.isArray(node)) return node.flatMap((item, i) => runScripts(item, `${path}[${i}]`))
  if (node === null || typeof node !== 'object') return []
  return Object.entries(node).flatMap(([key, value]) => [
    ...(key === 'run' && typeof value === 'string' ? [{ path: `${path}.run`, script: value }] : []),
    ...runScripts(value, `${path}.${key}`)
  ])
}

/** The `run:` scripts of a YAML text that hold a `${{ … }}` expression. */
export function expressionsInRun(source: string): string[] {
  return runScripts(load(source))
    .filter(({ script }) => script.includes('${{'))
    .map(({ path, script }) => `${path}: ${script.trim().split('\n')[0]}`)
}

const markdownFiles = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f))
]
const examples = markdownFiles.flatMap((file) =>
  yamlBlocks(readFileSync(file, 'utf8')).map((block) => ({
    ...block,
    where: `${file}:${block.line}`
  }))
)
const workflows = readdirSync('.github/workflows')
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join('.github/workflows', f))

describe('no ${{ }} inside run: scripts', () => {
  it('finds the examples, and their run: scripts', () => {
    expect(examples.length).toBeGreaterThanOrEqual(8)
    expect(examples.flatMap((e) => runScripts(load(e.source))).length).toBeGreaterThanOrEqual(4)
  })

  it.each(examples.map((e) => [e.where, e.source]))('%s', (_where, source) => {
    expect(expressionsInRun(source)).toEqual([])
  })

  it.each(workflows)('%s', (file) => {
    expect(expressionsInRun(readFileSync(file, 'utf8'))).toEqual([])
  })

  it('notices one (the check is live)', () => {
    const markdown = [
      'Text.',
      '',
      '```yaml',
      '- id: flow',
      '  uses: fnf-wait/fnf-wait@v1',
      '- run: |',
      '    echo ok',
      '    echo "${{ steps.flow.outputs.error }}"',
      '  env:',
      '    SAFE: ${{ steps.flow.outputs.error }}',
      '```'
    ].join('\n')
    const [block] = yamlBlocks(markdown)
    expect(block?.line).toBe(3)
    expect(expressionsInRun(block!.source)).toEqual(['[1].run: echo ok'])
    expect(expressionsInRun('jobs:\n  x:\n    steps:\n      - run: echo "$ERROR"\n')).toEqual([])
  })
})
