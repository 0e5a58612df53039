import type { Linking } from './flow-script.js'

/**
 * A timeline is everything an execution will ever do, computed when it starts: its events with
 * emulated timestamps, when it ends, how, and with what output. Requests only read it (an event is
 * visible once its time has passed); StopExecution and flow timeouts cut it short.
 */

export type EndStatus = 'Succeeded' | 'Failed' | 'TimedOut' | 'Stopped'

export interface TimelineEvent {
  /** 1-based, ascending with `at`. */
  id: number
  type: string
  stepName: string
  /** Emulated epoch ms. */
  at: number
  scheduleEventId: number
  detail: string
  /** Thread id (0 = top level); see docs/history-events.md. */
  thread: number
}

export interface Timeline {
  /** Sorted by `at`, ties in emission order; `events[i].id === i + 1`. */
  events: TimelineEvent[]
  /** Emulated epoch ms of the terminal event. */
  endAt: number
  status: EndStatus
  /** Only when Succeeded. */
  output?: string
  /** How `scheduleEventId` links events (see FlowScript.linking); default `thread`. */
  linking?: Linking
}

/**
 * The timeline as it is if the execution ends at `at` (at most its natural end): events up to that
 * moment are kept and a terminal event is appended. Steps running at that moment never finish.
 */
export function cutTimeline(
  timeline: Timeline,
  at: number,
  status: EndStatus,
  terminal: { type: string; detail: string }
): Timeline {
  // `at` is before the natural end (a held timeline has none), so no terminal event is kept.
  const kept = timeline.events.filter((e) => e.at <= at)
  const lastTopLevel = kept.findLast((e) => e.thread === 0)
  const linking = timeline.linking ?? 'thread'
  const link =
    linking === 'none' ? 0 : linking === 'previous' ? kept.length : (lastTopLevel?.id ?? 0)
  const end: TimelineEvent = {
    id: kept.length + 1,
    type: terminal.type,
    stepName: '',
    at,
    scheduleEventId: link,
    detail: terminal.detail,
    thread: 0
  }
  return { events: [...kept, end], endAt: at, status, linking }
}

/** How many events have happened by emulated time `now` (visible events are a prefix). */
export function visibleCount(timeline: Timeline, now: number): number {
  const events = timeline.events
  // Binary search: events are sorted by `at`.
  let lo = 0
  let hi = events.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((events[mid]?.at ?? Infinity) <= now) lo = mid + 1
    else hi = mid
  }
  return lo
}
