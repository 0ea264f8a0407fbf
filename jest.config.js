/** Unit specs sit beside the code; integration and e2e tests live in test/ and use real PostgreSQL/Redis. */
// Type-checking is `npm run typecheck`'s job; tests only transpile (with decorator metadata, which Nest needs).
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }];
const moduleNameMapper = {
  '^@recall/(core|config|database|queue|auth|audit|patients|imports|campaigns|cycles|dispositions|reports|simulation|quality)$':
    '<rootDir>/libs/$1/src',
};
const common = {
  transform: { '^.+\\.ts$': tsJest },
  setupFiles: ['<rootDir>/test/support/fast-check-seed.ts'],
  moduleNameMapper,
  testEnvironment: 'node',
  rootDir: __dirname,
};

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/**/*.int-spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
  ],
  testTimeout: 30_000,
};
