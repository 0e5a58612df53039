/**
 * `npm run screenshot`: docs/summary.png, the demo's failure summary (a nested failure) as GitHub
 * shows it, down to the timeline chart. Needs dist/ built (`npm run package`); the browser and the
 * emoji font come with `npm ci`.
 */
import { resolve } from 'node:path'
import { demoFailureSummary, renderSummary } from './summary-render.js'

const out = resolve(import.meta.dirname ?? '.', '../docs/summary.png')
const result = await renderSummary(await demoFailureSummary(), {
  screenshot: out,
  cutAfterChart: true
})
if (result.errors.length > 0 || result.diagrams === 0) {
  console.error(`The summary did not render cleanly: ${JSON.stringify(result)}`)
  process.exit(1)
}
console.log(`Wrote ${out}`)
