/**
 * The calls that look into a distributed Map's MapRun, shared by live progress and the report:
 * DescribeMapRun, and ListExecutions of its failed children. Each answer is a value (what was
 * read, or a note saying why not); a RAM policy without the action gets one warning naming it,
 * once for the whole step, and the action is not asked again.
 *
 * Both draw on the service's bucket of "every other API" (10, 2 per second; the client's limiter
 * keeps 20 % of it for the rest of the account), so each request counts against the same budget
 * as the status sweeps and the stops.
 */
import type { FnfClient } from '../fnf/client.js'
import { FnfError, isDenied } from '../fnf/errors.js'
import type { Execution, ExecutionStatus, MapRun } from '../fnf/types.js'
import { errorMessage } from '../base/error-text.js'
import { safeForSink } from '../base/wire-text.js'

/** What a call brought: its value, or why there is none (plain text for the report). */
export type Looked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly note: string }

export interface LookOptions {
  deadline?: number
  signal?: AbortSignal
}

/** The failed children a listing found, the first to fail first. */
export interface FailedChildren {
  readonly executions: readonly Execution[]
  /** A page was full: there are more than these. */
  readonly more: boolean
}

/** Children listed per status (one page; the API allows 1–99). */
export const CHILDREN_LISTED = 20

/** The child statuses that count as failures, asked in this order until a page is full. */
const FAILED_STATUSES: readonly ExecutionStatus[] = ['Failed', 'TimedOut']

/** What a refused action costs the report, and what allowing it brings back. */
const LOST: Record<string, string> = {
  DescribeMapRun:
    'distributed Maps are reported without their item counts. Allow "fnf:DescribeMapRun" in the RAM policy to see them',
  ListExecutions:
    'a failed distributed Map\'s items are not read, and the report stays at the Map step. Allow "fnf:ListExecutions" in the RAM policy to see which item failed and why'
}

export class MapRunCalls {
  private readonly denied = new Set<string>()

  constructor(
    private readonly client: Pick<FnfClient, 'describeMapRun' | 'listExecutions'>,
    private readonly flowName: string,
    private readonly warning: (line: string) => void
  ) {}

  /** Whether a RAM policy refused the action earlier in this step. */
  refused(action: 'DescribeMapRun' | 'ListExecutions'): boolean {
    return this.denied.has(action)
  }

  async describe(
    executionName: string,
    mapRunName: string,
    options: LookOptions = {}
  ): Promise<Looked<MapRun>> {
    const action = 'DescribeMapRun'
    if (this.denied.has(action)) return refusedNote(action)
    try {
      const value = await this.client.describeMapRun(
        { flowName: this.flowName, executionName, mapRunName },
        options
      )
      return { ok: true, value }
    } catch (error) {
      return this.failed(action, error, options)
    }
  }

  /**
   * The MapRun's failed (then timed-out) children, one page of each at most; `expected` (the
   * counts' Failed, which counts both) saves the second listing when the first found them all.
   */
  async failedChildren(
    mapRunName: string,
    options: LookOptions = {},
    expected?: number
  ): Promise<Looked<FailedChildren>> {
    const action = 'ListExecutions'
    if (this.denied.has(action)) return refusedNote(action)
    const executions: Execution[] = []
    let more = false
    try {
      for (const status of FAILED_STATUSES) {
        if (executions.length >= Math.min(CHILDREN_LISTED, expected ?? Infinity)) break
        const page = await this.client.listExecutions(
          {
            flowName: this.flowName,
            mapRunName,
            status,
            metadataOnly: true,
            limit: CHILDREN_LISTED - executions.length
          },
          options
        )
        executions.push(...page.Executions)
        if (typeof page.NextToken === 'string' && page.NextToken !== '') more = true
      }
    } catch (error) {
      return this.failed(action, error, options)
    }
    return { ok: true, value: { executions: firstToFail(executions), more } }
  }

  private failed(action: string, error: unknown, options: LookOptions): Looked<never> {
    // A cancel stops the reading; the caller sees it as it is.
    if (options.signal?.aborted) throw error
    if (!isDenied(error)) return { ok: false, note: `${action} failed: ${errorMessage(error)}` }
    if (!this.denied.has(action)) {
      this.denied.add(action)
      const code = error instanceof FnfError ? ` (${error.code})` : ''
      this.warning(
        safeForSink(`The credentials may not call fnf:${action}${code}: ${LOST[action]}.`)
      )
    }
    return refusedNote(action)
  }
}

function refusedNote(action: string): Looked<never> {
  return { ok: false, note: `the credentials may not call fnf:${action}` }
}

/** Earliest StoppedTime first; the listing's order (oldest start first) breaks ties. */
function firstToFail(executions: readonly Execution[]): Execution[] {
  const at = (e: Execution): number => {
    const t = Date.parse(e.StoppedTime ?? '')
    return Number.isNaN(t) ? Infinity : t
  }
  return executions
    .map((e, i) => ({ e, i }))
    .sort((a, b) => at(a.e) - at(b.e) || a.i - b.i)
    .map(({ e }) => e)
}
