/**
 * The distributed Map flows the action's tests run on the emulator (the emulator's own tests have
 * theirs): a child whose `load` fails two levels deep (fan-out › branch 0 › load) while a sibling
 * branch succeeds, and a parent that runs `process` (the Map) between two tasks.
 */
import type { ChildScript, DistributedMapStep, FlowScript } from '../../emulator/index.js'

export const DEEP_ERROR = {
  error: 'FC.ConnectionTimeout',
  cause: { errorMessage: 'connect ETIMEDOUT 10.0.3.7:5432', errorType: 'ConnectionTimeout' }
}
export const DEEP_CAUSE = 'connect ETIMEDOUT 10.0.3.7:5432'
/** Where DEEP_ERROR happens inside a child. */
export const DEEP_PATH = 'fan-out › branch 0 › load'

export function deepChild(extra: Partial<ChildScript> = {}): ChildScript {
  return {
    steps: [
      { type: 'pass', name: 'read-item' },
      {
        type: 'parallel',
        name: 'fan-out',
        branches: [
          [{ type: 'task', name: 'load', durationMs: 20 }],
          [{ type: 'pass', name: 'audit', durationMs: 5 }]
        ]
      }
    ],
    ...extra
  }
}

/**
 * prepare → process (a distributed Map of `items` deep children, `failing` of them failing in
 * `load`, every item run before the tolerance decides) → publish.
 */
export function mapFlow(
  name: string,
  failing: number[],
  map: Partial<DistributedMapStep> = {},
  flow: Partial<FlowScript> = {}
): FlowScript {
  return {
    name,
    steps: [
      { type: 'task', name: 'prepare', durationMs: 10 },
      {
        type: 'map',
        name: 'process',
        items: 5,
        child: deepChild(),
        failFast: false,
        ...(failing.length > 0
          ? { failAt: { items: failing, step: 'load', error: DEEP_ERROR } }
          : {}),
        ...map
      },
      { type: 'task', name: 'publish', durationMs: 10 }
    ],
    ...flow
  }
}
