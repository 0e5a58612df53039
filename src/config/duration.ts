const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }

/**
 * Parses `600` (seconds), `90s`, `30m`, `2h`, `1h30m`, `1d2h`. Returns milliseconds, or undefined
 * when the text is not a duration (the caller names the input in its error).
 */
export function parseDuration(text: string): number | undefined {
  const value = text.trim().toLowerCase()
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000)
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value)
  if (!match || value === '') return undefined
  const [, d, h, m, s] = match
  return (
    Number(d ?? 0) * UNIT_MS.d! +
    Number(h ?? 0) * UNIT_MS.h! +
    Number(m ?? 0) * UNIT_MS.m! +
    Number(s ?? 0) * UNIT_MS.s!
  )
}

/** `5400000` → `1h30m`, the `timeout` input's own shape; seconds kept only when not whole minutes. */
export function compactDuration(ms: number): string {
  let seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds === 0) return '0s'
  const parts: string[] = []
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1]
  ] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`)
      seconds %= size
    }
  }
  return parts.join('')
}
