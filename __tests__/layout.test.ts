/**
 * The layering of src/ (rules in .dependency-cruiser.mjs): no import cycles, and each folder imports
 * only the folders below it. dependency-cruiser reads the real import graph, TypeScript included.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')

function cruise(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(
    process.execPath,
    [cli, '--config', '.dependency-cruiser.mjs', '--output-type', 'err', ...args],
    { cwd: root, encoding: 'utf8' }
  )
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

describe('src/ layout', () => {
  it('has no import cycle and no import against the layering', () => {
    const { status, output } = cruise('src')
    expect(output).toContain('no dependency violations found')
    expect(status).toBe(0)
  })
})
