/**
 * Distributed Maps in a history (src/history/map-run.ts): the MapRunName in each spelling of
 * MapRunStarted's detail, a name the API would refuse left out, and the Map step the fold makes
 * of MapRun events, under every linking (support/history-model.ts).
 */
import { describe, expect, it } from '@jest/globals'
import { mapRunNameOf, mapStepsOf } from '../../src/history/index.js'
import { HistoryBuilder } from '../support/history-builder.js'
import { exec, find, fold } from '../support/history-model.js'

const NAME = 'e0c4a1b2c3d4e5f60718293a4b5c6d7e'

describe('mapRunNameOf', () => {
  it.each([
    ['in output, as the API parameter', { output: { MapRunName: NAME } }],
    ['in output, camel case', { output: { mapRunName: NAME } }],
    ['in output, snake case', { output: { map_run_name: NAME } }],
    ['in an output that is JSON text', { output: JSON.stringify({ MapRunName: NAME }) }],
    ['at the top', { MapRunName: NAME }],
    ['at the top, camel case', { mapRunName: NAME }],
    ['under Output', { Output: { MAPRUNNAME: NAME } }]
  ])('finds it %s', (_, detail) => {
    expect(mapRunNameOf(JSON.stringify(detail))).toBe(NAME)
  })

  it('prefers the output to the top of the detail', () => {
    expect(mapRunNameOf(JSON.stringify({ MapRunName: 'top', output: { MapRunName: NAME } }))).toBe(
      NAME
    )
  })

  it.each([
    ['no detail', undefined],
    ['an empty detail', '{}'],
    ['a detail that is not JSON', `MapRunName=${NAME}`],
    ['a name that is not a string', JSON.stringify({ output: { MapRunName: 42 } })],
    ['an empty name', JSON.stringify({ output: { MapRunName: '' } })],
    ['a name with a character the API refuses', JSON.stringify({ MapRunName: 'a/b' })],
    ['a name with a newline', JSON.stringify({ MapRunName: 'a\n::error::x' })],
    ['a name of 129 characters', JSON.stringify({ MapRunName: 'a'.repeat(129) })],
    ['an output that is neither object nor JSON', JSON.stringify({ output: 'done' })]
  ])('gives none for %s', (_, detail) => {
    expect(mapRunNameOf(detail)).toBeUndefined()
  })

  it('takes a name of 128 characters, the longest the rule allows', () => {
    expect(mapRunNameOf(JSON.stringify({ MapRunName: 'a'.repeat(128) }))).toBe('a'.repeat(128))
  })
})

/** prepare → process (a Map whose MapRunStarted carries `detail`) → the Map's end. */
function mapHistory(detail: unknown, end: 'fail' | 'succeed' | 'open'): HistoryBuilder {
  const h = new HistoryBuilder().started()
  h.top.pass('prepare')
  const map = h.top.open('process')
  h.top.emit('MapRunStarted', 'process', detail)
  if (end === 'fail') {
    map.fail({ error: 'FnF.MapRunFailed', cause: 'MapRun failed: 3 of 500 items failed' })
    h.failed({ error: 'FnF.MapRunFailed', cause: 'MapRun failed: 3 of 500 items failed' })
  } else if (end === 'succeed') {
    map.succeed()
    h.succeeded()
  }
  return h
}

describe('the fold of MapRun events', () => {
  it('makes the step a Map with its MapRunName, known and in its place', () => {
    const h = mapHistory({ output: { MapRunName: NAME } }, 'fail')
    const r = fold(h.events, exec('Failed'))
    const map = find(r.steps, 'process')
    expect(map).toMatchObject({ kind: 'map', mapRunName: NAME, status: 'Failed' })
    expect(r.stats.unknownEvents).toBe(0)
    expect(map?.unknownEvents).toEqual([])
    expect(mapStepsOf(r).map((s) => s.pathText)).toEqual(['process'])
    expect(r.rootCause).toMatchObject({ pathText: 'process', error: 'FnF.MapRunFailed' })
  })

  it('keeps a Map whose MapRunStarted names no MapRun, without a name', () => {
    const r = fold(mapHistory({}, 'open').events, exec('Running'))
    const map = find(r.steps, 'process')
    expect(map?.kind).toBe('map')
    expect(map?.status).toBe('Running')
    expect(map).not.toHaveProperty('mapRunName')
  })

  it('marks a step whose only MapRun event is MapRunFailed as a Map', () => {
    const h = new HistoryBuilder().started()
    const map = h.top.open('process')
    h.top.emit('MapRunFailed', 'process', { error: 'FnF.MapRunFailed', cause: 'x' })
    map.fail({ error: 'FnF.MapRunFailed', cause: 'x' })
    h.failed({ error: 'FnF.MapRunFailed', cause: 'x' })
    const r = fold(h.events, exec('Failed'))
    expect(find(r.steps, 'process')?.kind).toBe('map')
    expect(r.stats.unknownEvents).toBe(0)
  })

  it('takes the last MapRun of a Map started again (a retry starts a new one)', () => {
    const h = new HistoryBuilder().started()
    const map = h.top.open('process')
    h.top.emit('MapRunStarted', 'process', { output: { MapRunName: 'first' } })
    h.top.emit('MapRunStarted', 'process', { output: { MapRunName: NAME } })
    map.succeed()
    h.succeeded()
    expect(find(fold(h.events, exec('Succeeded')).steps, 'process')?.mapRunName).toBe(NAME)
  })

  it('finds Maps inside branches, in tree order', () => {
    const h = new HistoryBuilder().started()
    const par = h.top.open('fan')
    const b0 = par.branch(0)
    const b1 = par.branch(1)
    const left = b0.open('left-map')
    b0.emit('MapRunStarted', 'left-map', { output: { MapRunName: 'left' } })
    const right = b1.open('right-map')
    b1.emit('MapRunStarted', 'right-map', { output: { MapRunName: 'right' } })
    left.succeed()
    right.succeed()
    b0.exit()
    b1.exit()
    par.succeed()
    h.succeeded()
    const r = fold(h.events, exec('Succeeded'))
    expect(mapStepsOf(r).map((s) => [s.pathText, s.mapRunName])).toEqual([
      ['fan › branch 0 › left-map', 'left'],
      ['fan › branch 1 › right-map', 'right']
    ])
  })
})
