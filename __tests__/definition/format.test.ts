/** Which of the two definition shapes a document has, and where each keeps its steps. */
import { describe, expect, it } from '@jest/globals'
import { parseDocument, type YAMLMap } from 'yaml'
import { formatOf, mapping, member, seq, text } from '../../src/definition/format.js'

const doc = (source: string) => parseDocument(source)

describe('formatOf', () => {
  it('tells CloudFlow from legacy FDL by what the top level says or holds', () => {
    expect(formatOf(doc('Type: StateMachine\nStates: []'))?.format).toBe('cloudflow')
    expect(formatOf(doc('States: []'))?.format).toBe('cloudflow')
    expect(formatOf(doc('version: v1\ntype: flow\nsteps: []'))?.format).toBe('fdl')
    expect(formatOf(doc('steps: []'))?.format).toBe('fdl')
  })

  it('knows neither a scalar, a list nor a mapping without steps', () => {
    expect(formatOf(doc('just text'))).toBeUndefined()
    expect(formatOf(doc('- a\n- b'))).toBeUndefined()
    expect(formatOf(doc('name: x'))).toBeUndefined()
  })
})

describe('each format finds its nested steps', () => {
  it('legacy FDL: parallel branches, foreach body, choice and default', () => {
    const d = doc(`steps:
  - type: parallel
    name: p
    branches:
      - steps: [{ name: a }]
      - {}
  - type: foreach
    name: f
    steps: [{ name: b }]
  - type: choice
    name: c
    choices:
      - steps: [{ name: c1 }]
      - goto: p
    default:
      steps: [{ name: d1 }]
`)
    const rules = formatOf(d)!
    const steps = seq(member(mapping(d.contents, d), 'steps', d), d)!
    const at = (i: number) => steps.items[i] as YAMLMap
    expect(rules.branches(at(0), d).map((b) => b?.items.length)).toEqual([1, undefined])
    expect(rules.body(at(1), d)?.items.length).toBe(1)
    expect(rules.choices(at(2), d).map((b) => b?.items.length)).toEqual([1, undefined, 1])
  })

  it('CloudFlow: Parallel Branches, the Map processor; a Choice holds no states', () => {
    const d = doc(`Type: StateMachine
States:
  - Type: Parallel
    Name: p
    Branches:
      - States: [{ Name: a }, { Name: b }]
  - Type: Map
    Name: m
    ProcessorConfig: { ExecutionMode: Express }
    Processor:
      States: [{ Name: item }]
  - Type: Choice
    Name: c
    Branches: [{ Condition: 'true', Next: p }]
`)
    const rules = formatOf(d)!
    const states = seq(member(mapping(d.contents, d), 'States', d), d)!
    const at = (i: number) => states.items[i] as YAMLMap
    expect(rules.branches(at(0), d).map((b) => b?.items.length)).toEqual([2])
    expect(rules.body(at(1), d)?.items.length).toBe(1)
    expect(rules.choices(at(2), d)).toEqual([])
  })
})

describe('reading nodes', () => {
  it('resolves aliases and reads a name as it was written', () => {
    const d = doc('a: &x [1]\nb: *x\nn: 007\nt: true\ns: str')
    const root = mapping(d.contents, d)
    expect(seq(member(root, 'b', d), d)?.items.length).toBe(1)
    expect(text(member(root, 'n', d))).toBe('007')
    expect(text(member(root, 't', d))).toBe('true')
    expect(text(member(root, 's', d))).toBe('str')
    expect(text(member(root, 'a', d))).toBeUndefined()
    expect(member(undefined, 'a', d)).toBeUndefined()
  })
})
