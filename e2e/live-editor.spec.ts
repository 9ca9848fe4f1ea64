// The browser editor on the live site (GitHub mode), as far as it can be tested without GitHub:
// a production build made with test settings serves the editor at /admin under its own policy,
// and the login sends editors to GitHub with the callback on the site's public address, also
// when the request reaches the server at an internal one (behind a proxy).
// Without the settings there is no editor at all: e2e/browser-editor.spec.ts, "the production site".
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildSite } from './fixtures/build.ts';
import { fixtureContent } from './fixtures/content-tree.ts';
import { startServer, type RunningServer } from './fixtures/server.ts';

/** Made-up settings: nothing here talks to GitHub. */
const settings = {
  KEYSTATIC_GITHUB_CLIENT_ID: 'Iv1.test0123456789',
  KEYSTATIC_GITHUB_CLIENT_SECRET: 'test-client-secret',
  KEYSTATIC_SECRET: 'test-secret-'.repeat(4),
  PUBLIC_KEYSTATIC_GITHUB_APP_SLUG: 'reeks-test-editor',
  KEYSTATIC_GITHUB_REPO: 'gemeente/reeks',
};
/** The public address; the server itself listens on 127.0.0.1, as behind a proxy. */
const publicOrigin = 'https://redactie.reeks.example';

let contentDir = '';
let outDir = '';
let server: RunningServer | undefined;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  contentDir = fixtureContent();
  mkdirSync(join('node_modules', '.cache'), { recursive: true });
  outDir = resolve(mkdtempSync(join('node_modules', '.cache', 'reeks-live-editor-')));
  const build = buildSite(contentDir, outDir, 'pipe', { env: { ...settings, SITE_URL: publicOrigin } });
  expect(build.status, build.output).toBe(0);
  server = await startServer(outDir, { ...settings, REEKS_DB_PATH: join(outDir, 'site.db') });
});

test.afterAll(async () => {
  await server?.stop();
  for (const dir of [contentDir, outDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

test('npm start says the editor is on, and where it saves', () => {
  expect(server!.output()).toContain('Editor: on at /admin, saving to github.com/gemeente/reeks.');
});

test('/admin opens the editor in GitHub mode, under its own policy, loading nothing from outside but GitHub', async ({
  page,
}) => {
  const outside = new Set<string>();
  const violations: string[] = [];
  page.on('request', (request) => {
    const { hostname } = new URL(request.url());
    if (/^https?:/.test(request.url()) && hostname !== '127.0.0.1') outside.add(request.url());
  });
  // Keystatic links a Google font; the editor's policy stops it, as intended.
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText === 'csp') outside.delete(request.url());
  });
  page.on('console', (message) => {
    if (/Content Security Policy/.test(message.text()) && !message.text().includes('fonts.googleapis.com'))
      violations.push(message.text());
  });

  const response = await page.goto(`${server!.url}/admin`);
  await expect(page).toHaveURL(`${server!.url}/keystatic`);
  const policy = response!.headers()['content-security-policy']!;
  expect(policy).toContain("style-src 'self' 'unsafe-inline'");
  expect(policy).toContain("connect-src 'self' https://api.github.com");
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);

  // Not logged in: the editor offers the login with GitHub.
  const login = page.getByRole('button', { name: 'Log in with GitHub' });
  await expect(login).toBeVisible();
  await expect(login).toHaveAttribute('href', '/api/keystatic/github/login');
  await page.waitForLoadState('networkidle');
  expect([...outside]).toEqual([]);
  expect(violations).toEqual([]);
});

test("every other page keeps the strict policy without 'unsafe-inline'", async ({ request }) => {
  for (const path of ['/', '/testreeks/', '/testreeks/eerste-deel/']) {
    const policy = (await request.get(`${server!.url}${path}`)).headers()['content-security-policy']!;
    expect(policy, path).toMatch(/script-src 'self' 'sha256-/);
    expect(policy, path).not.toContain('unsafe-inline');
    expect(policy, path).not.toContain('api.github.com');
  }
});

test('the login redirects to GitHub with the client id and the callback on the public address', async ({
  request,
}) => {
  const response = await request.get(`${server!.url}/api/keystatic/github/login`, { maxRedirects: 0 });
  expect(response.status()).toBe(307);
  const location = new URL(response.headers().location!);
  expect(`${location.origin}${location.pathname}`).toBe('https://github.com/login/oauth/authorize');
  expect(location.searchParams.get('client_id')).toBe(settings.KEYSTATIC_GITHUB_CLIENT_ID);
  expect(location.searchParams.get('redirect_uri')).toBe(
    `${publicOrigin}/api/keystatic/github/oauth/callback`,
  );
});
