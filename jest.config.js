/**
 * ts-jest in ESM mode: @actions/core 3 and @actions/github 9 are ESM-only.
 * Two projects: `unit` runs in process (and is what coverage measures); `e2e` spawns the bundle,
 * which its global setup builds from the current src/ first, so it never tests a stale dist/.
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
      testMatch: ['<rootDir>/__tests__/**/*.test.ts', '<rootDir>/emulator/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$']
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/__tests__/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/scripts/e2e-setup.mjs',
      globalTeardown: '<rootDir>/scripts/e2e-teardown.mjs'
    }
  ],
  collectCoverageFrom: ['src/**/*.ts'],
  // End-to-end tests spawn the bundle against the emulator; they wait on real sockets.
  testTimeout: 60000
}
