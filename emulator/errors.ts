/**
 * The error codes the emulator answers with. HTTP statuses and messages come from the API pages
 * (shared/seeds) and the OpenAPI metadata (fnf-api.md §3); where they are silent the choice is
 * marked "emulator choice".
 */
const CATALOGUE = {
  InvalidArgument: [400, 'Parameter error. %s'],
  MissingRequiredParams: [400, "The HTTP query '%s' must be specified."],
  EntityTooLarge: [400, 'The payload size exceeds maximum allowed size (%s bytes).'],
  ActionNotSupported: [400, "The action '%s' is not supported."],
  APIVersionNotSupported: [400, "The API version '%s' is not supported."],
  // Emulator choice: the POP gateway's code and message for a replayed nonce.
  SignatureNonceUsed: [400, 'Specified signature nonce was used already.'],
  ExecutionAlreadyExists: [400, "Execution '%s' for flow '%s' already exists."],
  ExecutionAlreadyCompleted: [400, "Execution '%s' for flow '%s' has already completed."],
  InvalidAccessKeyID: [403, 'The AccessKey ID %s is invalid.'],
  SignatureNotMatch: [
    403,
    'The request signature we calculated does not match the signature you provided. Check your access key and signing method.'
  ],
  RequestTimeTooSkewed: [
    403,
    'The difference between the request time %s and the current time %s is too large.'
  ],
  // Emulator choice: the POP gateway's STS codes and messages.
  'InvalidSecurityToken.Malformed': [403, 'Specified SecurityToken is malformed.'],
  'InvalidSecurityToken.MismatchWithAccessKey': [
    403,
    'Specified SecurityToken mismatch with the AccessKey.'
  ],
  'InvalidSecurityToken.Expired': [403, 'Specified SecurityToken is expired.'],
  'Forbidden.RAM': [403, 'User not authorized to operate on the specified resource: fnf:%s.'],
  FlowNotExists: [404, 'Flow %s does not exist.'],
  ExecutionNotExists: [404, 'Execution %s for flow %s does not exist.'],
  // Emulator choice: no code is documented for an unknown MapRunName; named like the two above.
  MapRunNotExists: [404, 'MapRun %s for flow %s does not exist.'],
  // StopExecution's 409 in the API metadata (fnf-api.md §10); only ever injected (fault `conflict`).
  ConcurrentUpdateError: [409, 'Update conflict, please retry.'],
  // Emulator choice: no page names the codes for versions and aliases; these follow the
  // catalogue's `<Thing>NotExists` / `<Thing>AlreadyExists` pattern (README, "Versions, aliases
  // and express flows").
  FlowVersionNotExists: [404, 'Version %s of flow %s does not exist.'],
  FlowAliasNotExists: [404, 'Alias %s of flow %s does not exist.'],
  FlowAliasAlreadyExists: [409, 'Alias %s of flow %s already exists.'],
  PreconditionFailed: [412, '%s'],
  ResourceThrottled: [429, 'The request is throttled. Please try again later.'],
  InternalServerError: [500, 'An internal error has occurred. Please retry.']
} as const satisfies Record<string, readonly [number, string]>

export type ErrorCode = keyof typeof CATALOGUE

/** A request the API rejects; the server turns it into the JSON error body. */
export class ApiError extends Error {
  readonly status: number

  constructor(
    readonly code: ErrorCode,
    ...args: string[]
  ) {
    const [status, template] = CATALOGUE[code]
    let i = 0
    super(template.replace(/%s/g, () => args[i++] ?? '').trimEnd())
    this.status = status
  }

  /** The code with a message of its own (where a page documents the text for one case). */
  static withMessage(code: ErrorCode, message: string): ApiError {
    const e = new ApiError(code)
    e.message = message
    return e
  }
}
