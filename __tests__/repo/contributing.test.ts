/**
 * A contributor's first hour follows CONTRIBUTING.md: the emulator it starts must be where
 * .env.example sends the action, or `npm run local-action` meets a closed port.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'

const contributing = readFileSync('CONTRIBUTING.md', 'utf8')
const envExample = readFileSync('.env.example', 'utf8')

/** The ports of every `npm run emulator` command in a text (undefined: no --port, a free one). */
function emulatorPorts(text: string): Array<string | undefined> {
  return [...text.matchAll(/npm run emulator\b([^\n`]*)/g)].map(
    (m) => /--port[ =](\d+)/.exec(m[1]!)?.[1]
  )
}

describe('CONTRIBUTING.md and .env.example', () => {
  const endpoint = /^INPUT_ENDPOINT=http:\/\/127\.0\.0\.1:(\d+)$/m.exec(envExample)?.[1]

  it('start the emulator where .env.example points the action', () => {
    expect(endpoint).toMatch(/^\d+$/)
    const debug = contributing.slice(contributing.indexOf('## Debug it locally'))
    const ports = emulatorPorts(debug.slice(0, debug.indexOf('\n## ', 3)))
    expect(ports.length).toBeGreaterThan(0)
    expect(ports).toEqual(ports.map(() => endpoint))
    expect(emulatorPorts(envExample)).toEqual([endpoint])
  })

  it('notice a command without the port (the check is live)', () => {
    expect(emulatorPorts('`npm run emulator -- --no-executions`')).toEqual([undefined])
    expect(emulatorPorts('npm run emulator -- --port 4010 --no-executions')).toEqual(['4010'])
  })
})
