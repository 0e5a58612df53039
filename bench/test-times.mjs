// Jest reporter: wall time of each test file, from the moment a worker takes it
// (onTestFileStart) to its result (onTestFileResult). Unlike a result's perfStats this
// includes loading and transforming modules, which is where much of a file's time goes.
// Prints the files and the folders, slowest first, and writes them as JSON.
//
//   npm test -- --reporters=default --reporters=./bench/test-times.mjs
//   TEST_TIMES_OUT=times.json npm test -- --reporters=default --reporters=./bench/test-times.mjs
import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { relative, dirname } from 'node:path'

export default class TestTimes {
  #start = new Map()
  #files = []
  #runStart = 0

  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir
    this.out = options.out ?? process.env.TEST_TIMES_OUT
    this.top = options.top ?? 10
  }

  onRunStart() {
    this.#runStart = performance.now()
  }

  onTestFileStart(test) {
    this.#start.set(test.path, performance.now())
  }

  onTestFileResult(test, result) {
    const start = this.#start.get(test.path) ?? performance.now()
    const file = relative(this.rootDir, test.path)
    this.#files.push({
      file,
      folder: dirname(file),
      ms: Math.round(performance.now() - start),
      tests: result.numPassingTests + result.numFailingTests + result.numPendingTests,
      failed: result.numFailingTests
    })
  }

  onRunComplete() {
    const files = [...this.#files].sort((a, b) => b.ms - a.ms)
    const byFolder = new Map()
    for (const f of files) {
      const row = byFolder.get(f.folder) ?? { folder: f.folder, files: 0, tests: 0, ms: 0 }
      row.files += 1
      row.tests += f.tests
      row.ms += f.ms
      byFolder.set(f.folder, row)
    }
    const folders = [...byFolder.values()].sort((a, b) => b.ms - a.ms)
    const sumMs = files.reduce((n, f) => n + f.ms, 0)
    const wallMs = Math.round(performance.now() - this.#runStart)
    const s = (ms) => (ms / 1000).toFixed(1).padStart(7)
    const lines = [
      '',
      `test-times: ${files.length} files, sum of per-file wall ${s(sumMs).trim()} s, run wall ${s(wallMs).trim()} s`,
      '',
      '  seconds  tests  slowest files',
      ...files
        .slice(0, this.top)
        .map((f) => `  ${s(f.ms)}  ${String(f.tests).padStart(5)}  ${f.file}`),
      '',
      '  seconds  files  tests  folder',
      ...folders.map(
        (f) =>
          `  ${s(f.ms)}  ${String(f.files).padStart(5)}  ${String(f.tests).padStart(5)}  ${f.folder}`
      ),
      ''
    ]
    process.stderr.write(lines.join('\n') + '\n')
    if (this.out)
      writeFileSync(this.out, JSON.stringify({ wallMs, sumMs, folders, files }, null, 2) + '\n')
  }
}
