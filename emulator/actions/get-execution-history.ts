import { ApiError } from '../errors.js'
import { visibleCount, type TimelineEvent } from '../timeline.js'
import type { ActionContext } from './context.js'
import { isoTime } from './execution-body.js'
import { findExecution } from './lookup.js'
import { intParam, requiredExecutionName, requiredName } from './validate.js'

/**
 * Serialized events, computed once: histories are paged many times. Padded (large) events are not
 * kept: 5000 of them would hold ~160 MB for little gain.
 */
const serialized = new WeakMap<TimelineEvent, string>()
const CACHE_MAX_DETAIL = 4096

/**
 * GetExecutionHistory (GET). Events that have happened so far, ascending EventId. NextToken is the
 * EventId to continue from; it is absent when no more events exist yet.
 */
export function getExecutionHistory(ctx: ActionContext): string {
  const flowName = requiredName(ctx.params, 'FlowName')
  const name = requiredExecutionName(ctx.params)
  const limit = intParam(ctx.params, 'Limit', 1, 999, 60)
  const rec = findExecution(ctx.store, flowName, name)
  const events = rec.timeline.events
  // Express executions keep no history (fnf-api.md §10): an express MapRun child, the only express
  // execution a lookup finds, has no events.
  const visible =
    rec.express === true
      ? 0
      : Math.min(visibleCount(rec.timeline, ctx.clock.now()), rec.revealed ?? Infinity)
  const first = startIndex(ctx.params.NextToken, visible)

  // A page holds `Limit` events, whatever their size: that is how the documentation reads, and no
  // byte cap per page is documented (fnf-api.md §9), so a client must cope with large pages.
  const parts: string[] = []
  let i = first
  while (i < visible && parts.length < limit) {
    const ev = events[i]
    if (!ev) break
    parts.push(eventJson(ev))
    i++
  }
  const next = i < visible ? `,"NextToken":${JSON.stringify(String(i + 1))}` : ''
  return `{"Events":[${parts.join(',')}]${next},"RequestId":${JSON.stringify(ctx.requestId)}}`
}

/** Index of the first event of the page. A token is an EventId we could have handed out. */
function startIndex(token: string | undefined, visible: number): number {
  if (token === undefined || token === '') return 0
  const id = /^[1-9]\d{0,15}$/.test(token) ? Number(token) : NaN
  if (!(id <= visible + 1))
    throw new ApiError('InvalidArgument', `NextToken '${token}' is invalid.`)
  return id - 1
}

function eventJson(ev: TimelineEvent): string {
  let text = serialized.get(ev)
  if (text === undefined) {
    // Field order of the documented CLI sample.
    text = JSON.stringify({
      StepName: ev.stepName,
      Type: ev.type,
      EventId: ev.id,
      ScheduleEventId: ev.scheduleEventId,
      EventDetail: ev.detail,
      Time: isoTime(ev.at)
    })
    if (ev.detail.length <= CACHE_MAX_DETAIL) serialized.set(ev, text)
  }
  return text
}
