/**
 * Best effort: the routes of the alias a start runs (DescribeFlowAlias), so the report can say
 * which versions may have run. No answer says which one did, so that is said too. Any failure (a
 * policy without fnf:DescribeFlowAlias, say) is one debug line: the report then names the alias.
 */
import * as log from '../base/log.js'
import { errorMessage } from '../base/error-text.js'
import type { Config } from '../config/inputs.js'
import type { CallOptions, FnfClient } from '../fnf/client.js'
import { routingText } from '../report/format.js'
import type { AliasRouting } from '../report/view.js'

/** Never rejects: undefined unless the step starts through an alias whose routes could be read. */
export async function readRouting(
  client: Pick<FnfClient, 'describeFlowAlias'>,
  config: Pick<Config, 'flowName' | 'start' | 'qualifier'>,
  options: CallOptions
): Promise<AliasRouting | undefined> {
  const { qualifier } = config
  if (!config.start || qualifier?.kind !== 'alias') return undefined
  try {
    const alias = await client.describeFlowAlias(
      { flowName: config.flowName, name: qualifier.text },
      options
    )
    const routing: AliasRouting = {
      alias: qualifier.text,
      routes: alias.RoutingConfigurations.map((r) => ({ version: r.Version, weight: r.Weight }))
    }
    log.info(`${routingText(routing)}.`)
    return routing
  } catch (error) {
    log.debug(
      `DescribeFlowAlias ${qualifier.text} of flow ${config.flowName} could not be read, so the ` +
        `report names the alias without its versions: ${errorMessage(error)}`
    )
    return undefined
  }
}
