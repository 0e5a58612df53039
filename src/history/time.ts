/** Event and execution times are ISO strings; the model keeps epoch ms (undefined when unreadable). */
export function parseTime(time: string | undefined): number | undefined {
  if (time === undefined || time === '') return undefined
  const ms = Date.parse(time)
  return Number.isNaN(ms) ? undefined : ms
}
