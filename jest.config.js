/**
 * ts-jest in ESM mode: @actions/core 3 and @actions/github 9 are ESM-only.
 * ts-jest only transpiles (tsconfig.json sets isolatedModules): `npm run lint` type-checks.
 * Two projects: `unit` runs in process (and is what coverage measures); `e2e` spawns the bundle:
 * dist/ when it is the bundle of the sources on disk, else src/ bundled afresh by its global
 * setup (scripts/e2e-setup.mjs), so it never tests a stale bundle.
 */
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
    }
  ],
  collectCoverageFrom: ['src/**/*.ts'],
  // Jest's default on 2 cores is one worker, in band. Most of an e2e file's time is spent waiting
  // on a child process and the emulator, so a third worker keeps both cores busy meanwhile.
  maxWorkers: 3,
  // End-to-end tests spawn the bundle against the emulator; they wait on real sockets.
  testTimeout: 60000
}
