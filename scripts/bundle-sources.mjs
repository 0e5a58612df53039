// What a bundle is built from, as one hash: every file under src/, the package and lock files,
// and the build's own script and settings. scripts/package.mjs writes it beside the bundle
// (sources.sha256), so a bundle says which sources it is; the e2e tests' global setup runs the
// committed dist/ when it names the sources on disk, and bundles afresh when it does not.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

export const STAMP = 'sources.sha256'

const INPUTS = [
  'src',
  'package.json',
  'package-lock.json',
  'scripts/package.mjs',
  'scripts/bundle-sources.mjs',
  'scripts/tsconfig.bundle.json'
]

function files(root, path) {
  const full = join(root, path)
  try {
    return readdirSync(full, { withFileTypes: true }).flatMap((entry) =>
      files(root, join(path, entry.name))
    )
  } catch (e) {
    if (e.code === 'ENOTDIR') return [path]
    throw e
  }
}

/** sha256 of every input's path and bytes, in a fixed order (the same on every machine). */
export function sourcesHash(root) {
  const hash = createHash('sha256')
  const paths = INPUTS.flatMap((p) => files(root, p))
    .map((p) => relative(root, join(root, p)).split('\\').join('/'))
    .sort()
  for (const path of paths) {
    hash.update(`${path}\0`)
    hash.update(readFileSync(join(root, path)))
    hash.update('\0')
  }
  return hash.digest('hex')
}

/** The hash a bundle folder says it was built from, or undefined. */
export function bundledSources(dir) {
  try {
    return readFileSync(join(dir, STAMP), 'utf8').trim()
  } catch {
    return undefined
  }
}

/** dist/index.js when dist/ is the bundle of the sources under `root` now, else undefined. */
export function freshDist(root) {
  const dist = join(root, 'dist')
  const entry = join(dist, 'index.js')
  return existsSync(entry) && bundledSources(dist) === sourcesHash(root) ? entry : undefined
}
