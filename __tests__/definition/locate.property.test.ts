/**
 * Generated definitions, in both formats, written as YAML (with comments between and after steps)
 * and as JSON: every step is located at the lines where it was written, from the path the history
 * model would give it. The YAML and JSON of one definition also compare as the same.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { locateStep, type PathSegment } from '../../src/definition/locate.js'
import { parsed } from './helpers.js'
import { compareDefinition, executedData } from '../../src/definition/same.js'

type Format = 'fdl' | 'cloudflow'

type Shape =
  | { shape: 'leaf'; type: number }
  | { shape: 'parallel'; branches: Shape[][] }
  | { shape: 'foreach'; steps: Shape[] }
  | { shape: 'choice'; choices: Shape[][] }

const shapes = fc.letrec<{ step: Shape; list: Shape[] }>((tie) => ({
  step: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ shape: fc.constant('leaf' as const), type: fc.nat(4) }),
    fc.record({
      shape: fc.constant('parallel' as const),
      branches: fc.array(tie('list'), { minLength: 1, maxLength: 3 })
    }),
    fc.record({ shape: fc.constant('foreach' as const), steps: tie('list') }),
    fc.record({
      shape: fc.constant('choice' as const),
      choices: fc.array(tie('list'), { minLength: 1, maxLength: 3 })
    })
  ),
  list: fc.array(tie('step'), { minLength: 1, maxLength: 3 })
}))

type Data = string | boolean | Data[] | { [key: string]: Data }

interface Expected {
  path: PathSegment[]
  data: { [key: string]: Data }
}

const LEAF_TYPES: Record<Format, string[]> = {
  fdl: ['task', 'pass', 'wait', 'succeed', 'fail'],
  cloudflow: ['Task', 'Pass', 'Wait', 'Succeed', 'Fail']
}

/** Builds the definition's data, and each step's data object with its history path. */
function build(
  format: Format,
  list: Shape[]
): { data: { [key: string]: Data }; steps: Expected[] } {
  const steps: Expected[] = []
  let counter = 0
  const cf = format === 'cloudflow'
  const kinds: Record<string, PathSegment['kind']> = {
    task: 'task',
    Task: 'task',
    parallel: 'parallel',
    Parallel: 'parallel',
    foreach: 'foreach',
    Map: 'foreach'
  }
  const kindOf = (type: string): PathSegment['kind'] => kinds[type] ?? 'step'

  const buildList = (shapesIn: Shape[], prefix: PathSegment[]): Data[] =>
    shapesIn.map((s) => buildStep(s, prefix))

  function buildStep(s: Shape, prefix: PathSegment[]): { [key: string]: Data } {
    const name = `s${(counter += 1)}`
    const step: { [key: string]: Data } = {}
    const type =
      s.shape === 'leaf'
        ? LEAF_TYPES[format][s.type]!
        : cf
          ? { parallel: 'Parallel', foreach: 'Map', choice: 'Choice' }[s.shape]
          : s.shape
    step[cf ? 'Type' : 'type'] = type
    step[cf ? 'Name' : 'name'] = name
    const path = [...prefix, { kind: kindOf(type), name }]
    steps.push({ path, data: step })
    switch (s.shape) {
      case 'leaf':
        if (type === 'task') step.resourceArn = `acs:fc:::services/x/functions/${name}`
        if (type === 'Task') step.Action = 'FC:InvokeFunction'
        break
      case 'parallel':
        step[cf ? 'Branches' : 'branches'] = s.branches.map((b, i) => {
          const inner = buildList(b, [...path, { kind: 'branch', name, index: i }])
          return cf ? { StartAt: 'x', States: inner } : { steps: inner }
        })
        break
      case 'foreach': {
        // Even-numbered foreach steps are entered through an iteration node, odd ones directly.
        const into: PathSegment[] =
          counter % 2 === 0 ? [...path, { kind: 'iteration', name, index: counter }] : path
        if (cf) {
          step.ItemsPath = '$Input.items'
          if (counter % 3 === 0) step.ProcessorConfig = { ExecutionMode: 'Express' }
          step.Processor = { StartAt: 'x', States: buildList(s.steps, into) }
        } else {
          step.iterationMapping = { collection: '$.items', item: 'item' }
          step.steps = buildList(s.steps, into)
        }
        break
      }
      case 'choice':
        if (cf) {
          // A CloudFlow Choice only names states of its own list.
          step.Branches = s.choices.map(() => ({ Condition: '$Input.ok', Next: 'x' }))
          step.Default = 'x'
        } else {
          // Legacy choice steps run in the choice's thread: the path names them beside it.
          const [first, ...rest] = s.choices
          step.choices = rest.map((c) => ({ condition: '$.ok', steps: buildList(c, prefix) }))
          step.default = { steps: buildList(first!, prefix) }
        }
        break
    }
    return step
  }

  const top = buildList(list, [])
  const data: { [key: string]: Data } = cf
    ? { Type: 'StateMachine', SpecVersion: 'v1', Name: 'generated', StartAt: 's1', States: top }
    : { version: 'v1', type: 'flow', steps: top }
  return { data, steps }
}

