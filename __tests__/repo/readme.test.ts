/**
 * The README's inputs and outputs tables are the documentation users read; action.yml is what
 * GitHub reads. This keeps them the same: every name in both, the same defaults, the same words.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { load } from 'js-yaml'

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
}

const action = load(readFileSync('action.yml', 'utf8')) as ActionYml
const readme = readFileSync('README.md', 'utf8')

/** Rows of the first table after a `## heading`, as arrays of cells. */
export function tableAfter(markdown: string, heading: string): string[][] {
  const lines = markdown.split('\n')
  const start = lines.findIndex((line) => line.trim() === heading)
  if (start < 0) throw new Error(`README has no "${heading}" section`)
  const rows: string[][] = []
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('## ')) break
    if (!line.startsWith('|')) {
      if (rows.length > 0) break
      continue
    }
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
    )
  }
  return rows.slice(2) // header and delimiter rows
}

const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim()
const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1').replace(/^'(.*)'$/, '$1')
const nameOf = (cell: string): string => unquote(cell)

describe('README inputs table', () => {
  const rows = tableAfter(readme, '## Inputs')
  const byName = new Map(rows.map((row) => [nameOf(row[0]!), row]))

  it('lists every input of action.yml, and nothing else', () => {
    expect([...byName.keys()].sort()).toEqual(Object.keys(action.inputs).sort())
  })

  it.each(Object.entries(action.inputs))('%s: same default and meaning', (name, input) => {
    const row = byName.get(name)
    expect(row).toBeDefined()
    const [, defaultCell, meaning] = row!
    expect(normalize(meaning!)).toBe(normalize(input.description))
    if (input.required) {
      expect(defaultCell).toBe('required')
    } else if (defaultCell!.startsWith('env ')) {
      // An environment fallback: action.yml's default is empty and its description names the variable.
      expect(input.default).toBe('')
      for (const variable of defaultCell!.match(/[A-Z][A-Z0-9_]+/g) ?? []) {
        expect(input.description).toContain(variable)
      }
    } else {
      expect(unquote(unquote(defaultCell!))).toBe(input.default)
    }
  })
})

describe('README outputs table', () => {
  const rows = tableAfter(readme, '## Outputs')
  const byName = new Map(rows.map((row) => [nameOf(row[0]!), row]))

  it('lists every output of action.yml, and nothing else', () => {
    expect([...byName.keys()].sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it.each(Object.entries(action.outputs))('%s: same meaning', (name, output) => {
    expect(normalize(byName.get(name)?.[1] ?? '')).toBe(normalize(output.description))
  })
})

describe('the drift check', () => {
  it('notices a changed description', () => {
    const changed = readme.replace(/\| The flow\.\s+\|/, '| The flow to wait for. |')
    expect(changed).not.toBe(readme)
    const row = tableAfter(changed, '## Inputs').find((r) => nameOf(r[0]!) === 'flow-name')
    expect(normalize(row![2]!)).not.toBe(normalize(action.inputs['flow-name']!.description))
  })
})

describe("the README's first screen", () => {
  // What a reader sees before scrolling: a sentence, the `uses:` block, and the two commands a
  // newcomer runs on a fresh machine.
  const top = readme.split('\n').slice(0, 40).join('\n')
  const scripts = (
    JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }
  ).scripts

  it('opens with one sentence, then a minimal uses: block with a flow and credentials', () => {
    const [, intro, yaml] = /^# fnf-wait\n\n([^`#]+?)\n\n```yaml\n([\s\S]*?)```/.exec(readme) ?? []
    expect(intro?.split(/\.\s/).length).toBe(1)
    expect(yaml).toMatch(/uses: fnf-wait\/fnf-wait@v\d+\n/)
    expect(yaml).toMatch(/flow-name: /)
    expect(yaml).toMatch(/role-to-assume: /)
  })

  it('shows the demo and the tests as shell commands, and package.json has both', () => {
    const shell = [...top.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n')
    expect(shell).toMatch(/^npm ci && npm run demo\b/m)
    expect(shell).toMatch(/^npm test\b/m)
    expect(scripts['demo']).toBeDefined()
    expect(scripts['test']).toBeDefined()
  })
})
