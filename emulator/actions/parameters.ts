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
/** FlowName everywhere, and the Name of DescribeFlow and of the alias Actions. */
const REQUIRED_NAME: ParameterUse = { use: 'implemented', rule: `required; ${NAME_RULE}` }
const MAP_RUN_RULE = '1–128 letters, digits, `_`, `-`; unknown: 404 MapRunNotExists'
const VERSION_RULE = 'a version number (1, 2, …); unknown: 404 FlowVersionNotExists'
const QUALIFIER_RULE =
  'a version number or an alias name; runs that version (an alias picks one by weight)'
const DESCRIPTION_RULE = 'any text; absent: empty'
const LIST_LIMIT_RULE = 'integer 1–99, default 60 (emulator choice: the range of ListExecutions)'
const ROUTING_RULE =
  'a JSON array of one or two `{"Version","Weight"}`: versions that exist, integer weights 0–100'

export const API_PARAMETERS: Readonly<Record<string, ApiParameters>> = {
  DescribeExecution: {
    FlowName: REQUIRED_NAME,
    ExecutionName: { use: 'implemented', rule: `required; ${LOOKUP_RULE}` },
    WaitTimeSeconds: {
      use: 'implemented',
      rule: 'integer 0–60, default 0; > 0 long-polls until the end or that many seconds'
    }
  },
  GetExecutionHistory: {
    FlowName: REQUIRED_NAME,
    ExecutionName: { use: 'implemented', rule: `required; ${LOOKUP_RULE}` },
    Limit: {
      use: 'implemented',
      rule: 'integer 1–999, default 60 (SDK model; zh page "[1,1000)")'
    },
    NextToken: { use: 'implemented', rule: 'the EventId to continue from' }
  },
  StartExecution: {
    FlowName: REQUIRED_NAME,
    ExecutionName: {
      use: 'implemented',
      rule: `optional; ${NAME_RULE}; absent: a generated UUID`
    },
    Input: { use: 'implemented', rule: 'a JSON object; absent or empty: `{}`' },
    CallbackFnFTaskToken: {
      use: 'refused',
      rule: 'needs a parent execution waiting on a task token, which the emulator does not model'
    },
    Qualifier: { use: 'implemented', rule: QUALIFIER_RULE }
  },
  StopExecution: {
    FlowName: REQUIRED_NAME,
    ExecutionName: { use: 'implemented', rule: `required; ${LOOKUP_RULE}` },
    Error: { use: 'implemented', rule: '1–128 characters; in the ExecutionStopped event' },
    Cause: { use: 'implemented', rule: '1–4096 characters; in the ExecutionStopped event' }
  },
  DescribeFlow: {
    Name: REQUIRED_NAME,
    FlowVersion: { use: 'implemented', rule: `${VERSION_RULE}; that version's Definition` }
  },
  ListExecutions: {
    FlowName: REQUIRED_NAME,
    ExecutionNamePrefix: { use: 'implemented', rule: 'names starting with it' },
    Limit: { use: 'implemented', rule: 'integer 1–99, default 60 (SDK model; zh page [1,100])' },
    MapRunName: {
      use: 'implemented',
      rule: `that MapRun's children instead of the flow's executions; ${MAP_RUN_RULE}`
    },
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
  },
  StartSyncExecution: {
    ExecutionName: {
      use: 'implemented',
      rule: `optional; ${NAME_RULE}; named \`{ExecutionName}:{UUID}\`; absent: a generated UUID`
    },
    FlowName: {
      use: 'implemented',
      rule: `required; ${NAME_RULE}; a standard flow: 400 ActionNotSupported`
    },
    Input: { use: 'implemented', rule: 'a JSON object; absent or empty: `{}`' },
    Qualifier: { use: 'implemented', rule: QUALIFIER_RULE }
  },
  PublishFlowVersion: {
    FlowName: REQUIRED_NAME,
    Description: { use: 'implemented', rule: DESCRIPTION_RULE }
  },
  ListFlowVersions: {
    FlowName: REQUIRED_NAME,
    Limit: { use: 'implemented', rule: LIST_LIMIT_RULE },
    NextToken: { use: 'implemented', rule: 'the first version of the page' }
  },
  DeleteFlowVersion: {
    FlowName: REQUIRED_NAME,
    FlowVersion: {
      use: 'implemented',
      rule: `required; ${VERSION_RULE}; one an alias routes to: 412 PreconditionFailed`
    }
  },
  CreateFlowAlias: {
    FlowName: REQUIRED_NAME,
    Description: { use: 'implemented', rule: DESCRIPTION_RULE },
    Name: { use: 'implemented', rule: `required; ${NAME_RULE}; taken: 409 FlowAliasAlreadyExists` },
    RoutingConfigurations: { use: 'implemented', rule: `required; ${ROUTING_RULE}` }
  },
  UpdateFlowAlias: {
    FlowName: REQUIRED_NAME,
    Description: {
      use: 'implemented',
      rule: 'any text; replaces the description; absent: keeps it'
    },
    Name: REQUIRED_NAME,
    RoutingConfigurations: {
      use: 'implemented',
      rule: `${ROUTING_RULE}; replaces the routes; absent: keeps them`
    }
  },
  DescribeFlowAlias: {
    FlowName: REQUIRED_NAME,
    Name: REQUIRED_NAME
  },
  ListFlowAliases: {
    FlowName: REQUIRED_NAME,
    Limit: { use: 'implemented', rule: LIST_LIMIT_RULE },
    NextToken: { use: 'implemented', rule: 'the first alias name of the page' }
  },
  DeleteFlowAlias: {
    FlowName: REQUIRED_NAME,
    Name: REQUIRED_NAME
  },
  DescribeMapRun: {
    FlowName: REQUIRED_NAME,
    ExecutionName: { use: 'implemented', rule: `required; ${LOOKUP_RULE}; the parent execution` },
    MapRunName: {
      use: 'implemented',
      rule: `required; ${MAP_RUN_RULE}, also for one of another execution`
    },
    RequestId: { use: 'implemented', rule: "the answer's RequestId, as for every API" }
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
