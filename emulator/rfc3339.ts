/**
 * RFC 3339 `date-time` (section 5.6): `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, `T` and `Z` in
 * either case. Leap seconds (`:60`) are refused: no service clock hands them out.
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

/** `2016-02-23T12:46:24Z`: UTC to the second (RPC `Timestamp`, STS and ECS `Expiration`). */
export function formatRfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000

/** `2025-10-24T14:11:26+08:00`: China Standard Time to the second, as the API models show it. */
export function chinaTime(ms: number): string {
  return new Date(Math.floor(ms) + CHINA_OFFSET_MS).toISOString().slice(0, 19) + '+08:00'
}

/** The instant as epoch ms (fractions below a millisecond kept), or undefined when malformed. */
export function parseRfc3339(text: string): number | undefined {
  const m = DATE_TIME.exec(text)
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 59) return undefined
  let offsetMinutes = 0
  if (m[8] === undefined) {
    const offHour = Number(m[10])
    const offMinute = Number(m[11])
    if (offHour > 23 || offMinute > 59) return undefined
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHour * 60 + offMinute)
  }
  const utc = new Date(0)
  utc.setUTCFullYear(year, month - 1, day)
  utc.setUTCHours(hour, minute, second, 0)
  const fraction = m[7] === undefined ? 0 : Number(`0${m[7]}`) * 1000
  return utc.getTime() + fraction - offsetMinutes * 60_000
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0)
}
