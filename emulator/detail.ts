/** Building EventDetail strings: JSON objects, padded on request, never above the 64 KiB limit. */

/** CloudFlow's limit per event (the legacy service's was 32 KiB; fnf-api.md §9). */
export const MAX_EVENT_DETAIL_BYTES = 64 * 1024

/** Fields that may carry user data too large for one event. */
const BULKY_FIELDS = ['input', 'output'] as const

/**
 * Serializes `detail` as the EventDetail. Oversized input/output values are replaced by a note (the
 * service caps an event at 64 KiB; the full output stays available from DescribeExecution). When
 * `padBytes` is set, a `padding` field brings the string up to that many bytes.
 */
export function eventDetail(detail: Record<string, unknown>, padBytes = 0): string {
  let text = JSON.stringify(detail)
  if (Buffer.byteLength(text) > MAX_EVENT_DETAIL_BYTES) {
    const clipped: Record<string, unknown> = { ...detail }
    for (const field of BULKY_FIELDS) {
      if (field in clipped) {
        const size = Buffer.byteLength(JSON.stringify(clipped[field]) ?? '')
        clipped[field] = `(${size} bytes, too large for the event)`
      }
    }
    text = JSON.stringify(clipped)
  }
  return pad(text, Math.min(padBytes, MAX_EVENT_DETAIL_BYTES))
}

function pad(text: string, target: number): string {
  const size = Buffer.byteLength(text)
  const overhead = Buffer.byteLength(text === '{}' ? '"padding":""' : ',"padding":""')
  const fill = target - size - overhead
  if (fill <= 0) return text
  const padding = `"padding":"${'x'.repeat(fill)}"`
  return text === '{}' ? `{${padding}}` : `${text.slice(0, -1)},${padding}}`
}

/** `cause` is a string in FnF; structured causes (FC payloads) are sent as JSON text. */
export function causeText(cause: string | Record<string, unknown>): string {
  return typeof cause === 'string' ? cause : JSON.stringify(cause)
}
