import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    // node:sqlite works fine on Node 22 but warns on every import.
    execArgv: ['--disable-warning=ExperimentalWarning'],
  },
});
