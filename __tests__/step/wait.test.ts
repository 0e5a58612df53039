import { describe, expect, it } from '@jest/globals'
import type { Execution, ExecutionStatus } from '../../src/fnf/types.js'
import { Deadline } from '../../src/step/deadline.js'
import { type ExecutionReader, waitForExecution } from '../../src/step/wait.js'

/**
 * A fake service on a fake clock: the execution ends at `endsAt`, and a long poll holds until the
 * end or WaitTimeSeconds, advancing the clock as a real one would.
 */
function fakeService(endsAt: number, final: ExecutionStatus = 'Succeeded') {
  let clock = 0
  const calls: number[] = []
  const statusAt = (t: number): ExecutionStatus => (t >= endsAt ? final : 'Running')
  const reader: ExecutionReader = {
    async describeExecution(params) {
      // As the client does: a holdUntil becomes min(60 s, time left) when the request is sent.
      const wait =
        params.holdUntil !== undefined
          ? Math.max(0, Math.min(60, Math.floor((params.holdUntil - clock) / 1000)))
          : (params.waitTimeSeconds ?? 0)
      calls.push(wait)
      if (statusAt(clock) === 'Running')
        clock = Math.min(clock + wait * 1000, Math.max(clock, endsAt))
      clock += 20 // round trip
      return { Name: 'e', FlowName: 'f', Status: statusAt(clock) } as Execution
    }
  }
  return {
    reader,
    calls,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms
    }
  }
}

describe('waitForExecution', () => {
  it('costs about one request per minute of waiting', async () => {
    const service = fakeService(10 * 60_000)
    const result = await waitForExecution(service.reader, {
      flowName: 'f',
      executionName: 'e',
      deadline: new Deadline(3_600_000, service.now),
      sleep: service.sleep
    })
    expect(result.kind).toBe('ended')
    expect(result.execution?.Status).toBe('Succeeded')
    expect(service.calls.length).toBe(11)
    expect(service.calls[0]).toBe(0)
    expect(service.calls.slice(1).every((w) => w === 60)).toBe(true)
  })

  it('never asks the server to hold past the deadline, and reports the timeout', async () => {
    const service = fakeService(Number.POSITIVE_INFINITY)
    const result = await waitForExecution(service.reader, {
      flowName: 'f',
      executionName: 'e',
      deadline: new Deadline(150_000, service.now),
      sleep: service.sleep
    })
    expect(result.kind).toBe('timed-out')
    expect(result.execution?.Status).toBe('Running')
    expect(service.calls.slice(0, 3)).toEqual([0, 60, 60])
    expect(service.calls.length).toBeLessThanOrEqual(6)
  })

  it('reports each status change once and a heartbeat at most once a minute', async () => {
    const service = fakeService(5 * 60_000, 'Failed')
    const statuses: string[] = []
    const beats: number[] = []
    await waitForExecution(service.reader, {
      flowName: 'f',
      executionName: 'e',
      deadline: new Deadline(3_600_000, service.now),
      sleep: service.sleep,
      onStatus: (execution, previous) => statuses.push(`${previous ?? ''}>${execution.Status}`),
      onHeartbeat: (_execution, waited) => beats.push(waited)
    })
    expect(statuses).toEqual(['>Running', 'Running>Failed'])
    expect(beats.length).toBeGreaterThanOrEqual(3)
    for (let i = 1; i < beats.length; i++)
      expect(beats[i]! - beats[i - 1]!).toBeGreaterThanOrEqual(60_000)
  })

  it('does not busy-poll a server that answers long polls at once', async () => {
    let clock = 0
    let calls = 0
    const reader: ExecutionReader = {
      async describeExecution() {
        calls++
        clock += 10
        return { Name: 'e', FlowName: 'f', Status: 'Running' } as Execution
      }
    }
    await waitForExecution(reader, {
      flowName: 'f',
      executionName: 'e',
      deadline: new Deadline(30_000, () => clock),
      sleep: async (ms) => {
        clock += ms
      }
    })
    expect(calls).toBeLessThanOrEqual(32)
  })

  it('stops at once when the signal aborts', async () => {
    const controller = new AbortController()
    const reader: ExecutionReader = {
      describeExecution: (_p, options) =>
        new Promise((_resolve, reject) => {
          options?.signal?.addEventListener('abort', () => reject(options.signal?.reason))
        })
    }
    const waiting = waitForExecution(reader, {
      flowName: 'f',
      executionName: 'e',
      deadline: Deadline.after(60_000),
      signal: controller.signal
    })
    controller.abort(new Error('cancelled'))
    await expect(waiting).rejects.toThrow('cancelled')
  })
})

describe('waitForExecution past the deadline', () => {
  it('reports a read that could not be sent before the deadline as our timeout', async () => {
    let calls = 0
    const reader: ExecutionReader = {
      async describeExecution() {
        calls++
        if (calls === 1) return { Name: 'e', FlowName: 'f', Status: 'Running' } as Execution
        throw Object.assign(new Error('no turn'), { code: 'DeadlineExceeded' })
      }
    }
    const result = await waitForExecution(reader, {
      flowName: 'f',
      executionName: 'e',
      deadline: Deadline.after(60_000),
      sleep: async () => {}
    })
    expect(result).toEqual({
      kind: 'timed-out',
      execution: { Name: 'e', FlowName: 'f', Status: 'Running' }
    })
  })

  it('other errors still fail the wait', async () => {
    const reader: ExecutionReader = {
      describeExecution: async () => {
        throw Object.assign(new Error('denied'), { code: 'SignatureNotMatch' })
      }
    }
    await expect(
      waitForExecution(reader, {
        flowName: 'f',
        executionName: 'e',
        deadline: Deadline.after(60_000)
      })
    ).rejects.toThrow('denied')
  })
})

describe('waitForExecution with a status the service does not document', () => {
  // Whatever answers does not hold the request for it, so each read returns at once.
  it.each(['running', 'PAUSED', '', 'Running '])(
    'polls "%s" at most once a minute, not once a second',
    async (status) => {
      let clock = 0
      let calls = 0
      const reader: ExecutionReader = {
        async describeExecution() {
          calls++
          clock += 20
          return { Name: 'e', FlowName: 'f', Status: status } as unknown as Execution
        }
      }
      const result = await waitForExecution(reader, {
        flowName: 'f',
        executionName: 'e',
        deadline: new Deadline(3_600_000, () => clock),
        sleep: async (ms) => {
          clock += ms
        }
      })
      expect(result.kind).toBe('timed-out')
      // An hour: about 60 reads (the code before this change made ~3600).
      expect(calls).toBeGreaterThanOrEqual(55)
      expect(calls).toBeLessThanOrEqual(62)
    }
  )
})
