/**
 * How deeply a parsed JSON value nests, without recursion: JSON.parse copes with any depth, but
 * JSON.stringify and the renderers recurse and overflow the stack on a few thousand levels.
 * Stops counting past `limit`, so a hostile value costs no more than the walk to that depth.
 */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (node === null || typeof node !== 'object') continue
    deepest = Math.max(deepest, depth)
    if (deepest > limit) return deepest
    for (const child of Object.values(node)) stack.push([child, depth + 1])
  }
  return deepest
}
