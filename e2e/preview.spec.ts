// Preview links (docs/previews.md): a signed link shows a draft or a scheduled post as readers will
// see it, with a banner, kept out of search engines and the report; an altered, forged or expired
// link is the 404 page; the build's public files hold no word of a draft.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { previewKey } from '../src/lib/previews.ts';
import { previewToken } from '../src/server/preview-links.ts';
import { deriveKeys } from '../src/server/secrets.ts';

/** Signed with the test server's secret (playwright.config.ts), as "Voorbeeld delen" signs. */
const keys = deriveKeys(process.env.E2E_SECRET!);
const draft = {
  id: 'digitale-transformatie/concept-vierde-deel',
  title: 'Conceptdeel dat niemand mag zien',
  word: 'voorbeeldwoordxyz',
};
const login = { username: 'marketing', password: process.env.E2E_STATS_PASSWORD! };
const day = 24 * 60 * 60 * 1000;
const linkFor = (id: string, expiresAt = new Date(Date.now() + day)) =>
  `/voorbeeld/${previewToken(keys, id, expiresAt)}/`;

/** The requests the page sends to the collector from now on. */
function trackingRequests(page: Page): string[] {
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/events/')) sent.push(request.url());
  });
  return sent;
}

test('a link to a draft shows it with the banner, noindex, and sends no tracking request', async ({
  page,
}) => {
  const sent = trackingRequests(page);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto(linkFor(draft.id));
  expect(response?.status()).toBe(200);
  const headers = response!.headers();
  expect(headers['x-robots-tag']).toContain('noindex');
  expect(headers['cache-control']).toBe('private, no-store');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['content-security-policy']).toContain("script-src 'self'");

  const banner = page.getByRole('complementary', { name: 'Voorbeeld, nog niet gepubliceerd' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('concept');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(draft.title);
  await expect(page.getByText(draft.word)).toBeVisible();
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex, nofollow');
  await expect(page.locator('link[rel="canonical"]')).toHaveCount(0);
  // As readers will see it: the part's place in its series, but no contact block and no form.
  await expect(page.getByText('Deel 4 van 4')).toBeVisible();
  await expect(page.locator('form')).toHaveCount(0);
  await expect(page.locator('[data-contact]')).toHaveCount(0);
  await page.mouse.wheel(0, 5000);
  // Its own policy, the hashes Astro made for it, lets the page's scripts and styles run.
  expect(violations).toEqual([]);

  // A published part sends its page view: the watcher sees what a page sends.
  const live = page.waitForRequest((request) => request.url().includes('/api/events/'));
  await page.goto('/digitale-transformatie/kansen-voor-de-dienstverlening/');
  await live;
  expect(sent).toHaveLength(1);
});

test('a scheduled post has a preview that says when it goes live', async ({ page }) => {
  const response = await page.goto(linkFor('gepland-artikel'));
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('complementary', { name: 'Voorbeeld, nog niet gepubliceerd' })).toContainText(
    'gepland voor 1 januari 2999',
  );
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Gepland artikel uit de toekomst');
});

