/**
 * The demo flows' definition files (emulator/flows/) and their scripts agree: each file holds the
 * data the emulator would render from the script (comments and layout are the file's own), and
 * the emulator serves the file's text, as it is, as the flow's Definition and each execution's
 * FlowDefinition. So the action, run in a workspace holding the files, finds the one that ran.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { renderDefinition } from '../definition.js'
import { DEMO_FLOW_FILES, DEMO_FLOWS } from '../demo-flows.js'
import { startEmulator, type Emulator } from '../index.js'
import { call } from './support/call.js'

let emu: Emulator

beforeAll(async () => {
  emu = await startEmulator({ rateLimit: null, flows: DEMO_FLOWS })
})
afterAll(async () => {
  await emu.close()
})

describe.each(DEMO_FLOWS.map((flow) => [flow.name, flow] as const))(
  'demo flow %s',
  (name, flow) => {
    const file = DEMO_FLOW_FILES[name]!
    const text = readFileSync(file, 'utf8')

    it('has a definition file, and the script takes its text as it is', () => {
      expect(flow.definition).toBe(text)
    })

    it("holds the data its script renders to, in the script's spec", () => {
      const { definition: _fromFile, ...script } = flow
      expect(parse(text)).toEqual(parse(renderDefinition(script)))
    })

    it("is served as the flow's Definition and each execution's FlowDefinition", async () => {
      const described = await call(emu, 'DescribeFlow', { Name: name })
      expect(described.json?.Definition).toBe(text)
      emu.createExecution(name, `agree-${name}`, {})
      const execution = await call(emu, 'DescribeExecution', {
        FlowName: name,
        ExecutionName: `agree-${name}`
      })
      expect(execution.json?.FlowDefinition).toBe(text)
    })
  }
)

it('names a file for every demo flow, and a flow for every file', () => {
  expect(Object.keys(DEMO_FLOW_FILES).sort()).toEqual(DEMO_FLOWS.map((f) => f.name).sort())
})
