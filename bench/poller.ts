/**
 * The baseline fnf-wait is measured against: a fixed-interval poller, the way peer actions wait.
 * DescribeExecution with WaitTimeSeconds=0, sleep, repeat until the execution ends. It uses the
 * same FnfClient as the action (signing, retries, keep-alive pool), so the waiting strategy is the
 * only difference.
 *
 *   npx tsx bench/poller.ts --endpoint URL --flow NAME --execution NAME [--interval-ms 5000]
 *
 * Keys come from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (not argv, where
 * other users of the machine could read them). Prints one JSON line
 * `{"status", "polls", "requests", "retries"}`; exits 0 when the execution Succeeded, 1 otherwise.
 * bench/wait.ts bundles this file with ncc and runs it with plain `node`, like dist/index.js.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { parseArgs } from 'node:util'
import { FnfClient } from '../src/fnf/client.js'
import { createDispatcher } from '../src/http/dispatcher.js'
import { errorMessage } from '../src/base/error-text.js'
import { isTerminal } from '../src/fnf/types.js'

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      flow: { type: 'string' },
      execution: { type: 'string' },
      'interval-ms': { type: 'string', default: '5000' },
      'timeout-ms': { type: 'string', default: String(3_600_000) }
    }
  })
  const { endpoint, flow: flowName, execution: executionName } = values
  const intervalMs = Number(values['interval-ms'])
  const timeoutMs = Number(values['timeout-ms'])
  const accessKeyId = process.env.ALIBABA_CLOUD_ACCESS_KEY_ID
  const accessKeySecret = process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET
  if (!endpoint || !flowName || !executionName || !accessKeyId || !accessKeySecret) {
    console.error(
      'usage: ALIBABA_CLOUD_ACCESS_KEY_ID=… ALIBABA_CLOUD_ACCESS_KEY_SECRET=… ' +
        'poller --endpoint URL --flow NAME --execution NAME [--interval-ms 5000] [--timeout-ms N]'
    )
    return 2
  }
  if (!(intervalMs >= 0) || !(timeoutMs > 0)) {
    console.error('--interval-ms and --timeout-ms must be non-negative numbers')
    return 2
  }

  const dispatcher = createDispatcher()
  const client = new FnfClient({
    endpoint,
    credentials: () => ({ accessKeyId, accessKeySecret }),
    dispatcher
  })
  const deadline = Date.now() + timeoutMs
  let polls = 0
  try {
    for (;;) {
      const execution = await client.describeExecution(
        { flowName, executionName, waitTimeSeconds: 0 },
        { deadline }
      )
      polls++
      const done = isTerminal(execution.Status)
      if (done || Date.now() + intervalMs > deadline) {
        console.log(JSON.stringify({ status: execution.Status, polls, ...client.stats }))
        return execution.Status === 'Succeeded' ? 0 : 1
      }
      await sleep(intervalMs)
    }
  } catch (error) {
    console.error(`poller: ${errorMessage(error)}`)
    return 1
  } finally {
    // Like the action: close the keep-alive pool so the process exits as soon as it is done.
    await dispatcher.close()
  }
}

// No top-level await: ncc's webpack treats this file as a script when it bundles it.
main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error)
    process.exitCode = 1
  }
)
