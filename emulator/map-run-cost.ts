/**
 * What a distributed Map costs the emulator. `node --expose-gc --import tsx
 * emulator/map-run-cost.ts [items]` prints one JSON line: real ms and heap MiB, figures for the
 * README, never assertions.
 */
import { DEMO_CREDENTIAL, startEmulator, type ChildScript } from './index.js'
import { rawCall } from './raw-rpc.js'

const items = Number(process.argv[2] ?? 500)
const child: ChildScript = {
  steps: [
    { type: 'pass', name: 'read-item' },
    {
      type: 'parallel',
      name: 'fan-out',
      branches: [
        [{ type: 'task', name: 'load', durationMs: 100 }],
        [{ type: 'pass', name: 'audit', durationMs: 50 }]
      ]
    }
  ]
}
const map = { type: 'map', name: 'process', items, maxItems: 1_000_000 } as const
const emu = await startEmulator({
  rateLimit: null,
  speed: 50,
  flows: [
    { name: 'fan', steps: [{ ...map, child, toleratedFailureCount: 5 }] },
    { name: 'held', steps: [{ ...map, child: { ...child, hold: true } }] }
  ]
})
const gc = (globalThis as { gc?: () => void }).gc
const call = (action: string, params: Record<string, string>) =>
  rawCall(emu.url, action, params, { credential: DEMO_CREDENTIAL })
const since = (t: number): number => Math.round(performance.now() - t)

gc?.()
const heapBefore = process.memoryUsage().heapUsed
let t = performance.now()
emu.createExecution('fan', 'run-1')
const startMs = since(t)
for (let i = 0; i < 100; i++) {
  const r = await call('DescribeExecution', {
    FlowName: 'fan',
    ExecutionName: 'run-1',
    WaitTimeSeconds: '60'
  })
  if (r.json?.Status !== 'Running') break
}
const name = emu.mapRun('fan', 'run-1')?.name ?? ''
t = performance.now()
await call('ListExecutions', { FlowName: 'fan', MapRunName: name, Limit: '99' })
const listMs = since(t)
gc?.()
const heapMiB = Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20)

emu.createExecution('held', 'run-1')
t = performance.now()
let groups = 0
for (let running = 1; running > 0; groups++) {
  running = emu.mapRun('held', 'run-1')?.itemCounts.Running ?? 0
  if (running > 0) emu.releaseItems('held', 'run-1', { count: running })
}
const releaseMs = since(t)
console.log(JSON.stringify({ items, startMs, listMs, heapMiB, releaseMs, groups: groups - 1 }))
await emu.close()
