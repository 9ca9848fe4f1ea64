import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { e2eContentDir } from './e2e/fixtures/content-tree.ts';

const port = Number(process.env.E2E_PORT ?? 4399);
/**
 * `npm run dev` on the same content, for what only editors see, the browser editor included.
 * One dev server only: two in one project would share Astro's content store in .astro/.
 */
export const devPort = port - 1;
// Browser downloads are not possible here: use Debian's Chromium when it is installed.
const systemChromium = '/usr/bin/chromium';

// A fresh events database and report password for every run. Set here in the runner's
// environment, so the test workers (which load this file again) see the same ones.
process.env.E2E_DB_PATH ??= join(mkdtempSync(join(tmpdir(), 'reeks-e2e-')), 'site.db');
process.env.E2E_STATS_PASSWORD ??= randomBytes(16).toString('hex');
// The server's secret, so a test can sign the links a follower's mail would hold (e2e/accessibility.spec.ts).
process.env.E2E_SECRET ??= randomBytes(32).toString('base64url');

export default defineConfig({
  testDir: 'e2e',
  // A busy machine (CI shares two cores with the build) is slow, never wrong: generous ceilings,
  // and every test waits for states, not for time.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'line' : 'list',
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    baseURL: `http://localhost:${port}`,
    locale: 'nl-NL',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: existsSync(systemChromium) ? systemChromium : undefined,
          args: [
            '--no-sandbox',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: [
    {
      // The way `npm start` runs the production server, on the test build.
      command: 'node --disable-warning=ExperimentalWarning src/server/start.ts dist-test',
      // Ready once the database takes writes too (its check at start has passed).
      url: `http://localhost:${port}/healthz/db`,
      env: {
        ASTRO_NODE_AUTOSTART: 'disabled',
        PORT: String(port),
        HOST: 'localhost',
        REEKS_DB_PATH: process.env.E2E_DB_PATH,
        STATS_USER: 'marketing',
        STATS_PASSWORD: process.env.E2E_STATS_PASSWORD,
        REEKS_SECRET: process.env.E2E_SECRET,
        // Every test sends from the same address; e2e/messages.spec.ts is not about the limit
        // (src/server/message-form.integration.test.ts is).
        REEKS_MESSAGES_PER_HOUR: '1000',
      },
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      command: `node node_modules/astro/bin/astro.mjs dev --port ${devPort} --host localhost`,
      url: `http://localhost:${devPort}/`,
      env: { CONTENT_DIR: e2eContentDir, ASTRO_TELEMETRY_DISABLED: '1' },
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
