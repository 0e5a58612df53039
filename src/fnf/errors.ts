/** The one error type the FnF client throws, and the hints that turn service codes into advice. */

import {
  describeFailure,
  INVALID_RESPONSE,
  ServiceError,
  type ServiceErrorInit
} from '../http/errors.js'

/** The caller's deadline had passed before the first attempt could start (status 0). */
export const DEADLINE_EXCEEDED = 'DeadlineExceeded'

export interface FnfErrorInit extends ServiceErrorInit {
  /** API action, e.g. `DescribeExecution`. */
  action: string
  cause?: unknown
}

export class FnfError extends ServiceError {
  readonly action: string

  constructor(init: FnfErrorInit) {
    const hint = init.hint ? ` Hint: ${init.hint}` : ''
    super(`${init.action} failed: ${describeFailure(init)}${hint}`, init, { cause: init.cause })
    this.name = 'FnfError'
    this.action = init.action
  }
}

export interface HintContext {
  action: string
  flowName?: string
  executionName?: string | undefined
  /** The version or alias a start asked for. */
  qualifier?: string | undefined
  /** Base URL the request went to, so a wrong region is visible. */
  endpoint?: string
}

const CREDENTIAL_INPUTS =
  'the `access-key-id` / `access-key-secret` inputs (or ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET)'
const WHERE_INPUTS = '`region` (or ALIBABA_CLOUD_REGION_ID) / `endpoint`'

/** What the user should check or change for a given failure code; undefined when we have nothing useful. */
export function hintFor(code: string, context: HintContext): string | undefined {
  const at = context.endpoint ? ` at ${context.endpoint}` : ''
  const flow = context.flowName ? ` "${context.flowName}"` : ''
  const lower = code.toLowerCase()

  if (lower.startsWith('invalidaccesskeyid')) {
    return `The AccessKey ID is unknown or disabled. Check ${CREDENTIAL_INPUTS}; with STS credentials, the ID, secret and \`security-token\` must all come from the same role session.`
  }
  if (code === 'SignatureNotMatch' || code === 'SignatureDoesNotMatch') {
    return `The request signature was rejected. Check that ${CREDENTIAL_INPUTS} belong together and that the secret has no stray spaces or newline; a proxy that rewrites query strings also causes this.`
  }
  if (code === 'RequestTimeTooSkewed') {
    return "The runner's clock is too far from Alibaba Cloud's (the client corrects it once from the server's Date header when there is one). Sync the clock (NTP) on the runner."
  }
  // InvalidSecurityToken.Expired / .MismatchWithAccessKey / .Malformed, SecurityTokenExpired, …
  if (lower.includes('securitytoken')) {
    return 'The STS security token is expired or invalid. Pass the current token in the `security-token` input (or ALIBABA_CLOUD_SECURITY_TOKEN) together with the AccessKey ID and secret issued with it; for long waits, request a role session that outlasts the timeout.'
  }
  // The code for an unknown version or alias is undocumented: FlowVersionNotExists,
  // FlowAliasNotExists or any other that names a version, an alias or the qualifier.
  if (context.qualifier !== undefined && /version|alias|qualifier/i.test(code)) {
    return `"${context.qualifier}" is not a published version or an alias of flow${flow}${at}. Check \`qualifier\` against the flow's versions and aliases (the console, or ListFlowVersions and ListFlowAliases), or leave it empty to run the latest definition.`
  }
  if (code === 'FlowNotExists') {
    return `Flow${flow} was not found${at}. Check \`flow-name\` (case-sensitive) and that ${WHERE_INPUTS} points at the region the flow lives in.`
  }
  if (code === 'ExecutionNotExists') {
    const exec = context.executionName ? ` "${context.executionName}"` : ''
    return `Execution${exec} of flow${flow} was not found${at}. Check \`execution-name\`, \`flow-name\` and ${WHERE_INPUTS}; executions cannot be read once their flow is deleted.`
  }
  if (lower.startsWith('accessdenied')) {
    return `The service denied fnf:${context.action} to these credentials; the API reference gives AccessDenied as "the resource doesn't belong to you". Check that \`flow-name\` and ${WHERE_INPUTS} name a flow of the account the credentials belong to, and that the RAM user or role is allowed "fnf:${context.action}" (the FnF actions take no resource-level permission: grant it on "Resource": "*").`
  }
  if (code === 'Forbidden.RAM') {
    return `The RAM user or role behind the credentials may not call fnf:${context.action}. Grant it a RAM policy that allows the action "fnf:${context.action}" on "Resource": "*" (the FnF actions take no resource-level permission), or use other credentials.`
  }
  if (code === 'EntityTooLarge') {
    return `The request was larger than the service takes (1,024 KiB per request). With \`start\`, make \`input\` smaller or pass large data by reference (an object key or a URL); a proxy that adds to the request${at} can also cause this.`
  }
  if (code === 'ConcurrentUpdateError') {
    return 'The service was changing the execution at the same moment ("Update conflict, please retry."); the action retried within its deadline. Run it again; a stop the main step could not send is tried again by the post step.'
  }
  if (code === 'PreconditionFailed') {
    return `The service says a precondition of fnf:${context.action} was not met; the API reference lists PreconditionFailed without saying which, so the message above is the best guide. Check the state of flow${flow} and of the execution in the console.`
  }
  if (code === 'UnsupportedMediaType') {
    return `The service refused the request's content type. The action sends its form body as application/x-www-form-urlencoded, as Alibaba's SDKs do: a proxy that rewrites requests${at} causes this. Check \`endpoint\`, and HTTPS_PROXY / NO_PROXY.`
  }
  if (code === INVALID_RESPONSE) {
    return `Something other than the FnF API answered${at}: check \`endpoint\`, and HTTPS_PROXY / NO_PROXY if the runner uses a proxy.`
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `The endpoint host name could not be resolved. Check ${WHERE_INPUTS} and the runner's DNS.`
  }
  if (code === 'ECONNREFUSED') {
    return `Nothing accepted the connection${at}. Check \`endpoint\`, and HTTPS_PROXY / NO_PROXY if the runner uses a proxy.`
  }
  if (code === 'ResourceThrottled' || code.startsWith('Throttling')) {
    return 'Requests are being throttled. Poll less often, or run fewer workflows against this account at once.'
  }
  return undefined
}

/** Denied by a RAM policy (or an account setting): retrying cannot help. */
export function isDenied(error: unknown): boolean {
  if (!(error instanceof FnfError)) return false
  const code = error.code.toLowerCase()
  return (
    code.startsWith('accessdenied') ||
    code.startsWith('forbidden') ||
    code.startsWith('nopermission') ||
    code === 'notauthorized'
  )
}
