/**
 * Histories for the live-progress tests (history/fetch.resumable, report/running-steps, step/live-progress):
 * events of a flow the emulator compiles, at their emulated times, and a service that serves them
 * page by page as of a given moment.
 */
import { compileTimeline } from '../../emulator/compile.js'
import type { FlowScript } from '../../emulator/index.js'
import type { HistoryEvent, HistoryPage } from '../../src/fnf/types.js'
import type { HistoryClient, HistoryRequest } from '../../src/history/index.js'

export const T0 = Date.parse('2026-01-01T00:00:00Z')
export const MINUTE = 60_000

export function eventsOf(flow: FlowScript): Array<HistoryEvent & { at: number }> {
  return compileTimeline(flow, {}, T0).events.map((e) => ({
    StepName: e.stepName,
    Type: e.type,
    EventId: e.id,
    ScheduleEventId: e.scheduleEventId,
    EventDetail: e.detail,
    Time: new Date(e.at).toISOString(),
    at: e.at
  }))
}

/**
 * Serves the events that have happened by `clock()`, like the emulator: NextToken is the EventId
 * to go on from, and absent at the end of what exists so far (`tokenAtEnd`: a service that hands
 * out a token there too).
 */
export function fakeService(
  events: ReadonlyArray<HistoryEvent & { at: number }>,
  clock: () => number,
  options: { tokenAtEnd?: boolean; error?: () => unknown } = {}
) {
  const requests: HistoryRequest[] = []
  const client: HistoryClient = {
    getExecutionHistory(request) {
      requests.push(request)
      const failure = options.error?.()
      if (failure !== undefined) return Promise.reject(failure)
      const visible = events.filter((e) => e.at <= clock())
      const from = request.nextToken === undefined ? 0 : Number(request.nextToken) - 1
      const page = visible.slice(from, from + (request.limit ?? 60))
      const end = from + page.length
      const result: HistoryPage = { Events: page.map(({ at: _, ...e }) => e) }
      if (end < visible.length || (options.tokenAtEnd === true && page.length > 0)) {
        result.NextToken = String(end + 1)
      }
      return Promise.resolve(result)
    }
  }
  return { client, requests }
}

export const FOREACH: FlowScript = {
  name: 'deploy',
  steps: [
    { type: 'task', name: 'build', durationMs: 30_000 },
    {
      type: 'parallel',
      name: 'fanout',
      branches: [
        [{ type: 'task', name: 'notify', durationMs: 1000 }],
        [
          {
            type: 'foreach',
            name: 'each-region',
            iterations: 12,
            steps: [{ type: 'task', name: 'push-image', durationMs: 10 * MINUTE }]
          }
        ]
      ]
    }
  ]
}
