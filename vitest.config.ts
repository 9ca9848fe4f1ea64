import { defineConfig } from 'vitest/config';

// Two kinds of tests: unit tests of plain code (seconds), and integration tests that build the
// site or start servers (`*.integration.test.ts`, minutes). `npm test` runs both.
const integration = '**/*.integration.test.ts';
const sources = ['src/**/*.test.ts', 'scripts/**/*.test.ts'];

export default defineConfig({
  test: {
    // node:sqlite works fine on Node 22 but warns on every import.
    execArgv: ['--disable-warning=ExperimentalWarning'],
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
          // The PostgreSQL tests' server checked once, or one line saying they are skipped
          // (src/server/test-postgres.ts); here, where the tests that need servers are.
          globalSetup: ['src/server/test-postgres-setup.ts'],
        },
      },
    ],
  },
});
