// Preloaded with `node --import` into the action's process by the benchmarks: prints the peak
// resident set size at exit on stderr, so the figure is the action's own, not the harness's.
import { writeSync } from 'node:fs'

process.on('exit', () => {
  writeSync(2, `\nfnf-wait-bench max-rss-kib=${process.resourceUsage().maxRSS}\n`)
})
