/** An Express flow the tests hold until they release each execution (emulator `hold: true`). */
import type { FlowScript } from '../../emulator/index.js'

export function heldExpressFlow(name: string, output: unknown = { healthy: true }): FlowScript {
  return {
    name,
    executionMode: 'Express',
    hold: true,
    steps: [{ type: 'task', name: 'probe', durationMs: 0 }],
    output
  }
}

/** A key pair whose RAM policy leaves out DescribeFlow: the flow's mode must be learnt otherwise. */
export const NO_DESCRIBE_FLOW = {
  accessKeyId: 'no-describe-flow',
  accessKeySecret: 'no-describe-flow-secret',
  deniedActions: ['DescribeFlow']
}
