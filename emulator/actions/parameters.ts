import { ApiError } from '../errors.js'
import type { Params } from '../params.js'

/**
 * What the emulator does with each documented parameter of the APIs it serves. The list is the
 * request model of the maintained SDK (`aliyun/alibabacloud-typescript-sdk`,
 * `fnf-20190315/src/models/<Api>Request.ts`); the README's "Limits and parameters" table is checked
 * against it. A parameter is never ignored: it is implemented, or refused with 400 InvalidArgument
 * while the emulator cannot model it, so that a test never passes on a parameter nobody looked at.
 */
export interface ParameterUse {
  use: 'implemented' | 'refused'
  /** The rule the emulator applies, or why it refuses; one line, with its source. */
  rule: string
}

type ApiParameters = Readonly<Record<string, ParameterUse>>

const NAME_RULE = 'name rule (letters, digits, `_`, `-`; a letter or `_` first; 1–128)'
const LOOKUP_RULE =
  'names the service could have generated: letters, digits, `_`, `-`, `:`; 1–128 (fnf-api.md §10)'

export const API_PARAMETERS: Readonly<Record<string, ApiParameters>> = {
  DescribeExecution: {
    FlowName: { use: 'implemented', rule: `required; ${NAME_RULE}` },
    ExecutionName: { use: 'implemented', rule: `required; ${LOOKUP_RULE}` },
    WaitTimeSeconds: {
      use: 'implemented',
      rule: 'integer 0–60, default 0; > 0 long-polls until the end or that many seconds'
    }
  },
  GetExecutionHistory: {
    FlowName: { use: 'implemented', rule: `required; ${NAME_RULE}` },
    ExecutionName: { use: 'implemented', rule: `required; ${LOOKUP_RULE}` },
    Limit: {
      use: 'implemented',
      rule: 'integer 1–999, default 60 (SDK model; zh page "[1,1000)")'
    },
    NextToken: { use: 'implemented', rule: 'the EventId to continue from' }
  },
  StartExecution: {
    FlowName: { use: 'implemented', rule: `required; ${NAME_RULE}` },
    ExecutionName: {
      use: 'implemented',
      rule: `optional; ${NAME_RULE}; absent: a generated UUID`
    },
    Input: { use: 'implemented', rule: 'a JSON object; absent or empty: `{}`' },
    CallbackFnFTaskToken: {
      use: 'refused',
      rule: 'needs a parent execution waiting on a task token, which the emulator does not model'
    },
    Qualifier: {
      use: 'implemented',
      rule: 'a version number or an alias name; runs that version (an alias picks one by weight)'
    }
  },
  StopExecution: {
    FlowName: { use: 'implemented', rule: `required; ${NAME_RULE}` },
    ExecutionName: { use: 'implemented', rule: `required; ${LOOKUP_RULE}` },
    Error: { use: 'implemented', rule: '1–128 characters; in the ExecutionStopped event' },
    Cause: { use: 'implemented', rule: '1–4096 characters; in the ExecutionStopped event' }
  },
  DescribeFlow: {
    Name: { use: 'implemented', rule: `required; ${NAME_RULE}` },
    FlowVersion: { use: 'implemented', rule: "a published version: that version's Definition" }
  },
  ListExecutions: {
    FlowName: { use: 'implemented', rule: `required; ${NAME_RULE}` },
    ExecutionNamePrefix: { use: 'implemented', rule: 'names starting with it' },
    Limit: { use: 'implemented', rule: 'integer 1–99, default 60 (SDK model; zh page [1,100])' },
    MapRunName: { use: 'refused', rule: 'distributed Map runs are not modelled here' },
    MetadataOnly: {
      use: 'implemented',
      rule: '`true` / `false`; `true` leaves out Input, Output, FlowDefinition'
    },
    NextToken: { use: 'implemented', rule: 'the name of the first execution of the page' },
    Qualifier: { use: 'implemented', rule: 'executions started with exactly this Qualifier' },
    StartedTimeBegin: {
      use: 'implemented',
      rule: 'RFC 3339 with any offset and fractional seconds; inclusive'
    },
    StartedTimeEnd: {
      use: 'implemented',
      rule: 'RFC 3339 with any offset and fractional seconds; inclusive'
    },
    Status: { use: 'implemented', rule: 'one of the six statuses' }
  }
}

/** 400 InvalidArgument for the first parameter of `action` that the emulator refuses. */
export function refuseUnimplemented(action: string, params: Params): void {
  for (const [name, p] of Object.entries(API_PARAMETERS[action] ?? {})) {
    if (p.use === 'refused' && params[name] !== undefined) {
      throw new ApiError(
        'InvalidArgument',
        `${name} is not implemented by the emulator (${p.rule}); leave it out.`
      )
    }
  }
}
