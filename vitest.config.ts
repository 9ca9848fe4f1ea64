import { defineConfig } from 'vitest/config';

// Two kinds of tests: unit tests of plain code (seconds), and integration tests that build the
// site or start servers (`*.integration.test.ts`, minutes). `npm test` runs both in one run.
const integration = '**/*.integration.test.ts';
const sources = ['src/**/*.test.ts', 'scripts/**/*.test.ts'];

export default defineConfig({
  test: {
    // node:sqlite works fine on Node 22 but warns on every import.
    execArgv: ['--disable-warning=ExperimentalWarning'],
    // The PostgreSQL tests' server checked once per run, or one line saying they are skipped
    // (src/server/test-postgres.ts): the store suites (unit) and the servers (integration) use it.
    globalSetup: ['src/server/test-postgres-setup.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: sources, exclude: [integration, '**/node_modules/**'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [integration],
          exclude: ['**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
