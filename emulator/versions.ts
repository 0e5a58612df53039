/**
 * Published versions and aliases of a flow, and which definition a Qualifier selects. Pure: the
 * store keeps the records, the actions validate parameters, and the random draw is given.
 */
import { ApiError } from './errors.js'
import type { FlowScript } from './flow-script.js'
import { NAME, VERSION } from './actions/validate.js'
import type { Params } from './params.js'

/** What an execution runs: the flow's latest definition, or one published version of it. */
export interface Revision {
  script: FlowScript
  definition: string
  /** The version number ("1", "2", …); absent for the latest definition. */
  version?: string
}

export interface FlowVersionRecord extends Revision {
  version: string
  /** PublishFlowVersion's Description ('' when none was given). */
  description: string
  /** Emulated ms. */
  createdAt: number
}

/** One RoutingConfigurations entry. */
export interface AliasRoute {
  version: string
  weight: number
}

export interface FlowAliasRecord {
  name: string
  description: string
  routes: AliasRoute[]
  /** Emulated ms. */
  createdAt: number
}

/** A flow's versions and aliases; they outlive changes to its latest definition. */
export interface Published {
  versions: Map<string, FlowVersionRecord>
  aliases: Map<string, FlowAliasRecord>
  /** The number the next PublishFlowVersion gets: numbers are never reused after a delete. */
  next: number
}

export function emptyPublished(): Published {
  return { versions: new Map(), aliases: new Map(), next: 1 }
}

/** Snapshots the latest definition as the next version. */
export function publish(
  published: Published,
  latest: Revision,
  description: string,
  at: number
): FlowVersionRecord {
  const version = String(published.next++)
  const record: FlowVersionRecord = {
    script: latest.script,
    definition: latest.definition,
    version,
    description,
    createdAt: at
  }
  published.versions.set(version, record)
  return record
}

export function findVersion(
  published: Published,
  flowName: string,
  version: string
): FlowVersionRecord {
  const record = published.versions.get(version)
  if (!record) throw new ApiError('FlowVersionNotExists', version, flowName)
  return record
}

export function findAlias(published: Published, flowName: string, name: string): FlowAliasRecord {
  const record = published.aliases.get(name)
  if (!record) throw new ApiError('FlowAliasNotExists', name, flowName)
  return record
}

/** Aliases routing to `version`, by name. */
export function aliasesUsing(published: Published, version: string): string[] {
  return [...published.aliases.values()]
    .filter((a) => a.routes.some((r) => r.version === version))
    .map((a) => a.name)
}

/** CreateFlowAlias. */
export function createAlias(
  published: Published,
  flowName: string,
  alias: FlowAliasRecord
): FlowAliasRecord {
  if (published.aliases.has(alias.name)) {
    throw new ApiError('FlowAliasAlreadyExists', alias.name, flowName)
  }
  published.aliases.set(alias.name, alias)
  return alias
}

/** UpdateFlowAlias: what is given replaces what the alias had. */
export function updateAlias(
  published: Published,
  flowName: string,
  name: string,
  change: { routes?: AliasRoute[] | undefined; description?: string | undefined }
): FlowAliasRecord {
  const alias = findAlias(published, flowName, name)
  if (change.routes !== undefined) alias.routes = change.routes
  if (change.description !== undefined) alias.description = change.description
  return alias
}

/** A Qualifier is a version number or an alias name (which starts with a letter or `_`). */
export function checkQualifier(value: string): string {
  if (!VERSION.test(value) && !NAME.test(value)) {
    throw new ApiError(
      'InvalidArgument',
      `Qualifier '${value}' is neither a version number (1, 2, ...) nor an alias name.`
    )
  }
  return value
}

/** The optional Qualifier parameter. */
export function optionalQualifier(params: Params): string | undefined {
  const value = params.Qualifier
  return value === undefined ? undefined : checkQualifier(value)
}

/**
 * The revision an execution started with `qualifier` runs: the latest definition without one, the
 * version it names, or one of the alias's versions drawn by weight with `random()` in [0, 1).
 */
export function resolveQualifier(
  latest: Revision,
  published: Published,
  flowName: string,
  qualifier: string | undefined,
  random: () => number
): Revision {
  if (qualifier === undefined) return latest
  const version = VERSION.test(qualifier)
    ? qualifier
    : pickRoute(findAlias(published, flowName, qualifier).routes, random()).version
  return findVersion(published, flowName, version)
}

/**
 * The route `draw` (in [0, 1)) falls on when each route owns a share of [0, 1) proportional to its
 * weight, in order: with routes 1 (weight 90) and 2 (weight 10), draws below 0.9 pick version 1.
 */
export function pickRoute(routes: readonly AliasRoute[], draw: number): AliasRoute {
  if (!(draw >= 0 && draw < 1))
    throw new Error(`random() must return a number in [0, 1), got ${draw}`)
  const total = routes.reduce((sum, r) => sum + r.weight, 0)
  let left = draw * total
  for (const route of routes) {
    if (left < route.weight) return route
    left -= route.weight
  }
  // Rounding at the top end: the last route that has any weight.
  const last = routes.findLast((r) => r.weight > 0)
  if (!last) throw new Error('an alias without weight cannot route')
  return last
}

/** Weights are integers in this range (emulator choice: the pages give examples, not a range). */
export const MAX_WEIGHT = 100

/**
 * RoutingConfigurations as the SDKs send it: a JSON array (the `*ShrinkRequest` models) of one or
 * two `{"Version": "1", "Weight": 30}`, distinct versions that exist, weights not all zero.
 */
export function parseRouting(raw: string, published: Published, flowName: string): AliasRoute[] {
  const bad = (why: string): ApiError =>
    new ApiError(
      'InvalidArgument',
      `RoutingConfigurations ${why}: send a JSON array of one or two {"Version":"1","Weight":100}.`
    )
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw bad('is not JSON')
  }
  if (!Array.isArray(value)) throw bad('is not an array')
  if (value.length < 1 || value.length > 2) throw bad(`has ${value.length} entries`)
  const routes = value.map((entry: unknown, i): AliasRoute => {
    const { Version: version, Weight: weight } = (entry ?? {}) as Record<string, unknown>
    if (typeof version !== 'string' || !VERSION.test(version)) {
      throw bad(`entry ${i}: Version must be a version number as a string`)
    }
    if (
      typeof weight !== 'number' ||
      !Number.isInteger(weight) ||
      weight < 0 ||
      weight > MAX_WEIGHT
    ) {
      throw bad(`entry ${i}: Weight must be an integer in [0, ${MAX_WEIGHT}]`)
    }
    return { version, weight }
  })
  if (routes.length === 2 && routes[0]?.version === routes[1]?.version) {
    throw bad('names the same version twice')
  }
  if (routes.every((r) => r.weight === 0)) throw bad('has no weight above 0')
  for (const r of routes) findVersion(published, flowName, r.version)
  return routes
}
