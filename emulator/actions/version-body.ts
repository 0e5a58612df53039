import { chinaTime } from '../rfc3339.js'
import type { AliasRoute, FlowAliasRecord, FlowVersionRecord } from '../versions.js'
import { isoTime } from './execution-body.js'

/**
 * Response fields of the version and alias APIs. The SDK models differ from one Action to another
 * (fnf-20190315/src/models): ListFlowAliases types Weight as a string, the others as a number;
 * PublishFlowVersion, ListFlowVersions, UpdateFlowAlias and ListFlowAliases show times as
 * `2025-10-24T14:11:26+08:00`, CreateFlowAlias and DescribeFlowAlias as `…T01:01:01.001Z`. The
 * emulator answers each as its model shows, so clients meet both forms.
 */
export type TimeStyle = 'utc' | 'china'
export type WeightStyle = 'number' | 'string'

function time(ms: number, style: TimeStyle): string {
  return style === 'utc' ? isoTime(ms) : chinaTime(ms)
}

export function versionFields(v: FlowVersionRecord): Record<string, string> {
  return { Version: v.version, Description: v.description, CreatedTime: chinaTime(v.createdAt) }
}

export function routingFields(
  routes: readonly AliasRoute[],
  weight: WeightStyle
): { Version: string; Weight: number | string }[] {
  return routes.map((r) => ({
    Version: r.version,
    Weight: weight === 'number' ? r.weight : String(r.weight)
  }))
}

export function aliasFields(
  alias: FlowAliasRecord,
  style: { time: TimeStyle; weight: WeightStyle }
): Record<string, unknown> {
  return {
    Name: alias.name,
    Description: alias.description,
    RoutingConfigurations: routingFields(alias.routes, style.weight),
    CreatedTime: time(alias.createdAt, style.time)
  }
}
