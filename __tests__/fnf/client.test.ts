/**
 * The typed calls (src/fnf/client.ts) against a scripted service: which parameters each call
 * sends, the checks on what comes back. The wire itself is transport/rpc-request/rpc-response's.
 */
import { describe, expect, it } from '@jest/globals'
import {
  closeAgentsAfterEach,
  describeRun,
  EXECUTION,
  harness,
  ok,
  rejection,
  verifySignature
} from '../support/fnf-mock.js'

closeAgentsAfterEach()

describe('parameters of each call', () => {
  it('omits parameters left undefined', async () => {
    const h = harness()
    h.reply(ok({ ...EXECUTION, Name: 'generated' }), ok(), ok({ Name: 'my_flow' }))
    const started = await h.client.startExecution({ flowName: 'my_flow' })
    expect(started.Name).toBe('generated')
    await h.client.describeExecution(describeRun)
    await h.client.describeFlow({ name: 'my_flow' })

    const [start, desc, flow] = h.seen
    expect(start?.form).toEqual({ FlowName: 'my_flow' })
    expect(desc?.query).not.toHaveProperty('WaitTimeSeconds')
    expect(desc?.query).not.toHaveProperty('SecurityToken')
    expect(flow?.query).toMatchObject({ Action: 'DescribeFlow', Name: 'my_flow' })
    for (const s of h.seen) verifySignature(s)
  })

  it('sends StopExecution and GetExecutionHistory parameters', async () => {
    const h = harness()
    h.reply(
      ok({ ...EXECUTION, Status: 'Stopped' }),
      ok({ Events: [], NextToken: 42, RequestId: 'r' })
    )
    await h.client.stopExecution({ ...describeRun, error: 'Cancelled', cause: 'by CI' })
    const page = await h.client.getExecutionHistory({ ...describeRun, nextToken: '7', limit: 999 })
    expect(page.NextToken).toBe('42')
    expect(page.Events).toEqual([])
    const [stop, history] = h.seen
    expect(stop?.method).toBe('POST')
    expect(stop?.form).toEqual({
      ...{ FlowName: 'my_flow', ExecutionName: 'run-1' },
      Error: 'Cancelled',
      Cause: 'by CI'
    })
    expect(history?.query).toMatchObject({ NextToken: '7', Limit: '999' })
    for (const s of h.seen) verifySignature(s)
  })

  it('rejects an out-of-range waitTimeSeconds before sending anything', async () => {
    const h = harness()
    await expect(
      h.client.describeExecution({ ...describeRun, waitTimeSeconds: 61 })
    ).rejects.toThrow(RangeError)
    expect(h.seen).toHaveLength(0)
  })
})

describe('answers', () => {
  it('rejects a DescribeExecution answer without Status', async () => {
    const h = harness()
    h.reply(ok({ RequestId: 'x' }))
    const err = await rejection(h.client.describeExecution(describeRun))
    expect(err.code).toBe('InvalidResponse')
    expect(err.message).toMatch(/no Status/)
  })
})

describe('versions, aliases and express flows', () => {
  it('sends the Qualifier with StartExecution and StartSyncExecution, as a form field', async () => {
    const h = harness()
    h.reply(ok(), ok({ ...EXECUTION, Status: 'Succeeded' }))
    await h.client.startExecution({ flowName: 'my_flow', executionName: 'a', qualifier: 'canary' })
    await h.client.startSyncExecution({ flowName: 'my_flow', executionName: 'b', qualifier: '2' })
    expect(h.seen.map((s) => [s.query['Action'], s.form['Qualifier']])).toEqual([
      ['StartExecution', 'canary'],
      ['StartSyncExecution', '2']
    ])
    for (const s of h.seen) verifySignature(s)
  })

  it('keeps ErrorCode and ErrorMessage only as strings', async () => {
    const h = harness()
    h.reply(ok({ ...EXECUTION, Status: 'Failed', ErrorCode: { x: 1 }, ErrorMessage: 'why' }))
    const answer = await h.client.startSyncExecution({ flowName: 'my_flow' })
    expect(answer).not.toHaveProperty('ErrorCode')
    expect(answer.ErrorMessage).toBe('why')
  })

  it('reads routes with a weight as a number or a numeric string', async () => {
    const h = harness()
    h.reply(
      ok({
        Alias: {
          Name: 'canary',
          RoutingConfigurations: [
            { Version: '3', Weight: 90 },
            { Version: 4, Weight: '10' }
          ]
        }
      })
    )
    expect(await h.client.describeFlowAlias({ flowName: 'my_flow', name: 'canary' })).toEqual({
      Name: 'canary',
      RoutingConfigurations: [
        { Version: '3', Weight: 90 },
        { Version: '4', Weight: 10 }
      ]
    })
    expect(h.seen[0]?.query).toMatchObject({ FlowName: 'my_flow', Name: 'canary' })
  })

  it.each([
    ['no Alias', {}],
    ['no routes', { Alias: { Name: 'canary' } }],
    [
      'a version that is not a number',
      { Alias: { RoutingConfigurations: [{ Version: 'v1', Weight: 1 }] } }
    ],
    ['a weight past 100', { Alias: { RoutingConfigurations: [{ Version: '1', Weight: 101 }] } }],
    ['an empty weight', { Alias: { RoutingConfigurations: [{ Version: '1', Weight: '' }] } }]
  ])('refuses an alias answer with %s', async (_what, body) => {
    const h = harness()
    h.reply(ok(body))
    const err = await rejection(h.client.describeFlowAlias({ flowName: 'my_flow', name: 'c' }))
    expect(err.code).toBe('InvalidResponse')
  })
})
