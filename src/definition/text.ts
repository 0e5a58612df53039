/** Names from a definition or a file listing, quoted for a reason the step may log. Pure. */
import { wireText } from '../base/wire-text.js'

const NAME_MAX = 200

/** JSON-quoted (control characters escaped), workflow commands broken, bounded. */
export function quote(name: string): string {
  return wireText(JSON.stringify(name), NAME_MAX)
}

/** The first few names quoted and joined, with how many more there are. */
export function quoteSome(names: readonly string[], shown = 3): string {
  const listed = names.slice(0, shown).map(quote).join(', ')
  return names.length > shown ? `${listed} and ${names.length - shown} more` : listed
}
