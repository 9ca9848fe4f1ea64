import { existsSync } from 'node:fs';
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

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? 'line' : 'list',
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
      command: 'node dist-test/server/entry.mjs',
      url: `http://localhost:${port}/`,
      env: { PORT: String(port), HOST: 'localhost' },
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
