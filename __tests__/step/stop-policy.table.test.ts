/**
 * The stop policy (src/step/stop-policy.ts, pure) as a table of every combination: how waiting
 * ended × on-timeout × stop-on-cancel × start × fail-fast, over one execution in each state. No
 * socket: the inputs go through parseConfig, so `auto` is resolved as the step resolves it.
 *
 * What the rows say: a cancel stops every execution not known to have ended (never one whose
 * start failed or that could not be found) when stop-on-cancel is on (`auto`: with `start`), and
 * otherwise names them as left running; an error every execution meets (fatal) stops nothing;
 * otherwise on-timeout: stop stops the waits that timed out, continue names them as left running,
 * and after fail-fast the abandoned executions are stopped when stop-on-cancel is on. `fail-fast`
 * decides only whether waiting can end with it: no row changes with it.
 */
import { describe, expect, it } from '@jest/globals'
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import type { WaitEnd } from '../../src/step/follow-all.js'
import { planStops, type StopPlan } from '../../src/step/stop-policy.js'
import { track, type Tracked } from '../../src/step/execution-outcome.js'
import { configOf } from '../support/config.js'

const execution = (name: string, Status: ExecutionStatus): Execution => ({
  Name: name,
  FlowName: 'deploy',
  Status
})

/** One execution in each state, in the order given. */
const OUTCOMES: readonly Tracked[] = [
  { ...track('ok', '{}'), state: 'ended', execution: execution('ok', 'Succeeded') },
  { ...track('bad', '{}'), state: 'ended', execution: execution('bad', 'Failed') },
  { ...track('late', '{}'), state: 'wait-timed-out', execution: execution('late', 'Running') },
  { ...track('left', '{}'), state: 'abandoned', execution: execution('left', 'Running') },
  { ...track('cut', '{}'), execution: execution('cut', 'Running') },
  track('unread', '{}'),
  { name: 'unstarted', input: '{}', state: 'not-started', error: new Error('AccessDenied') },
  { ...track('gone', '{}'), state: 'lost', error: new Error('ExecutionNotExists') }
]

const ENDS: Record<string, WaitEnd> = {
  'all-ended': { why: 'all-ended' },
  'timed-out': { why: 'timed-out' },
  'fail-fast': { why: 'fail-fast' },
  fatal: { why: 'fatal', error: new Error('SignatureNotMatch') },
  cancelled: { why: 'cancelled', signal: 'SIGINT' }
}

/** `name=Error …` sorted by name, and `why: names` for what is left running. */
function summary(plan: StopPlan): [string, string] {
  const stops = plan.stops.map((s) => `${s.name}=${s.reason.error}`).sort()
  const kept = plan.kept ? `${plan.kept.why}: ${plan.kept.names.join(' ')}` : ''
  return [stops.join(' '), kept]
}

function inputs(onTimeout: string, stopOnCancel: string, start: boolean, failFast: boolean) {
  return {
    ...configOf({
      'execution-name': OUTCOMES.map((t) => t.name).join('\n'),
      'on-timeout': onTimeout,
      'stop-on-cancel': stopOnCancel,
      start: String(start),
      'fail-fast': String(failFast)
    }),
    runUrl: 'https://github.com/octo/app/actions/runs/1'
  }
}

