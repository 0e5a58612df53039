/**
 * A typed stand-in for @actions/core (the typescript-action template's recipe): every function is a
 * jest.fn typed to the real one, backed by plain maps, so a test sets inputs and reads back outputs,
 * saved state, the summary and the failure. Install it before importing the module under test:
 *
 *   jest.unstable_mockModule('@actions/core', () => core)
 *   const { run } = await import('../../src/main.js')
 */
import { jest } from '@jest/globals'
import type * as Core from '@actions/core'

/** What the action read and wrote through the fake; `resetCore()` empties it. */
export const fake = {
  inputs: new Map<string, string>(),
  outputs: new Map<string, string>(),
  state: new Map<string, string>(),
  secrets: [] as string[],
  summary: '',
  /** Every line logged, as `level: message`. */
  log: [] as string[],
  /** What the runner would show as annotations: error/warning/notice, and the failure. */
  annotations: [] as Annotation[],
  failed: undefined as string | undefined
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  title?: string
  message: string
  /** Where it points, as `core.error(message, {file, startLine, endLine})` gave it. */
  file?: string
  startLine?: number
  endLine?: number
}

export function resetCore(
  inputs: Record<string, string> = {},
  state: Record<string, string> = {}
): void {
  fake.inputs = new Map(Object.entries(inputs))
  fake.outputs = new Map()
  fake.state = new Map(Object.entries(state))
  fake.secrets = []
  fake.summary = ''
  fake.log = []
  fake.annotations = []
  fake.failed = undefined
}

const text = (message: string | Error): string =>
  message instanceof Error ? message.message : message

function annotate(
  level: Annotation['level'],
  message: string | Error,
  properties?: Core.AnnotationProperties
): void {
  fake.log.push(`${level}: ${text(message)}`)
  fake.annotations.push({
    level,
    ...(properties?.title !== undefined ? { title: properties.title } : {}),
    message: text(message),
    ...(properties?.file !== undefined ? { file: properties.file } : {}),
    ...(properties?.startLine !== undefined ? { startLine: properties.startLine } : {}),
    ...(properties?.endLine !== undefined ? { endLine: properties.endLine } : {})
  })
}

export const getInput = jest.fn<typeof Core.getInput>((name) => fake.inputs.get(name) ?? '')
export const getBooleanInput = jest.fn<typeof Core.getBooleanInput>(
  (name) => getInput(name) === 'true'
)
export const getMultilineInput = jest.fn<typeof Core.getMultilineInput>((name) =>
  getInput(name)
    .split('\n')
    .filter((line) => line !== '')
)
export const getState = jest.fn<typeof Core.getState>((name) => fake.state.get(name) ?? '')
export const saveState = jest.fn<typeof Core.saveState>((name, value) => {
  fake.state.set(name, String(value))
})
export const setOutput = jest.fn<typeof Core.setOutput>((name, value) => {
  fake.outputs.set(name, typeof value === 'string' ? value : JSON.stringify(value))
})
export const setSecret = jest.fn<typeof Core.setSecret>((secret) => {
  fake.secrets.push(secret)
})
export const setFailed = jest.fn<typeof Core.setFailed>((message) => {
  fake.failed = text(message)
  annotate('error', message)
})
export const info = jest.fn<typeof Core.info>((message) => {
  fake.log.push(`info: ${message}`)
})
export const debug = jest.fn<typeof Core.debug>((message) => {
  fake.log.push(`debug: ${message}`)
})
export const warning = jest.fn<typeof Core.warning>((message, properties) => {
  annotate('warning', message, properties)
})
export const error = jest.fn<typeof Core.error>((message, properties) => {
  annotate('error', message, properties)
})
export const notice = jest.fn<typeof Core.notice>((message, properties) => {
  annotate('notice', message, properties)
})
export const isDebug = jest.fn<typeof Core.isDebug>(() => false)
export const getIDToken = jest.fn<typeof Core.getIDToken>(() =>
  Promise.reject(new Error('no ID token in the fake core'))
)

/** The chainable part of core.summary the action uses; `write()` appends to `fake.summary`. */
let buffer = ''
export const summary = {
  addRaw(textToAdd: string, addEOL = false) {
    buffer += textToAdd + (addEOL ? '\n' : '')
    return summary
  },
  async write() {
    fake.summary += buffer
    buffer = ''
    return summary
  },
  emptyBuffer() {
    buffer = ''
    return summary
  },
  stringify() {
    return buffer
  }
}
