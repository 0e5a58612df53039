/**
 * The README's RAM policies are what users paste into RAM, and SECURITY.md tells them what to
 * grant: both must name the same actions, and the policies must be ones RAM applies (the API
 * reference lists every FnF action the action calls with the resource type "All Resources", and a
 * policy that names a resource an action does not support never matches).
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'

interface Policy {
  Version: string
  Statement: Array<{ Effect: string; Action: string[]; Resource: string }>
}

const readme = readFileSync('README.md', 'utf8')
const security = readFileSync('SECURITY.md', 'utf8')

/** The text of a `### heading` section, up to the next heading of any level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`no "${heading}" section`)
  const rest = markdown.slice(start + heading.length + 2)
  const end = rest.search(/^#{1,6} /m)
  return end < 0 ? rest : rest.slice(0, end)
}

/** The JSON code blocks of a Markdown text, parsed. */
function jsonBlocks(markdown: string): unknown[] {
  return [...markdown.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!))
}

const fnfActions = (text: string): string[] => [...new Set(text.match(/fnf:[A-Za-z]+/g))].sort()

describe("the README's RAM policies", () => {
  const text = section(readme, '### RAM policy')
  const policies = jsonBlocks(text) as Policy[]
  const [minimal, full] = policies
  /** The first cell of each table row. */
  const table = [...text.matchAll(/^\| `(fnf:[A-Za-z]+)`/gm)].map((m) => m[1]!)

  it('are a minimal one and a full one', () => {
    expect(policies).toHaveLength(2)
    expect(minimal!.Statement.flatMap((s) => s.Action)).toEqual(['fnf:DescribeExecution'])
  })

  it('grant on "*", the only resource these actions take', () => {
    for (const policy of policies) {
      expect(policy.Version).toBe('1')
      for (const statement of policy.Statement) {
        expect(statement).toMatchObject({ Effect: 'Allow', Resource: '*' })
      }
    }
  })

  it('explain every action of the full policy in the table, and nothing else', () => {
    const granted = full!.Statement.flatMap((s) => s.Action).sort()
    expect(table.slice().sort()).toEqual(granted)
    expect(granted).toEqual(
      expect.arrayContaining([
        'fnf:DescribeExecution',
        'fnf:GetExecutionHistory',
        'fnf:ListExecutions',
        'fnf:StartExecution',
        'fnf:StopExecution'
      ])
    )
  })

  it('name the same actions as SECURITY.md', () => {
    const granted = full!.Statement.flatMap((s) => s.Action).sort()
    expect(fnfActions(security)).toEqual(granted)
  })

  it('notice an action SECURITY.md leaves out (the check is live)', () => {
    expect(fnfActions(security.replace(/`fnf:ListExecutions`/g, 'ListExecutions'))).not.toContain(
      'fnf:ListExecutions'
    )
  })
})
