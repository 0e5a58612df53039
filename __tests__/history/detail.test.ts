import { describe, expect, it } from '@jest/globals'
import { parseErrorDetail, readCause, readIndex } from '../../src/history/index.js'

describe('parseErrorDetail', () => {
  it('reads the service spelling error/cause', () => {
    expect(parseErrorDetail('{"error":"FnF.Fail","cause":"boom"}')).toEqual({
      json: true,
      error: 'FnF.Fail',
      cause: 'boom'
    })
  })

  it.each([
    ['{"Error":"E","Cause":"C"}'],
    ['{"errorCode":"E","errorMessage":"C"}'],
    ['{"ErrorCode":"E","ErrorMessage":"C"}'],
    ['{"error":{"code":"E","message":"C"}}']
  ])('reads other spellings: %s', (detail) => {
    expect(parseErrorDetail(detail)).toMatchObject({ error: 'E', cause: 'C' })
  })

  it('parses a Function Compute payload in the cause and keeps the raw', () => {
    const cause = JSON.stringify({
      errorMessage: 'connect ECONNREFUSED',
      errorType: 'Error',
      stackTrace: ['at a', 'at b']
    })
    const d = parseErrorDetail(JSON.stringify({ error: 'FC.Unhandled', cause }))
    expect(d.cause).toBe('connect ECONNREFUSED')
    expect(d.causeType).toBe('Error')
    expect(d.causeRaw).toBe(cause)
  })

  it('leaves a cause that only looks like JSON alone', () => {
    expect(readCause('{not json')).toEqual({ cause: '{not json' })
    expect(readCause('{"other":1}')).toEqual({ cause: '{"other":1}' })
  })

  it('falls back to the raw detail, truncated, when it is not JSON', () => {
    const d = parseErrorDetail(`oops ${'z'.repeat(10_000)}`, { error: 10, cause: 100 })
    expect(d.json).toBe(false)
    expect(d.raw?.startsWith('oops zzz')).toBe(true)
    expect(d.raw?.length).toBeLessThan(140)
    expect(d.raw).toContain('more chars]')
  })

  it('keeps unfamiliar JSON as raw and ignores empty details', () => {
    expect(parseErrorDetail('{"reason":"x"}')).toEqual({ json: true, raw: '{"reason":"x"}' })
    expect(parseErrorDetail('')).toEqual({ json: false })
    expect(parseErrorDetail('{}')).toEqual({ json: true })
    expect(parseErrorDetail(undefined)).toEqual({ json: false })
  })

  it('stringifies non-string values instead of printing [object Object]', () => {
    expect(parseErrorDetail('{"error":"E","cause":{"a":[1]}}').cause).toBe('{"a":[1]}')
    expect(parseErrorDetail('{"error":500,"cause":true}')).toMatchObject({
      error: '500',
      cause: 'true'
    })
  })

  it('truncates long errors and causes', () => {
    const d = parseErrorDetail(
      JSON.stringify({ error: 'E'.repeat(2000), cause: 'c'.repeat(50_000) })
    )
    expect(d.error!.length).toBeLessThan(600)
    expect(d.cause!.length).toBeLessThan(4200)
  })
})

describe('readIndex', () => {
  it('reads branchIndex/index, numeric strings too', () => {
    expect(readIndex('{"branchIndex":2}', ['branchIndex', 'index'])).toBe(2)
    expect(readIndex('{"index":"17"}', ['index'])).toBe(17)
    expect(readIndex('{"index":-1}', ['index'])).toBeUndefined()
    expect(readIndex('nope', ['index'])).toBeUndefined()
  })

  it('does not parse a huge detail, but still finds the index', () => {
    const detail = `{"index":5,"pad":"${'x'.repeat(100_000)}"}`
    expect(readIndex(detail, ['index'])).toBe(5)
  })
})

describe('parseErrorDetail: details spelled other ways', () => {
  it('reads CloudFlow Fail states (Code / Detail)', () => {
    expect(parseErrorDetail('{"Code":"Deploy.Rejected","Detail":"quota exceeded"}')).toMatchObject({
      error: 'Deploy.Rejected',
      cause: 'quota exceeded'
    })
  })

  it('reads a Function Compute error (errorType / errorMessage) as the detail itself', () => {
    expect(
      parseErrorDetail('{"errorMessage":"boom","errorType":"TypeError","stackTrace":[]}')
    ).toMatchObject({ error: 'TypeError', cause: 'boom' })
  })

  it('reads keys in any case and with underscores', () => {
    expect(parseErrorDetail('{"ERROR":"E","CAUSE":"c"}')).toMatchObject({ error: 'E', cause: 'c' })
    expect(parseErrorDetail('{"error_code":"E2","error_message":"m"}')).toMatchObject({
      error: 'E2',
      cause: 'm'
    })
  })

  it('reads a cause that is itself JSON, whatever its spelling', () => {
    const d = parseErrorDetail(
      JSON.stringify({ Error: 'FC.Unhandled', Cause: '{"ErrorMessage":"no","ERRORTYPE":"X"}' })
    )
    expect(d).toMatchObject({ error: 'FC.Unhandled', cause: 'no', causeType: 'X' })
  })
})
