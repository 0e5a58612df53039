/** Inputs as the config/ and step/ tests give them: a Config, or the InputError they make. */
import { expect } from '@jest/globals'
import { InputError } from '../../src/config/errors.js'
import { parseConfig, type Config } from '../../src/config/inputs.js'

/** Enough inputs for a valid Config: one execution, a region and a key pair. */
export const BASE_INPUTS: Readonly<Record<string, string>> = {
  'flow-name': 'deploy',
  'execution-name': 'run-1',
  region: 'cn-hangzhou',
  'access-key-id': 'LTAIexample',
  'access-key-secret': 'secret'
}

/** A Config from these inputs over BASE_INPUTS, as parseConfig makes it for the step. */
export function configOf(
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): Config {
  const all: Record<string, string> = { ...BASE_INPUTS, ...inputs }
  return parseConfig((name) => all[name] ?? '', env)
}

/** The message of the InputError these inputs (taken as they are) make; fails if they make none. */
export function inputErrorOf(
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): string {
  try {
    parseConfig((name) => inputs[name] ?? '', env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('expected an InputError')
}