// prettier-ignore
const TABLE: ReadonlyArray<[string, string, string, boolean, string, string]> = [
  // end, on-timeout, stop-on-cancel, start → stops (name=Error), left running
  ['all-ended', 'fail', 'true', true, '', ''],
  ['all-ended', 'fail', 'true', false, '', ''],
  ['all-ended', 'fail', 'false', true, '', ''],
  ['all-ended', 'fail', 'false', false, '', ''],
  ['all-ended', 'fail', 'auto', true, '', ''],
  ['all-ended', 'fail', 'auto', false, '', ''],
  ['all-ended', 'stop', 'true', true, 'late=FnfWaitTimeout', ''],
  ['all-ended', 'stop', 'true', false, 'late=FnfWaitTimeout', ''],
  ['all-ended', 'stop', 'false', true, 'late=FnfWaitTimeout', ''],
  ['all-ended', 'stop', 'false', false, 'late=FnfWaitTimeout', ''],
  ['all-ended', 'stop', 'auto', true, 'late=FnfWaitTimeout', ''],
  ['all-ended', 'stop', 'auto', false, 'late=FnfWaitTimeout', ''],
  ['all-ended', 'continue', 'true', true, '', 'on-timeout: late'],
  ['all-ended', 'continue', 'true', false, '', 'on-timeout: late'],
  ['all-ended', 'continue', 'false', true, '', 'on-timeout: late'],
  ['all-ended', 'continue', 'false', false, '', 'on-timeout: late'],
  ['all-ended', 'continue', 'auto', true, '', 'on-timeout: late'],
  ['all-ended', 'continue', 'auto', false, '', 'on-timeout: late'],
  ['timed-out', 'fail', 'true', true, '', ''],
  ['timed-out', 'fail', 'true', false, '', ''],
  ['timed-out', 'fail', 'false', true, '', ''],
  ['timed-out', 'fail', 'false', false, '', ''],
  ['timed-out', 'fail', 'auto', true, '', ''],
  ['timed-out', 'fail', 'auto', false, '', ''],
  ['timed-out', 'stop', 'true', true, 'late=FnfWaitTimeout', ''],
  ['timed-out', 'stop', 'true', false, 'late=FnfWaitTimeout', ''],
  ['timed-out', 'stop', 'false', true, 'late=FnfWaitTimeout', ''],
  ['timed-out', 'stop', 'false', false, 'late=FnfWaitTimeout', ''],
  ['timed-out', 'stop', 'auto', true, 'late=FnfWaitTimeout', ''],
  ['timed-out', 'stop', 'auto', false, 'late=FnfWaitTimeout', ''],
  ['timed-out', 'continue', 'true', true, '', 'on-timeout: late'],
  ['timed-out', 'continue', 'true', false, '', 'on-timeout: late'],
  ['timed-out', 'continue', 'false', true, '', 'on-timeout: late'],
  ['timed-out', 'continue', 'false', false, '', 'on-timeout: late'],
  ['timed-out', 'continue', 'auto', true, '', 'on-timeout: late'],
  ['timed-out', 'continue', 'auto', false, '', 'on-timeout: late'],
  ['fail-fast', 'fail', 'true', true, 'left=FnfWaitFailFast', ''],
  ['fail-fast', 'fail', 'true', false, 'left=FnfWaitFailFast', ''],
  ['fail-fast', 'fail', 'false', true, '', ''],
  ['fail-fast', 'fail', 'false', false, '', ''],
  ['fail-fast', 'fail', 'auto', true, 'left=FnfWaitFailFast', ''],
  ['fail-fast', 'fail', 'auto', false, '', ''],
  ['fail-fast', 'stop', 'true', true, 'late=FnfWaitTimeout left=FnfWaitFailFast', ''],
  ['fail-fast', 'stop', 'true', false, 'late=FnfWaitTimeout left=FnfWaitFailFast', ''],
  ['fail-fast', 'stop', 'false', true, 'late=FnfWaitTimeout', ''],
  ['fail-fast', 'stop', 'false', false, 'late=FnfWaitTimeout', ''],
  ['fail-fast', 'stop', 'auto', true, 'late=FnfWaitTimeout left=FnfWaitFailFast', ''],
  ['fail-fast', 'stop', 'auto', false, 'late=FnfWaitTimeout', ''],
  ['fail-fast', 'continue', 'true', true, 'left=FnfWaitFailFast', 'on-timeout: late'],
  ['fail-fast', 'continue', 'true', false, 'left=FnfWaitFailFast', 'on-timeout: late'],
  ['fail-fast', 'continue', 'false', true, '', 'on-timeout: late'],
  ['fail-fast', 'continue', 'false', false, '', 'on-timeout: late'],
  ['fail-fast', 'continue', 'auto', true, 'left=FnfWaitFailFast', 'on-timeout: late'],
  ['fail-fast', 'continue', 'auto', false, '', 'on-timeout: late'],
  ['fatal', 'fail', 'true', true, '', ''],
  ['fatal', 'fail', 'true', false, '', ''],
  ['fatal', 'fail', 'false', true, '', ''],
  ['fatal', 'fail', 'false', false, '', ''],
  ['fatal', 'fail', 'auto', true, '', ''],
  ['fatal', 'fail', 'auto', false, '', ''],
  ['fatal', 'stop', 'true', true, '', ''],
  ['fatal', 'stop', 'true', false, '', ''],
  ['fatal', 'stop', 'false', true, '', ''],
  ['fatal', 'stop', 'false', false, '', ''],
  ['fatal', 'stop', 'auto', true, '', ''],
  ['fatal', 'stop', 'auto', false, '', ''],
  ['fatal', 'continue', 'true', true, '', ''],
  ['fatal', 'continue', 'true', false, '', ''],
  ['fatal', 'continue', 'false', true, '', ''],
  ['fatal', 'continue', 'false', false, '', ''],
  ['fatal', 'continue', 'auto', true, '', ''],
  ['fatal', 'continue', 'auto', false, '', ''],
  ['cancelled', 'fail', 'true', true, 'cut=GitHubRunCancelled late=GitHubRunCancelled left=GitHubRunCancelled unread=GitHubRunCancelled', ''],
  ['cancelled', 'fail', 'true', false, 'cut=GitHubRunCancelled late=GitHubRunCancelled left=GitHubRunCancelled unread=GitHubRunCancelled', ''],
  ['cancelled', 'fail', 'false', true, '', 'stop-on-cancel: late left cut unread'],
  ['cancelled', 'fail', 'false', false, '', 'stop-on-cancel: late left cut unread'],
  ['cancelled', 'fail', 'auto', true, 'cut=GitHubRunCancelled late=GitHubRunCancelled left=GitHubRunCancelled unread=GitHubRunCancelled', ''],
  ['cancelled', 'fail', 'auto', false, '', 'stop-on-cancel: late left cut unread'],
  ['cancelled', 'stop', 'true', true, 'cut=GitHubRunCancelled late=GitHubRunCancelled left=GitHubRunCancelled unread=GitHubRunCancelled', ''],
  ['cancelled', 'stop', 'true', false, 'cut=GitHubRunCancelled late=GitHubRunCancelled left=GitHubRunCancelled unread=GitHubRunCancelled', ''],
  ['cancelled', 'stop', 'false', true, '', 'stop-on-cancel: late left cut unread'],
  ['cancelled', 'stop', 'false', false, '', 'stop-on-cancel: late left cut unread'],
  ['cancelled', 'stop', 'auto', true, 'cut=GitHubRunCancelled late=GitHubRunCancelled left=GitHubRunCancelled unread=GitHubRunCancelled', ''],
  ['cancelled', 'stop', 'auto', false, '', 'stop-on-cancel: late left cut unread'],
  ['cancelled', 'continue', 'true', true, 'cut=GitHubRunCancelled late=GitHubRunCancelled left=GitHubRunCancelled unread=GitHubRunCancelled', ''],
  ['cancelled', 'continue', 'true', false, 'cut=GitHubRunCancelled late=GitHubRunCancelled left=GitHubRunCancelled unread=GitHubRunCancelled', ''],
  ['cancelled', 'continue', 'false', true, '', 'stop-on-cancel: late left cut unread'],
  ['cancelled', 'continue', 'false', false, '', 'stop-on-cancel: late left cut unread'],
  ['cancelled', 'continue', 'auto', true, 'cut=GitHubRunCancelled late=GitHubRunCancelled left=GitHubRunCancelled unread=GitHubRunCancelled', ''],
  ['cancelled', 'continue', 'auto', false, '', 'stop-on-cancel: late left cut unread'],
]

