// Test runner configuration: every tier under test/, one set of emulators per run (test/global-setup.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['local/testing-setup.ts'],
    // Handler logs only from WARN up, so test output stays readable; POWERTOOLS_LOG_LEVEL=INFO npx vitest … shows all.
    env: { POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' },
    // Each test file in its own process: handlers keep SDK clients and the shared clock in module state.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
