/**
 * Gets the OIDC ID token that STS exchanges for credentials: from GitHub's token endpoint, or from
 * the file named by ALIBABA_CLOUD_OIDC_TOKEN_FILE (as the official credential chain does).
 * A fresh token is fetched (or the file re-read) on every call: GitHub's tokens are short-lived.
 */
import * as core from '@actions/core'
import { readFile as readFileAsync } from 'node:fs/promises'

type Env = Record<string, string | undefined>

export type IdTokenSource = () => Promise<string>

export interface IdTokenOptions {
  /** Asked of GitHub; ignored for a token file, whose token carries its own audience. */
  audience: string
  tokenFile?: string
  /** Default process.env; only read to tell a missing `id-token: write` permission apart. */
  env?: Env
  /** Default core.getIDToken, which reads ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN and masks the token. */
  getIDToken?: (audience: string) => Promise<string>
  readFile?: (path: string) => Promise<string>
  /** Default 60 s. core's HTTP client sets no timeout, and a renewal must not hang the wait. */
  timeoutMs?: number
}

/** A failure to get the ID token; the message says what to change. */
export class IdTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'IdTokenError'
  }
}

export const MISSING_PERMISSION =
  'GitHub did not give this job an ID token: ACTIONS_ID_TOKEN_REQUEST_URL and ' +
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set. Add "permissions: id-token: write" to the job (or ' +
  'the workflow); when a "permissions" block is present, every permission it leaves out is none. ' +
  'Runs for pull requests from forks get no ID token (nor secrets) whatever the permissions.'

export function createIdTokenSource(options: IdTokenOptions): IdTokenSource {
  const { audience, tokenFile } = options
  if (tokenFile !== undefined) {
    const read = options.readFile ?? ((path: string) => readFileAsync(path, 'utf8'))
    return async () => {
      let text: string
      try {
        text = await read(tokenFile)
      } catch (error) {
        throw new IdTokenError(
          `Could not read the ID token from ALIBABA_CLOUD_OIDC_TOKEN_FILE (${tokenFile}): ` +
            `${describe(error)}. Whatever writes that file must keep a current token in it, or ` +
            'unset the variable to let fnf-wait ask GitHub for one.',
          { cause: error }
        )
      }
      return checkToken(text.trim(), `ALIBABA_CLOUD_OIDC_TOKEN_FILE (${tokenFile})`)
    }
  }

  const env = options.env ?? process.env
  const getIDToken = options.getIDToken ?? ((aud: string) => core.getIDToken(aud))
  const timeoutMs = options.timeoutMs ?? 60_000
  return async () => {
    if (!env.ACTIONS_ID_TOKEN_REQUEST_URL || !env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
      throw new IdTokenError(MISSING_PERMISSION)
    }
    let token: string
    try {
      token = await withTimeout(getIDToken(audience), timeoutMs)
    } catch (error) {
      throw new IdTokenError(
        `Could not get a GitHub ID token for audience "${audience}": ${describe(error)}.`,
        { cause: error }
      )
    }
    return checkToken(token.trim(), "GitHub's token endpoint")
  }
}

/** Catches an empty file or an HTML error page before STS answers with a vaguer error. */
function checkToken(token: string, from: string): string {
  if (token === '') throw new IdTokenError(`The ID token from ${from} is empty.`)
  if (decodeJwtClaims(token) === undefined) {
    throw new IdTokenError(
      `The ID token from ${from} is not a JWT (three base64url parts separated by "." with a JSON ` +
        'payload).'
    )
  }
  return token
}

/**
 * The JWT payload, decoded but NOT verified: only used to explain a rejection (which `sub` and
 * `aud` STS saw), never to trust anything.
 */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*={0,2}$/.test(p))) return undefined
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'))
    if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
      return payload as Record<string, unknown>
    }
  } catch {
    // not JSON
  }
  return undefined
}

/** A claim as text: `aud` may be an array. */
export function claimText(claims: Record<string, unknown> | undefined, name: string): string {
  const value = claims?.[name]
  if (typeof value === 'string') return value
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(', ')
  return ''
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000}s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  // core.getIDToken's messages span several indented lines.
  return text.replace(/\s+/g, ' ').trim().replace(/\.$/, '')
}
