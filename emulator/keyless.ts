/**
 * Keyless auth with no account, for `npm run emulator`: the local STS (./sts.ts) and the runner's
 * ID-token endpoint (./id-token.ts) beside the FnF emulator, set up for the README's OIDC example.
 * STS trusts that example's OIDC provider and role for the tokens the endpoint issues, and every
 * credential it mints is handed to the emulator, which accepts it until it expires.
 */
import type { Emulator } from './index.js'
import { DEFAULT_SUBJECT, startIdTokenFake, type IdTokenFake } from './id-token.js'
import { startStsFake, type StsFake } from './sts.js'

/** The ARNs of the README's first example. */
export const DEMO_OIDC_PROVIDER_ARN = 'acs:ram::123456789012:oidc-provider/github-actions'
export const DEMO_ROLE_ARN = 'acs:ram::123456789012:role/github-fnf-wait'
/** Fixed, like the demo key pair, so that the README can show it. */
export const DEMO_ID_TOKEN_REQUEST_TOKEN = 'emulator-id-token-request-token'

export interface KeylessPorts {
  sts: number
  idToken: number
}

/** With `--port N`, STS listens on N+1 and the ID-token endpoint on N+2; with 0, on free ports. */
export function keylessPorts(fnfPort: number): KeylessPorts {
  return fnfPort === 0 ? { sts: 0, idToken: 0 } : { sts: fnfPort + 1, idToken: fnfPort + 2 }
}

/** What the emulator's first stdout line says of them. */
export interface KeylessInfo {
  sts: { endpoint: string; oidcProviderArn: string; roleArn: string }
  /** The variables a runner sets for a job with `permissions: id-token: write`. */
  idToken: IdTokenFake['env']
}

export interface Keyless {
  info: KeylessInfo
  sts: StsFake
  idToken: IdTokenFake
  close(): Promise<void>
}

export async function startKeyless(
  emulator: Pick<Emulator, 'addCredential'>,
  ports: KeylessPorts = { sts: 0, idToken: 0 }
): Promise<Keyless> {
  const sts = await startStsFake({
    port: ports.sts,
    providers: [{ arn: DEMO_OIDC_PROVIDER_ARN }],
    roles: [
      {
        arn: DEMO_ROLE_ARN,
        providerArn: DEMO_OIDC_PROVIDER_ARN,
        // The repository of the tokens the endpoint issues, any ref or environment.
        subject: `${DEFAULT_SUBJECT.split(':').slice(0, 2).join(':')}:*`
      }
    ],
    onMint: (credential) => emulator.addCredential(credential)
  })
  let idToken: IdTokenFake
  try {
    idToken = await startIdTokenFake({
      port: ports.idToken,
      requestToken: DEMO_ID_TOKEN_REQUEST_TOKEN
    })
  } catch (error) {
    await sts.close()
    throw error
  }
  return {
    info: {
      sts: { endpoint: sts.url, oidcProviderArn: DEMO_OIDC_PROVIDER_ARN, roleArn: DEMO_ROLE_ARN },
      idToken: idToken.env
    },
    sts,
    idToken,
    close: async () => {
      await Promise.all([sts.close(), idToken.close()])
    }
  }
}