describe('planStops: every combination', () => {
  it('covers every end, on-timeout, stop-on-cancel and start once', () => {
    const keys = new Set(TABLE.map((row) => row.slice(0, 4).join(' ')))
    expect(keys.size).toBe(Object.keys(ENDS).length * 3 * 3 * 2)
    expect(TABLE).toHaveLength(keys.size)
  })

  it.each(TABLE)(
    '%s, on-timeout %s, stop-on-cancel %s, start %s → [%s] [%s]',
    (end, onTimeout, stopOnCancel, start, stops, kept) => {
      // fail-fast: waiting ends with it only when the input is on.
      for (const failFast of end === 'fail-fast' ? [true] : [true, false]) {
        const plan = planStops(
          OUTCOMES,
          ENDS[end]!,
          inputs(onTimeout, stopOnCancel, start, failFast)
        )
        expect(summary(plan)).toEqual([stops, kept])
      }
    }
  )
})

describe('planStops: the reasons', () => {
  it('each cause names why and links the run', () => {
    const causes = (end: WaitEnd) =>
      planStops(OUTCOMES, end, {
        ...inputs('stop', 'true', true, true),
        timeoutMs: 90_000
      }).stops.map((s) => [s.name, s.reason.cause])
    expect(causes({ why: 'fail-fast' })).toEqual([
      [
        'left',
        'Another execution waited on by the same GitHub Actions step failed (fail-fast): https://github.com/octo/app/actions/runs/1.'
      ],
      [
        'late',
        'fnf-wait stopped the execution after waiting 1m30s (on-timeout: stop): https://github.com/octo/app/actions/runs/1.'
      ]
    ])
    expect(causes({ why: 'cancelled', signal: 'SIGTERM' })[0]).toEqual([
      'late',
      'The GitHub Actions run was cancelled: https://github.com/octo/app/actions/runs/1.'
    ])
  })

  it('without a run URL the cause ends at the reason', () => {
    const plan = planStops(
      OUTCOMES,
      { why: 'cancelled', signal: 'SIGINT' },
      {
        ...inputs('fail', 'true', false, false),
        runUrl: undefined
      }
    )
    expect(plan.stops[0]!.reason).toEqual({
      error: 'GitHubRunCancelled',
      cause: 'The GitHub Actions run was cancelled.'
    })
  })
})