test('an altered, forged, expired or unknown link is the 404 page', async ({ page, request }) => {
  const link = linkFor(draft.id);
  const token = link.split('/')[2]!;
  const flip = (text: string, at: number) =>
    `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
  const other = deriveKeys('een ander geheim van tweeëndertig tekens of meer');
  const refused = [
    `/voorbeeld/${flip(token, token.length - 3)}/`,
    `/voorbeeld/${flip(token, 4)}/`,
    `/voorbeeld/${previewToken(other, draft.id, new Date(Date.now() + day))}/`,
    linkFor(draft.id, new Date(Date.now() - 1000)),
    linkFor('bestaat-niet'),
    '/voorbeeld/ongeldig/',
    '/voorbeeld/',
  ];
  for (const url of refused) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(404);
    expect(response!.headers()['x-robots-tag'], url).toContain('noindex');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pagina niet gevonden');
  }
  expect((await request.post(link, { maxRedirects: 0 })).status()).toBe(405);
});

test('a link to a post published since goes to its live page', async ({ request }) => {
  const response = await request.get(linkFor('digitale-transformatie/kansen-voor-de-dienstverlening'), {
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
  expect(response.headers().location).toBe('/digitale-transformatie/kansen-voor-de-dienstverlening/');
});

/** Every file's text, and the text inside Pagefind's gzipped files. */
function textOf(file: string): string {
  const bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return gunzipSync(bytes).toString('utf8');
  return bytes.toString('utf8');
}

test('the public files of the build hold no word of a draft, and no preview', async ({ request }) => {
  const client = 'dist-test/client';
  const files = readdirSync(client, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  expect(files.length).toBeGreaterThan(20);
  expect(files.some((file) => file.includes('pagefind'))).toBe(true);
  for (const file of files) {
    const text = textOf(file);
    for (const words of [draft.word, draft.title, 'Dit concept is nog niet klaar', 'voorbeeld-bouw'])
      expect(text.includes(words), `${file} holds "${words}"`).toBe(false);
  }
  // The previews are beside the server code instead, and not served at the build's path.
  expect((await request.get(`/voorbeeld-bouw/${previewKey(draft.id)}/`)).status()).toBe(404);
  const previews = readdirSync('dist-test/server/previews');
  expect(previews.filter((file) => file.endsWith('.html'))).toHaveLength(2);
});

test('"Voorbeeld delen" in the report makes a link that works, behind the login', async ({
  browser,
  request,
}) => {
  expect((await request.get('/stats/voorbeelden/')).status()).toBe(401);
  const marketing = await browser.newContext({ httpCredentials: login });
  const page = await marketing.newPage();
  await page.goto('/stats/');
  await page.getByRole('link', { name: 'Voorbeeld delen' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Voorbeeld delen');
  const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: draft.title }) });
  await expect(item).toContainText('Concept');
  await item.getByLabel(/Geldig/).fill('2');
  await item.getByRole('button', { name: 'Maak een link' }).click();
  const made = page.getByLabel(/Kopieer deze link/);
  await expect(made).toBeVisible();
  await expect(page.getByText(/2 dagen/)).toBeVisible();
  const link = new URL(await made.inputValue());
  expect(link.pathname).toMatch(/^\/voorbeeld\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\/$/);

  // The link works for anybody, without the login.
  const reader = await browser.newPage();
  await reader.goto(link.pathname);
  await expect(reader.getByRole('complementary', { name: 'Voorbeeld, nog niet gepubliceerd' })).toBeVisible();
  await expect(reader.getByText(draft.word)).toBeVisible();
  await reader.close();

  // Days outside 1 to 30 make no link; a POST from another site is refused.
  const origin = new URL(page.url()).origin;
  const authorization = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;
  const key = await item.locator('input[name="deel"]').inputValue();
  const post = (from: string, dagen: string) =>
    request.post('/stats/voorbeelden/', {
      headers: { authorization, origin: from, 'content-type': 'application/x-www-form-urlencoded' },
      data: `deel=${key}&dagen=${dagen}`,
      maxRedirects: 0,
    });
  const tooLong = await post(origin, '31');
  expect(tooLong.status()).toBe(400);
  expect(await tooLong.text()).not.toContain('/voorbeeld/ey');
  expect((await post('https://elders.example', '3')).status()).toBe(403);
  expect((await post(origin, '3')).status()).toBe(200);

  // The editor's preview button (Keystatic's previewUrl on the live site) names the post's file.
  await page.goto('/stats/voorbeelden/?deel=concept-vierde-deel');
  await expect(page.getByRole('heading', { level: 2 })).toHaveText([draft.title]);
  await page.goto('/stats/voorbeelden/?deel=kansen-voor-de-dienstverlening');
  await expect(page.getByRole('link', { name: 'bekijk het op de site' })).toHaveAttribute(
    'href',
    '/digitale-transformatie/kansen-voor-de-dienstverlening/',
  );
  await marketing.close();
});

test('the preview and "Voorbeeld delen" have no WCAG 2.1 A/AA violations, light and dark', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const marketing = await browser.newContext({
    httpCredentials: login,
    viewport: { width: 320, height: 640 },
  });
  const page = await marketing.newPage();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const url of [linkFor(draft.id), linkFor('gepland-artikel'), '/stats/voorbeelden/']) {
      await page.goto(url);
      const { violations } = await new AxeBuilder({ page })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
        .analyze();
      expect(
        violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        `${url}, ${colorScheme}`,
      ).toEqual([]);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `${url} scrolls sideways`).toBeLessThanOrEqual(320);
    }
    // With a link made.
    await page.getByRole('listitem').first().getByRole('button', { name: 'Maak een link' }).click();
    await expect(page.getByLabel(/Kopieer deze link/)).toBeVisible();
    // The page after the POST with its styles, not one still loading.
    await page.waitForLoadState('load');
    const { violations } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(
      violations.map(
        (v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary}`).join(', ')}`,
      ),
    ).toEqual([]);
  }
  await marketing.close();
});
