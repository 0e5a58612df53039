/**
 * `npm run capture-history -- --flow F --execution E [--endpoint URL] [--out DIR]`: reads one
 * execution's whole history (and, when a distributed Map of it failed, its first failed children's)
 * and writes a redacted fixture (scripts/capture-redact.ts says what is kept) to
 * __tests__/fixtures/captured/, with the root cause the report gives today beside it.
 * Region and keys come from the environment variables the action reads (ALIBABA_CLOUD_REGION_ID,
 * ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET / SECURITY_TOKEN, or their ALIBABACLOUD_ / ALICLOUD_ forms).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { FnfClient } from '../src/fnf/client.js'
import { parseConfig } from '../src/config/inputs.js'
import { isExistingName, isValidName } from '../src/config/names.js'
import { redactOwnCredentials } from './capture-redact.js'
import { captureExecution } from './capture.js'

const { values } = parseArgs({
  options: {
    flow: { type: 'string' },
    execution: { type: 'string' },
    endpoint: { type: 'string' },
    out: { type: 'string', default: join('__tests__', 'fixtures', 'captured') }
  }
})
const flow = values.flow ?? ''
const execution = values.execution ?? ''
// Any execution that exists, also one the service named (a UUID, an express `{name}:{UUID}`).
if (!isValidName(flow) || !isExistingName(execution)) {
  console.error(
    'Usage: npm run capture-history -- --flow <flow name> --execution <execution name>\n' +
      'with ALIBABA_CLOUD_REGION_ID, ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET set.'
  )
  process.exit(2)
}

const inputs: Record<string, string> = {
  'flow-name': flow,
  'execution-name': execution,
  endpoint: values.endpoint ?? ''
}
const config = parseConfig((name) => inputs[name] ?? '', process.env)
const keys = config.credentials
if (keys === undefined) {
  console.error(
    'No access keys: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.'
  )
  process.exit(2)
}
const client = new FnfClient({ endpoint: config.fnfEndpoint, credentials: () => keys })
// The capturing user's own keys are redacted in every encoding, wherever a flow echoed them.
redactOwnCredentials(keys.accessKeyId, keys.accessKeySecret, keys.securityToken)
const fixture = await captureExecution(client, flow, execution, (line) => console.error(line))
mkdirSync(values.out, { recursive: true })
// `:` is not allowed in a file name on Windows.
const file = join(values.out, `${flow}--${execution.replaceAll(':', '_')}.json`)
writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`)
const children = (fixture.mapRuns ?? []).reduce((n, m) => n + m.children.length, 0)
console.log(
  `Wrote ${file}: ${fixture.events.length} events` +
    (children > 0 ? ` and ${children} failed Map item(s)` : '') +
    '; the report says:'
)
console.log(JSON.stringify(fixture.expected, null, 2))
console.log('If that is not the failure you saw, correct "expected" before sending the file in.')
