/** A Config from inputs, as parseConfig makes it for the step (defaults for everything not given). */
import { parseConfig, type Config } from '../../src/config/inputs.js'

export function configOf(
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): Config {
  const all: Record<string, string> = {
    'flow-name': 'deploy',
    'execution-name': 'run-1',
    region: 'cn-hangzhou',
    'access-key-id': 'LTAIexample',
    'access-key-secret': 'secret',
    ...inputs
  }
  return parseConfig((name) => all[name] ?? '', env)
}
