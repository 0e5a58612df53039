/**
 * The answers' checks (src/fnf/answers.ts): printed fields made safe, required fields present,
 * an alias's routes within the API's ranges, each broken answer an InvalidResponse naming its call.
 */
import { describe, expect, it } from '@jest/globals'
import { aliasRoute, invalidShape, requireString, safeExecution } from '../../src/fnf/answers.js'
import { FnfError } from '../../src/fnf/errors.js'

describe('safeExecution', () => {
  it('makes the printed fields inert and bounded; the rest is left as it came', () => {
    const e = safeExecution({
      Name: 'run-1',
      Status: '::error::forged',
      StartedTime: `2025-01-01T00:00:00Z${'x'.repeat(1000)}`,
      Output: '::error::not printed here'
    })
    expect(e.Name).toBe('run-1')
    expect(e.Status.startsWith('::')).toBe(false)
    expect(e.StartedTime!.length).toBeLessThan(300)
    expect(e.Output).toBe('::error::not printed here')
  })
})

describe('aliasRoute', () => {
  it('reads a weight given as a number or a numeric string', () => {
    expect(aliasRoute('DescribeFlowAlias', { Version: '2', Weight: 10 })).toEqual({
      Version: '2',
      Weight: 10
    })
    expect(aliasRoute('ListFlowAliases', { Version: 3, Weight: '90' })).toEqual({
      Version: '3',
      Weight: 90
    })
  })

  it.each([
    [{ Version: '0', Weight: 10 }],
    [{ Version: 'latest', Weight: 10 }],
    [{ Version: '2', Weight: 101 }],
    [{ Version: '2', Weight: -1 }],
    [{ Version: '2', Weight: 1.5 }],
    [{ Version: '2' }],
    [null]
  ])('refuses %j as a route', (route) => {
    expect(() => aliasRoute('DescribeFlowAlias', route)).toThrow(
      /DescribeFlowAlias|a route is not a version number/
    )
  })
})

describe('requireString and invalidShape', () => {
  it('a missing field is an InvalidResponse that names the action, not retried', () => {
    expect(() => requireString('DescribeExecution', { Status: 'Running' }, 'Status')).not.toThrow()
    let thrown: unknown
    try {
      requireString('DescribeExecution', { Status: 7 }, 'Status')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(FnfError)
    expect(thrown).toMatchObject({
      action: 'DescribeExecution',
      code: 'InvalidResponse',
      retryable: false
    })
    expect(invalidShape('ListExecutions', 'x').message).toContain('ListExecutions')
  })
})
