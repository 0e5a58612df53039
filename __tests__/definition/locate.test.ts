/** Locating a step's lines from the history model's path, in both definition formats. */
import { describe, expect, it } from '@jest/globals'
import { locateStep, type PathSegment } from '../../src/definition/locate.js'
import { parsed } from './helpers.js'

/** The 1-based lines of the (unique) lines holding `first` and `last`. */
function span(source: string, first: string, last = first): { startLine: number; endLine: number } {
  const lines = source.split('\n')
  const find = (text: string): number => {
    const at = lines.flatMap((l, i) => (l.includes(text) ? [i + 1] : []))
    if (at.length !== 1) throw new Error(`${JSON.stringify(text)} is on ${at.length} lines`)
    return at[0]!
  }
  return { startLine: find(first), endLine: find(last) }
}

const step = (name: string, kind: PathSegment['kind'] = 'step'): PathSegment => ({ kind, name })
const branch = (name: string, index: number): PathSegment => ({ kind: 'branch', name, index })
const iteration = (name: string, index: number): PathSegment => ({ kind: 'iteration', name, index })

const FDL = `version: v1
type: flow
steps:
  - type: task # prepare starts
    name: prepare
    resourceArn: acs:fc:::services/s/functions/prepare # prepare ends

  # a comment between steps belongs to neither
  - type: parallel # fan starts
    name: fan
    branches:
      - steps: # branch 0 starts
          - type: pass # left starts
            name: left # branch 0 ends
      - steps:
          - type: foreach
            name: each
            iterationMapping:
              collection: $.items
              item: item
            steps:
              - type: task # push starts
                name: push
                retry:
                  - errors: [FnF.ALL]
                    maxAttempts: 3 # push ends
                # a trailing comment is not the step's
  - type: choice # route starts
    name: route
    choices:
      - condition: $.kind == "a"
        steps:
          - type: task # notify-a starts
            name: notify
            resourceArn: a # notify-a ends
          - type: pass # only-a starts
            name: only-a # only-a ends
      - condition: $.kind == "b"
        goto: final
    default:
      steps:
        - type: task # notify-default starts
          name: notify
          resourceArn: d # notify-default ends
        - type: choice
          name: inner
          choices:
            - condition: $.deep
              steps:
                - type: pass # deep starts
                  name: deep # deep ends
  - type: pass # final starts
    name: final # final ends
`

const CLOUDFLOW = `Type: StateMachine
SpecVersion: v1
Name: nightly
StartAt: Fan
States:
  - Type: Parallel # Fan starts
    Name: Fan
    Branches:
      - StartAt: Plain
        States:
          - Type: Pass # Plain starts
            Name: Plain
            End: true # Plain ends
      - StartAt: PerItem
        States:
          - Type: Map # PerItem starts
            Name: PerItem
            ItemsPath: $Input.items
            Processor:
              StartAt: Upload
              States:
                - Type: Task # Upload starts
                  Name: Upload
                  Action: FC:InvokeFunction
                  TaskMode: RequestComplete
                  Parameters:
                    invocationType: Sync # Upload ends
            End: true # PerItem ends
    Next: Route # Fan ends
  - Type: Choice # Route starts
    Name: Route
    Branches:
      - Condition: $Input.ok == true
        Next: Shard
    Default: Give-up # Route ends
  - Type: Map # Shard starts
    Name: Shard
    ItemsPath: $Input.shards
    ProcessorConfig:
      ExecutionMode: Express
    Processor:
      StartAt: Crunch
      States:
        - Type: Task # Crunch starts
          Name: Crunch
          Action: FC:InvokeFunction
          End: true # Crunch ends
    Next: Give-up # Shard ends
  - Type: Fail # Give-up starts
    Name: Give-up
    Code: Gave.Up # Give-up ends
`

