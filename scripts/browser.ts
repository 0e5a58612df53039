/**
 * The test browser: the headless Chromium that `@sparticuz/chromium` ships inside its npm package
 * (one brotli-compressed binary), so `npm ci` is all a machine needs: no system package, and
 * nothing downloaded at install or run time. Used by scripts/summary-render.ts (the render test,
 * `npm run screenshot`); the e2e global setup runs this file once so jest's workers find the
 * binary already extracted.
 *
 * `tsx scripts/browser.ts` extracts it and prints its path.
 */
import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { createBrotliDecompress } from 'node:zlib'
import type { Browser } from 'playwright-core'

/**
 * Headless, as root (no sandbox), and silent on the network: this machine reaches nothing but a
 * package registry, so Chromium's background services (component updates, sync, field trials,
 * QUIC probes) must not even try. The resolver rule makes any host name other than the page's
 * loopback address fail inside the browser, should a service be missed here.
 */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  '--no-pings',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'
]

export interface Host {
  env: Record<string, string | undefined>
  platform: string
  arch: string
}

const THIS_HOST: Host = { env: process.env, platform: process.platform, arch: process.arch }

/**
 * The Chromium to launch: CHROMIUM_PATH if set (a local Chrome, where the packaged Linux build
 * cannot run), else the packaged one, extracted on first use.
 */
export async function browserExecutable(host: Host = THIS_HOST): Promise<string> {
  const chosen = host.env.CHROMIUM_PATH
  if (chosen !== undefined && chosen !== '') return chosen
  if (host.platform !== 'linux' || host.arch !== 'x64') {
    throw new Error(
      `the test browser from @sparticuz/chromium is a Linux x64 build, and this is ` +
        `${host.platform} ${host.arch}: set CHROMIUM_PATH to a local Chrome or Chromium executable`
    )
  }
  return extractChromium(defaultCache())
}

/** Launches the test browser headless; `executablePath` picks another Chromium or Chrome. */
export async function launchBrowser(opts: { executablePath?: string } = {}): Promise<Browser> {
  const executablePath = opts.executablePath ?? (await browserExecutable())
  // Loaded here, not at the top: the global setup runs this file only to extract the binary.
  const { chromium } = await import('playwright-core')
  try {
    return await chromium.launch({ executablePath, headless: true, args: ARGS })
  } catch (e) {
    // Playwright's message goes on with its call log: the first line says what failed.
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0]
    throw new Error(
      `could not launch the test browser ${executablePath}: ${first}. ` +
        'The packaged one comes with `npm ci` (@sparticuz/chromium); CHROMIUM_PATH picks another.',
      { cause: e }
    )
  }
}

/**
 * Extracts the packaged binary into `dir`, unless it is there. Each caller writes its own file and
 * renames it into place: a rename is atomic, so a concurrent caller finds no binary or a whole
 * one, never a half-written one.
 */
export async function extractChromium(dir: string): Promise<string> {
  const executable = join(dir, 'chromium')
  if (existsSync(executable)) return executable
  const archive = join(packageRoot(), 'bin', 'chromium.br')
  if (!existsSync(archive)) {
    throw new Error(`${archive} is missing: run \`npm ci\` to install @sparticuz/chromium`)
  }
  mkdirSync(dir, { recursive: true })
  const partial = `${executable}.${randomUUID()}.partial`
  try {
    await pipeline(
      createReadStream(archive),
      createBrotliDecompress(),
      createWriteStream(partial, { mode: 0o755 })
    )
    await rename(partial, executable)
  } finally {
    await rm(partial, { force: true })
  }
  return executable
}

/**
 * node_modules/.cache/fnf-wait-chromium/<version>: per install and per package version, so an
 * upgrade or a fresh `npm ci` extracts afresh.
 */
function defaultCache(): string {
  const root = packageRoot()
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string
  }
  return join(root, '../../.cache/fnf-wait-chromium', version)
}

/** @sparticuz/chromium's folder: it exports only its entry, build/cjs/index.cjs. */
function packageRoot(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '../..')
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await browserExecutable())
}
