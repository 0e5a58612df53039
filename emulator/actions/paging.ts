import { ApiError } from '../errors.js'

/**
 * One page of `all` for a list Action whose NextToken is the key of the first item of the next
 * page (the service's token is opaque). A token that names no item is InvalidArgument.
 */
export function page<T>(
  all: readonly T[],
  key: (item: T) => string,
  token: string | undefined,
  limit: number
): { items: T[]; next?: string } {
  const first = token ? all.findIndex((item) => key(item) === token) : 0
  if (first < 0) throw new ApiError('InvalidArgument', `NextToken '${token}' is invalid.`)
  const items = all.slice(first, first + limit)
  const following = all[first + limit]
  return following === undefined ? { items } : { items, next: key(following) }
}