describe('locateStep in legacy FDL', () => {
  const definition = parsed(FDL)
  const at = (path: PathSegment[]): ReturnType<typeof locateStep> => locateStep(definition, path)

  it('finds a top-level step as its whole mapping, comments after it left out', () => {
    expect(at([step('prepare', 'task')])).toEqual({
      kind: 'found',
      ...span(FDL, '# prepare starts', '# prepare ends')
    })
    expect(at([step('fan', 'parallel')])).toEqual({
      kind: 'found',
      ...span(FDL, '# fan starts', '# push ends')
    })
  })

  it('goes parallel → branch 1 → foreach → iteration → step, and without the iteration', () => {
    const expected = { kind: 'found', ...span(FDL, '# push starts', '# push ends') }
    const fan = [step('fan', 'parallel'), branch('fan', 1), step('each', 'foreach')]
    expect(at([...fan, iteration('each', 17), step('push', 'task')])).toEqual(expected)
    // Every iteration runs the same steps; a path straight from the foreach into them works too.
    expect(at([...fan, step('push', 'task')])).toEqual(expected)
  })

  it('picks the branch by its 0-based index, and says when there is no such branch', () => {
    expect(at([step('fan'), branch('fan', 0), step('left')])).toEqual({
      kind: 'found',
      ...span(FDL, '# left starts', '# branch 0 ends')
    })
    expect(at([step('fan'), branch('fan', 0), step('push')])).toEqual({
      kind: 'not-found',
      reason: 'the definition has no step named "push" inside "fan"'
    })
    expect(at([step('fan'), branch('fan', 2), step('left')])).toEqual({
      kind: 'not-found',
      reason: '"fan" has 2 branches in the definition; the history ran branch 2 (counted from 0)'
    })
    // A path ending in a branch points at the branch.
    expect(at([step('fan'), branch('fan', 0)])).toEqual({
      kind: 'found',
      ...span(FDL, '# branch 0 starts', '# branch 0 ends')
    })
  })

  it('finds a step of a choice beside the choice (it runs in the choice thread), in choices and default', () => {
    expect(at([step('only-a')])).toEqual({
      kind: 'found',
      ...span(FDL, '# only-a starts', '# only-a ends')
    })
    expect(at([step('deep')])).toEqual({
      kind: 'found',
      ...span(FDL, '# deep starts', '# deep ends')
    })
    expect(at([step('final')])).toEqual({
      kind: 'found',
      ...span(FDL, '# final starts', '# final ends')
    })
    // A path naming the choice first works as well.
    expect(at([step('route'), step('only-a')])).toEqual(at([step('only-a')]))
  })

  it('reports a name written in two choice branches as ambiguous, with both places, choosing none', () => {
    expect(at([step('notify', 'task')])).toEqual({
      kind: 'ambiguous',
      reason: 'the definition has 2 steps named "notify" at the top level',
      candidates: [
        span(FDL, '# notify-a starts', '# notify-a ends'),
        span(FDL, '# notify-default starts', '# notify-default ends')
      ]
    })
  })

  it('says why a path does not fit the definition', () => {
    expect(at([step('missing')])).toEqual({
      kind: 'not-found',
      reason: 'the definition has no step named "missing" at the top level'
    })
    expect(at([step('fan', 'task')])).toEqual({
      kind: 'not-found',
      reason: 'the history ran "fan" as a task step; the definition\'s "fan" is of type "parallel"'
    })
    expect(at([step('prepare'), branch('prepare', 0), step('x')])).toMatchObject({
      kind: 'not-found',
      reason: expect.stringContaining('which is a "task" step in the definition, not a parallel')
    })
    expect(at([step('prepare'), step('x')])).toEqual({
      kind: 'not-found',
      reason: '"prepare" is a "task" step, which holds no steps, yet the path goes on to "x"'
    })
    expect(at([step('fan'), iteration('fan', 0)])).toMatchObject({ kind: 'not-found' })
    expect(at([step('fan'), branch('other', 0)])).toMatchObject({ kind: 'not-found' })
    expect(at([])).toEqual({ kind: 'not-found', reason: 'the step path is empty' })
    expect(at([branch('fan', 0)])).toMatchObject({ kind: 'not-found' })
  })

  it('finds a parallel step inside a branch without an index only when one branch has it', () => {
    expect(at([step('fan'), step('left')])).toEqual({
      kind: 'found',
      ...span(FDL, '# left starts', '# branch 0 ends')
    })
  })
})

