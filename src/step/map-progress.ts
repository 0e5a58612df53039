/**
 * Live progress of the distributed Maps one execution is running: after each history read of
 * live progress, the Map steps that read shows running and named (their MapRunStarted gave a
 * MapRunName) are described, one DescribeMapRun each, and a line is logged when a MapRun's
 * counts change: `process: 320 of 500 items done, 3 failed`, and once more when a Map seen running
 * has ended, for its last counts. Live progress reads once an interval (a minute), so each MapRun
 * is described at most once a minute; a RAM policy without fnf:DescribeMapRun gets its one
 * warning (map-run-calls.ts) and the lines stop.
 */
import { mapStepsOf } from '../history/map-run.js'
import type { ExecutionReport } from '../history/types.js'
import { mapProgressLine } from '../report/map-run.js'
import type { LookOptions, MapRunCalls } from './map-run-calls.js'

/** MapRuns of one execution described per read: a flow rarely runs more than one at a time. */
export const MAP_RUNS_PER_READ = 3

export interface MapProgress {
  /** The lines to log after this read: one per MapRun whose counts changed since the last. */
  lines(report: ExecutionReport, options: LookOptions): Promise<string[]>
}

export function mapProgress(calls: MapRunCalls, executionName: string): MapProgress {
  const last = new Map<string, string>()
  const settled = new Set<string>()
  return {
    async lines(report, options) {
      // Running Maps, and once more each Map seen running before that has ended since: its
      // last counts are the ones people want to read.
      const due = mapStepsOf(report).filter(
        (s) =>
          s.mapRunName !== undefined &&
          !settled.has(s.mapRunName) &&
          (s.status === 'Running' || last.has(s.mapRunName))
      )
      const out: string[] = []
      for (const step of due.slice(0, MAP_RUNS_PER_READ)) {
        if (calls.refused('DescribeMapRun')) break
        const name = step.mapRunName!
        const described = await calls.describe(executionName, name, options)
        // Progress only: a MapRun that could not be described this time may be next time.
        if (!described.ok) continue
        if (step.status !== 'Running') settled.add(name)
        const line = mapProgressLine(step.pathText, described.value)
        if (last.get(name) === line) continue
        last.set(name, line)
        out.push(line)
      }
      return out
    }
  }
}
