/**
 * A history seeded with every credential shape a capture must not keep, captured from the
 * emulator the way `npm run capture-history` captures one from the service. The fixture
 * `__tests__/fixtures/captured/seeded--credentials.json` is this capture, committed; to write it
 * again: `npx tsx __tests__/support/seeded-credentials.ts`.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startEmulator } from '../../emulator/index.js'
import { FnfClient } from '../../src/fnf/client.js'
import { clearSecrets } from '../../src/base/secrets.js'
import { redactOwnCredentials, type CapturedHistory } from '../../scripts/capture-redact.js'
import { captureExecution } from '../../scripts/capture.js'
import { encodings } from './encodings.js'

/** The capturing user's own keys and STS token. */
export const OWN = {
  accessKeyId: 'LTAI5tCaptureOwnKey01',
  accessKeySecret: 'own+Capture/Secret=Value9',
  securityToken: 'CAISownCaptureToken+abc/def=='
}

/** Someone else's credentials, known only by their shape. */
export const SHAPES = {
  accessKeyId: 'LTAI5tOtherUsersKey7788',
  stsAccessKeyId: 'STS.NUgYrLnoC37mZZCNnAJes2ifq',
  stsToken: 'CAIS8gF1q6Ft5B2yfSjIr5bkJtbBq+pM0/OBSjL3u0w9YzQx',
  signature: 'c2lnbmF0dXJlT2ZBU2lnbmVkVXJs',
  urlToken: 'CAISurlTokenValue%2Bplus%2Fslash',
  keyedSecret: 'plainSecretUnderAKey'
}

const SIGNED_URL =
  `https://bucket.oss-cn-hangzhou.aliyuncs.com/obj?Expires=1700000000&OSSAccessKeyId=${SHAPES.accessKeyId}` +
  `&Signature=${SHAPES.signature}&security-token=x&SecurityToken=${SHAPES.urlToken}`

/** The own secret and token in every encoding a service, proxy or flow might echo them in. */
const OWN_ECHOES = [OWN.accessKeySecret, OWN.securityToken].flatMap((s) =>
  Object.values(encodings(s))
)

export const FLOW = 'seeded'
export const EXECUTION = 'credentials'

/** Errors, causes, messages, nested objects and step names, each holding credentials. */
export const SEEDED_FLOW = {
  name: FLOW,
  hold: true,
  steps: [
    {
      type: 'pass' as const,
      name: `call-${SHAPES.accessKeyId}`,
      catch: true,
      fail: {
        error: `Leak.${SHAPES.stsAccessKeyId}`,
        cause: {
          message: `assumed ${SHAPES.stsAccessKeyId} with ${SHAPES.stsToken}`,
          errorMessage: `GET ${SIGNED_URL} failed`,
          detail: { url: SIGNED_URL, echoes: OWN_ECHOES, id: OWN.accessKeyId },
          AccessKeySecret: SHAPES.keyedSecret,
          Credentials: { AccessKeyId: SHAPES.accessKeyId, SecurityToken: SHAPES.stsToken }
        }
      }
    },
    {
      type: 'fail' as const,
      name: 'final',
      error: 'Final.Error',
      cause: [
        `own key ${OWN.accessKeyId}`,
        ...OWN_ECHOES,
        `other ${SHAPES.accessKeyId} ${SHAPES.stsAccessKeyId}`,
        `token ${SHAPES.stsToken}`,
        SIGNED_URL
      ].join('\n')
    }
  ]
}

/** What must not survive in a fixture, each under a name for the failure message. */
export function credentialProbes(): Record<string, string> {
  const probes: Record<string, string> = { ...SHAPES, ownAccessKeyId: OWN.accessKeyId }
  for (const secret of [OWN.accessKeySecret, OWN.securityToken]) {
    for (const [name, text] of Object.entries(encodings(secret))) {
      // For base64 of a longer value, 12 characters of its middle identify the secret.
      probes[`${secret.slice(0, 6)} as ${name}`] = name.startsWith('base64')
        ? text.slice(8, 20)
        : text
    }
  }
  return probes
}

/** Captures the seeded execution from a fresh emulator, as capture-history does. */
export async function captureSeeded(): Promise<CapturedHistory> {
  const emulator = await startEmulator({
    rateLimit: null,
    flows: [SEEDED_FLOW],
    credentials: [OWN]
  })
  try {
    emulator.createExecution(FLOW, EXECUTION, {})
    emulator.release(FLOW, EXECUTION)
    const client = new FnfClient({ endpoint: emulator.url, credentials: () => OWN })
    clearSecrets()
    redactOwnCredentials(OWN.accessKeyId, OWN.accessKeySecret, OWN.securityToken)
    return await captureExecution(client, FLOW, EXECUTION)
  } finally {
    clearSecrets()
    await emulator.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fixture = await captureSeeded()
  fixture.note =
    'A history seeded with every credential shape (__tests__/support/seeded-credentials.ts)'
  const file = fileURLToPath(
    new URL('../fixtures/captured/seeded--credentials.json', import.meta.url)
  )
  writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`)
  console.log(`Wrote ${file}`)
}