describe('locateStep in CloudFlow', () => {
  const definition = parsed(CLOUDFLOW)
  const at = (path: PathSegment[]): ReturnType<typeof locateStep> => locateStep(definition, path)

  it('goes Parallel → branch 1 → Map → iteration → the processor state', () => {
    const expected = { kind: 'found', ...span(CLOUDFLOW, '# Upload starts', '# Upload ends') }
    const path = [step('Fan', 'parallel'), branch('Fan', 1), step('PerItem', 'foreach')]
    expect(at([...path, iteration('PerItem', 3), step('Upload', 'task')])).toEqual(expected)
    expect(at([...path, step('Upload', 'task')])).toEqual(expected)
    expect(at(path)).toEqual({
      kind: 'found',
      ...span(CLOUDFLOW, '# PerItem starts', '# PerItem ends')
    })
  })

  it("finds a distributed Map's child step in the processor, from a path that goes straight on", () => {
    expect(at([step('Shard'), step('Crunch', 'task')])).toEqual({
      kind: 'found',
      ...span(CLOUDFLOW, '# Crunch starts', '# Crunch ends')
    })
  })

  it("finds a distributed Map's failed child step through the path the drill-down grafts", () => {
    // history/map-graft.ts: the Map step (kind 'map'), the child as an iteration, its steps.
    const path = [step('Shard', 'map'), iteration('Shard', 0), step('Crunch', 'task')]
    expect(at(path)).toEqual({
      kind: 'found',
      ...span(CLOUDFLOW, '# Crunch starts', '# Crunch ends')
    })
    expect(at([step('Route', 'map')])).toMatchObject({ kind: 'not-found' })
  })

  it('keeps a Choice to its own list: its Branches are conditions, not steps', () => {
    expect(at([step('Route')])).toEqual({
      kind: 'found',
      ...span(CLOUDFLOW, '# Route starts', '# Route ends')
    })
    expect(at([step('Route'), step('Shard')])).toEqual({
      kind: 'not-found',
      reason: 'the definition has no step named "Shard" inside "Route"'
    })
    expect(at([step('Give-up')])).toEqual({
      kind: 'found',
      ...span(CLOUDFLOW, '# Give-up starts', '# Give-up ends')
    })
  })

  it('uses the CloudFlow keys only: a legacy name in a CloudFlow file is not found', () => {
    const mixed = parsed('Type: StateMachine\nStates:\n  - name: lower\n    type: task\n')
    expect(locateStep(mixed, [step('lower')])).toMatchObject({ kind: 'not-found' })
  })
})

describe('locateStep on any YAML', () => {
  it('reads JSON, one step per line or spread over lines', () => {
    const json = JSON.stringify(
      {
        version: 'v1',
        type: 'flow',
        steps: [
          { type: 'pass', name: 'a' },
          { type: 'task', name: 'b', resourceArn: 'x' }
        ]
      },
      null,
      2
    )
    const lines = json.split('\n')
    const start = lines.findIndex((l) => l.includes('"name": "b"')) // "type" comes first
    expect(locateStep(parsed(json), [step('b', 'task')])).toEqual({
      kind: 'found',
      startLine: start - 1, // the `{` line, above "type"; 1-based
      endLine: start + 3
    })
    const flat =
      '{"Type": "StateMachine", "States": [{"Name": "x", "Type": "Pass"}, {"Name": "y", "Type": "Pass"}]}'
    expect(locateStep(parsed(flat), [step('y')])).toEqual({
      kind: 'found',
      startLine: 1,
      endLine: 1
    })
  })

  it('finds a step written as an alias where the alias stands, and reads it through the anchor', () => {
    const source = `steps:
  - &common
    type: parallel
    name: shared
    branches:
      - steps:
          - type: pass
            name: inside
  - *common
`
    // Two steps named "shared" (the anchor and its alias): ambiguous, both places given. An
    // anchored mapping starts at its first key, after the anchor.
    expect(locateStep(parsed(source), [step('shared')])).toEqual({
      kind: 'ambiguous',
      reason: 'the definition has 2 steps named "shared" at the top level',
      candidates: [span(source, 'type: parallel', 'name: inside'), span(source, '*common')]
    })
    const aliased = `defs:
  - &p {type: pass, name: once}
steps:
  - *p
`
    expect(locateStep(parsed(aliased), [step('once')])).toEqual({
      kind: 'found',
      ...span(aliased, '- *p')
    })
  })

  it('does not loop on a list that holds itself through an alias', () => {
    const source = `steps:
  - type: choice
    name: loop
    choices:
      - steps: &again
          - type: choice # again
            name: again
            choices:
              - steps: *again
`
    expect(locateStep(parsed(source), [step('again')])).toEqual({
      kind: 'found',
      ...span(source, 'type: choice # again', 'steps: *again')
    })
    expect(locateStep(parsed(source), [step('nowhere')])).toMatchObject({ kind: 'not-found' })
  })

  it('refuses a document that is neither format', () => {
    expect(locateStep(parsed('name: x\n'), [step('x')])).toEqual({
      kind: 'not-found',
      reason:
        'the file is neither a legacy FDL flow (`steps:`) nor a CloudFlow state machine (`States:`)'
    })
    expect(locateStep(parsed('- a\n'), [step('a')])).toMatchObject({ kind: 'not-found' })
  })
})
