/**
 * Whether the flow is Standard or Express, learnt without costing a standard flow a request:
 * StartExecution goes first, and only a refusal of it asks DescribeFlow, once for the whole step.
 * Where DescribeFlow is denied, the refusal is the only clue: StartSyncExecution is tried, which a
 * standard flow refuses without starting anything. Waiting by name without `start`, the mode
 * explains why an execution cannot be found.
 */
import * as log from '../base/log.js'
import { errorMessage } from '../base/error-text.js'
import type { Config } from '../config/inputs.js'
import type { CallOptions, FnfClient } from '../fnf/client.js'
import { FnfError } from '../fnf/errors.js'
import type { Tracked } from './execution-outcome.js'

export type FlowMode = 'Standard' | 'Express'

/** What starting an execution does about the mode after StartExecution was refused. */
export type AfterRefusal = 'express' | 'try-express' | 'standard'

/** Codes about the request's credentials or signature: the flow's mode has nothing to do with them. */
const CREDENTIAL_CODE =
  /^(InvalidAccessKeyId|SignatureNotMatch|SignatureDoesNotMatch|InvalidSecurityToken|SecurityTokenExpired|RequestTimeTooSkewed|SignatureNonceUsed)/

/**
 * A refusal that may mean "not in this mode": any 4xx but a missing flow, version, alias or
 * execution (404), a throttle (429), a name taken, or bad credentials. The code an express flow's
 * StartExecution gets is undocumented, so no code is relied on.
 */
export function mayBeModeRefusal(error: unknown): boolean {
  if (!(error instanceof FnfError)) return false
  const { status, code } = error
  if (status < 400 || status > 499 || status === 404 || status === 429) return false
  return code !== 'ExecutionAlreadyExists' && !CREDENTIAL_CODE.test(code)
}

/** The step's knowledge of the flow's mode: asked of DescribeFlow at most once. */
export class FlowModes {
  private described: Promise<FlowMode | undefined> | undefined
  private mode: FlowMode | undefined

  constructor(
    private readonly client: Pick<FnfClient, 'describeFlow'>,
    private readonly config: Pick<Config, 'flowName' | 'wait'>,
    private readonly options: CallOptions
  ) {}

  /** Known once DescribeFlow said it, or once a StartSyncExecution was accepted. */
  get known(): FlowMode | undefined {
    return this.mode
  }

  /** An express start went through: the flow is express whatever DescribeFlow could say. */
  learnExpress(): void {
    if (this.mode !== 'Express') this.announce()
    this.mode = 'Express'
  }

  /** DescribeFlow's ExecutionMode ('' is Standard); undefined when it could not be read. */
  describe(): Promise<FlowMode | undefined> {
    this.described ??= this.client.describeFlow({ name: this.config.flowName }, this.options).then(
      (flow) => {
        const mode = flow.ExecutionMode === 'Express' ? 'Express' : 'Standard'
        if (mode === 'Express') this.learnExpress()
        else this.mode = mode
        return mode
      },
      (error: unknown) => {
        log.debug(
          `DescribeFlow of ${this.config.flowName} could not be read, so its mode is not known: ` +
            errorMessage(error)
        )
        return undefined
      }
    )
    return this.described
  }

  /** After StartExecution's refusal: run it as an express execution, try that, or give up. */
  async afterRefusal(error: unknown): Promise<AfterRefusal> {
    if (this.mode === 'Express') return 'express'
    if (!mayBeModeRefusal(error)) return 'standard'
    const mode = await this.describe()
    if (mode === undefined) return 'try-express'
    return mode === 'Express' ? 'express' : 'standard'
  }

  private announce(): void {
    log.info(
      `Flow ${this.config.flowName} is an Express flow: each execution runs with StartSyncExecution, ` +
        'one request the service answers when the execution ends (at most 5 minutes)' +
        // No request starts an express execution without waiting for its end.
        (this.config.wait ? '.' : ', so "wait: false" waits for that answer all the same.')
    )
  }
}

/** Waiting by name on an execution of an express flow: why there is nothing to wait on. */
export class ExpressNotFollowableError extends Error {
  constructor(flowName: string, executionName: string | undefined, cause: unknown) {
    const which = executionName === undefined ? '' : ` for ${executionName}`
    super(
      `Flow ${flowName} is an Express flow: express executions keep no history and no API finds ` +
        `one by name (DescribeExecution answers ExecutionNotExists${which}), so there is nothing ` +
        'to wait on. Start the execution from this step instead: with "start: true" the action ' +
        'runs it with StartSyncExecution and reports how it ended.',
      { cause }
    )
    this.name = 'ExpressNotFollowableError'
  }
}

/** Not found by name: the execution may be an express one, which no API finds. */
export function notFound(error: unknown): boolean {
  return error instanceof FnfError && error.code === 'ExecutionNotExists'
}

/**
 * Without `start`: the errors of executions that could not be found, explained when the flow
 * turns out to be express (one DescribeFlow, only when something was not found).
 */
export async function explainNotFound<E extends { why: string; error?: unknown }>(
  modes: FlowModes,
  flowName: string,
  outcomes: readonly Tracked[],
  end: E
): Promise<{ outcomes: readonly Tracked[]; end: E }> {
  const missing = outcomes.filter((t) => t.state === 'lost' && notFound(t.error))
  const fatal = end.why === 'fatal' && notFound(end.error)
  if ((missing.length === 0 && !fatal) || (await modes.describe()) !== 'Express') {
    return { outcomes, end }
  }
  const explained = (name: string | undefined, error: unknown) =>
    new ExpressNotFollowableError(flowName, name, error)
  // A fatal one is the single execution's, or (wait: false) the first of several to fail.
  const fatalName = outcomes.length === 1 ? outcomes[0]!.name : undefined
  return {
    outcomes: outcomes.map((t) =>
      t.state === 'lost' && notFound(t.error) ? { ...t, error: explained(t.name, t.error) } : t
    ),
    end: fatal ? { ...end, error: explained(fatalName, end.error) } : end
  }
}
