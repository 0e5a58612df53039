/** A workspace-relative path as text, and where a real path is seen from the workspace. */
import { describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { pathProblem, placeIn } from '../../src/base/workspace-path.js'

describe('pathProblem', () => {
  it.each([
    ['/etc/passwd', 'is an absolute path, not one relative to the workspace'],
    ['C:/flows/a.yaml', 'is an absolute path, not one relative to the workspace'],
    ['\\\\server\\share\\a.yaml', 'is an absolute path, not one relative to the workspace'],
    ['flows\\a.yaml', 'has a backslash (separate directories with /)'],
    ['../outside.yaml', 'goes up out of the workspace with ".."'],
    ['flows/../../outside.yaml', 'goes up out of the workspace with ".."'],
    ['flows/a.yaml\0.txt', 'has a NUL character'],
    ['a'.repeat(1025), 'is longer than 1,024 characters']
  ])('refuses %j: %s', (path, reason) => {
    expect(pathProblem(path)).toBe(reason)
  })

  it('takes a plain relative path, dots in names included', () => {
    expect(pathProblem('flows/etl.yaml')).toBeUndefined()
    expect(pathProblem('./.github/flows/..etl.yaml')).toBeUndefined()
  })
})

describe('placeIn', () => {
  const root = join('/', 'work', 'repo')

  it('tells the workspace itself, a path inside it and one outside it apart', () => {
    expect(placeIn(root, root)).toBe('root')
    expect(placeIn(root, join(root, 'flows', 'etl.yaml'))).toBe('inside')
    expect(placeIn(root, join(root, '..etl.yaml'))).toBe('inside')
    expect(placeIn(root, join('/', 'work'))).toBe('outside')
    expect(placeIn(root, join('/', 'work', 'repo-other', 'etl.yaml'))).toBe('outside')
    expect(placeIn(root, join('/', 'etc', 'passwd'))).toBe('outside')
  })
})