/** Block YAML, recording the lines of every step object; comments after steps and between them. */
function writeYaml(
  data: { [key: string]: Data },
  steps: Set<object>
): { text: string; lines: Map<object, [number, number]> } {
  const out = ['# generated']
  const lines = new Map<object, [number, number]>()
  let lastContent = 0
  const content = (line: string): void => {
    out.push(line)
    lastContent = out.length
  }
  const scalar = (v: string | boolean): string =>
    typeof v === 'string' ? JSON.stringify(v) : String(v)

  function map(obj: { [key: string]: Data }, indent: string, firstPrefix: string): void {
    const begin = out.length + 1
    Object.entries(obj).forEach(([key, value], i) => {
      const lead = i === 0 ? firstPrefix : indent
      if (typeof value !== 'object') return content(`${lead}${key}: ${scalar(value)}`)
      if (Array.isArray(value) && value.length === 0) return content(`${lead}${key}: []`)
      content(`${lead}${key}:`)
      if (Array.isArray(value)) list(value, `${indent}  `)
      else map(value, `${indent}  `, `${indent}  `)
    })
    if (steps.has(obj)) {
      lines.set(obj, [begin, lastContent])
      out.push(`${indent}# after ${String(obj.name ?? obj.Name)}, not part of it`)
    }
  }

  function list(items: Data[], indent: string): void {
    for (const item of items) {
      if (typeof item === 'object' && !Array.isArray(item)) map(item, `${indent}  `, `${indent}- `)
      else content(`${indent}- ${scalar(item as string)}`)
      out.push('', `${indent}# between items`)
    }
  }

  map(data, '', '')
  return { text: `${out.join('\n')}\n`, lines }
}

/** Pretty JSON, recording the `{` and `}` lines of every step object. */
function writeJson(
  data: Data,
  steps: Set<object>
): { text: string; lines: Map<object, [number, number]> } {
  const out: string[] = []
  const lines = new Map<object, [number, number]>()
  function value(v: Data, indent: string, lead: string, tail: string): void {
    if (typeof v !== 'object') return void out.push(`${indent}${lead}${JSON.stringify(v)}${tail}`)
    const entries: Array<[string, Data]> = Array.isArray(v)
      ? v.map((x) => ['', x])
      : Object.entries(v)
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}']
    const begin = out.length + 1
    out.push(`${indent}${lead}${open}`)
    entries.forEach(([k, x], i) =>
      value(
        x,
        `${indent}  `,
        Array.isArray(v) ? '' : `${JSON.stringify(k)}: `,
        i < entries.length - 1 ? ',' : ''
      )
    )
    out.push(`${indent}${close}${tail}`)
    if (steps.has(v)) lines.set(v, [begin, out.length])
  }
  value(data, '', '', '')
  return { text: `${out.join('\n')}\n`, lines }
}

describe('locateStep on generated definitions', () => {
  it.each(['fdl', 'cloudflow'] as const)(
    'locates every step of a %s definition where it was written, in YAML and JSON',
    (format) => {
      fc.assert(
        fc.property(shapes.list, (list) => {
          const { data, steps } = build(format, list)
          const objects = new Set<object>(steps.map((s) => s.data))
          const yaml = writeYaml(data, objects)
          const json = writeJson(data, objects)
          const yamlDefinition = parsed(yaml.text)
          const jsonDefinition = parsed(json.text)
          for (const { path, data: step } of steps) {
            const [startLine, endLine] = yaml.lines.get(step)!
            expect(locateStep(yamlDefinition, path)).toEqual({ kind: 'found', startLine, endLine })
            const [jsonStart, jsonEnd] = json.lines.get(step)!
            expect(locateStep(jsonDefinition, path)).toEqual({
              kind: 'found',
              startLine: jsonStart,
              endLine: jsonEnd
            })
          }
          expect(compareDefinition(yamlDefinition, executedData(json.text))).toEqual({
            kind: 'same'
          })
        }),
        { numRuns: 100 }
      )
    }
  )
})
