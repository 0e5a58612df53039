/**
 * The `definition` input's wildcards, matched against `/`-separated workspace-relative paths. Pure.
 * Kept small on purpose (Node 20's `path.matchesGlob` is experimental and warns on stderr):
 * - `*` any run of characters within one directory or file name, `?` exactly one;
 * - `**` as a whole segment: any number of directories, none included;
 * - anything else, `[`, `{` and `\` included, stands for itself; names starting with `.` match too.
 * Both levels match without backtracking regexes, in time proportional to the lengths multiplied.
 */

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?')
}

export function globMatcher(pattern: string): (path: string) => boolean {
  const segments = pattern.split('/')
  return (path) => matchSegments(segments, path.split('/'))
}

/** reach[j]: the pattern segments read so far can end just before path segment j. */
function matchSegments(pattern: readonly string[], parts: readonly string[]): boolean {
  let reach = new Array<boolean>(parts.length + 1).fill(false)
  reach[0] = true
  for (const segment of pattern) {
    const next = new Array<boolean>(parts.length + 1).fill(false)
    const first = reach.indexOf(true)
    if (first < 0) return false
    if (segment === '**') {
      for (let k = first; k <= parts.length; k++) next[k] = true
    } else {
      for (let j = first; j < parts.length; j++) {
        if (reach[j] && matchName(segment, parts[j]!)) next[j + 1] = true
      }
    }
    reach = next
  }
  return reach[parts.length] === true
}

/** `*` and `?` within one name: the classic two-pointer match, retrying from the last `*`. */
export function matchName(pattern: string, name: string): boolean {
  let p = 0
  let n = 0
  let star = -1
  let resume = 0
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p += 1
      n += 1
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p
      resume = n
      p += 1
    } else if (star >= 0) {
      p = star + 1
      resume += 1
      n = resume
    } else {
      return false
    }
  }
  while (p < pattern.length && pattern[p] === '*') p += 1
  return p === pattern.length
}
