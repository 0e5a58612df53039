/**
 * Credentials from the runner's machine (config/machine.ts): the first of its sources that gives
 * them (the ECS instance RAM role, then ALIBABA_CLOUD_CREDENTIALS_URI, as the official chain tries
 * them) is the one used from then on, asked again before they expire (renewing.ts). Every request
 * is one HTTP attempt that never goes through the runner's proxy (as the chain's); every secret is
 * masked before anything can print it.
 */
import * as core from '@actions/core'
import { info } from '../base/log.js'
import { setTimeout as sleepFor } from 'node:timers/promises'
import type { Dispatcher } from 'undici'
import { errorMessage } from '../base/error-text.js'
import { registerSecret } from '../base/secrets.js'
import { CREDENTIALS_ADVICE } from '../config/credentials.js'
import type { MachineConfig } from '../config/machine.js'
import type { CredentialsProvider } from '../fnf/types.js'
import { directDispatcher } from '../http/dispatcher.js'
import { retrying } from '../http/retry.js'
import { fetchCredentialsUri, uriText } from './credentials-uri.js'
import { fetchEcsRole, METADATA_ORIGIN } from './ecs-metadata.js'
import { MachineCredentialsError, type MachineCredentials } from './machine-source.js'
import { DEFAULT_MIN_MARGIN_MS, isoSeconds, renewingProvider, sessionFrom } from './renewing.js'

export interface MachineDeps {
  now?: () => number
  /** Default log.info (base/log.ts). Never given a secret. */
  log?: (line: string) => void
  /** Default core.setSecret. */
  setSecret?: (secret: string) => void
  /** Default: a pool of its own that never goes through a proxy. */
  dispatcher?: Dispatcher
  /**
   * Where the ECS metadata service is: METADATA_ORIGIN, always, but for the in-process tests that
   * point it at a fake (through run()'s options; no input or variable can).
   */
  metadataOrigin?: string
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Renew once less than max(this, 20% of the lifetime) is left. Default 5 minutes. */
  minMarginMs?: number
  /** How long a renewal may keep retrying while the current credentials still work. Default 30 s. */
  renewalBudgetMs?: number
}

export interface MachineStats {
  /** Credentials got, the first ones included. */
  fetches: number
  /** Renewals that failed while the current credentials were still good (so no request failed). */
  failedRenewals: number
}

/** Nothing on the machine gave credentials: each source's reason, then what to set. */
export class NoCredentialsError extends Error {
  constructor(readonly failures: readonly unknown[]) {
    super(
      `No credentials: none was given, and the runner's machine gave none (` +
        `${failures.map((f) => errorMessage(f).replace(/\.$/, '')).join('; ')}). To fix it, ` +
        CREDENTIALS_ADVICE
    )
    this.name = 'NoCredentialsError'
  }
}

interface Source {
  fetch(first: boolean): Promise<(MachineCredentials & { from: string }) | MachineCredentialsError>
}

/** A credential whose Expiration looks past (a clock far off) is still tried, and asked again soon. */
const MIN_LIFETIME_MS = 60_000

export function createMachineCredentials(
  config: MachineConfig,
  deps: MachineDeps = {}
): { provider: CredentialsProvider; stats: MachineStats } {
  const now = deps.now ?? Date.now
  const log = deps.log ?? info
  const setSecret = (secret: string): void => {
    registerSecret(secret)
    ;(deps.setSecret ?? core.setSecret)(secret)
  }
  const dispatcher = deps.dispatcher ?? directDispatcher()
  const sleep = deps.sleep ?? ((ms: number) => sleepFor(ms))
  const minMarginMs = deps.minMarginMs ?? DEFAULT_MIN_MARGIN_MS
  const renewalBudgetMs = deps.renewalBudgetMs ?? 30_000

  const sources: Source[] = []
  const { ecs, uri } = config
  if (ecs) {
    const origin = deps.metadataOrigin ?? METADATA_ORIGIN
    sources.push({
      async fetch(first) {
        const got = await fetchEcsRole({ config: ecs, origin, dispatcher, first, setSecret })
        if (got instanceof MachineCredentialsError) return got
        const how = got.withToken ? 'with a session token' : 'IMDSv1, without a token'
        return {
          ...got,
          from: `the ECS instance RAM role ${got.roleName} (metadata service, ${how})`
        }
      }
    })
  }
  if (uri !== undefined) {
    sources.push({
      async fetch(first) {
        const got = await fetchCredentialsUri({ uri, dispatcher, first })
        if (got instanceof MachineCredentialsError) return got
        return { ...got, from: `ALIBABA_CLOUD_CREDENTIALS_URI (${uriText(new URL(uri))})` }
      }
    })
  }

  /** Transient failures (5xx, a connection cut) are tried again; `deadline` bounds a renewal. */
  const fetchFrom = (source: Source, first: boolean, deadline?: number) =>
    retrying(
      {
        label: 'Credentials',
        maxAttempts: first ? 3 : 5,
        backoff: { baseMs: 200, capMs: 5000 },
        random: deps.random,
        now,
        deadline,
        sleep,
        log,
        pastDeadline: (last: MachineCredentialsError | undefined) => last
      },
      async () => {
        const got = await source.fetch(first)
        return got instanceof MachineCredentialsError
          ? { ok: false as const, error: got }
          : { ok: true as const, value: got }
      }
    )

  let chosen: Source | undefined
  /** The chain: each source in turn until one answers; that one is asked from then on. */
  const firstAnswer = async (): Promise<MachineCredentials & { from: string }> => {
    const failures: unknown[] = []
    for (const source of sources) {
      try {
        const got = await fetchFrom(source, true)
        chosen = source
        return got
      } catch (error) {
        failures.push(error)
      }
    }
    throw new NoCredentialsError(failures)
  }
  const stats: MachineStats = { fetches: 0, failedRenewals: 0 }
  const provider = renewingProvider({
    now,
    async renew(current) {
      const startedAt = now()
      const got = chosen
        ? await fetchFrom(
            chosen,
            false,
            current && Math.min(startedAt + renewalBudgetMs, current.usableUntil)
          )
        : await firstAnswer()
      // Masked before anything else can print them.
      const { credentials } = got
      for (const secret of [credentials.accessKeySecret, credentials.securityToken]) {
        if (secret) setSecret(secret)
      }
      setSecret(credentials.accessKeyId)
      stats.fetches++
      const expiresAt = Math.max(got.expiration, startedAt + MIN_LIFETIME_MS)
      const session = sessionFrom(credentials, startedAt, expiresAt, minMarginMs)
      const until = `valid until ${isoSeconds(session.expiresAt)}, renewed after ${isoSeconds(session.renewAt)}`
      if (!current) log(`Credentials from ${got.from}: ${until}.`)
      else if (current.credentials.accessKeyId === credentials.accessKeyId) {
        log(`Asked ${got.from} again: the same credentials, ${until}.`)
      } else log(`Renewed the credentials from ${got.from}: ${until}.`)
      return session
    },
    onKept(error, current) {
      stats.failedRenewals++
      log(
        `Could not renew the credentials (${errorMessage(error)}); the current ones stay in use ` +
          `until ${isoSeconds(current.usableUntil)}, and the next request tries again.`
      )
    }
  })
  return { provider, stats }
}
